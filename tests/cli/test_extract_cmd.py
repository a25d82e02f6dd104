"""`medpolicy extract`: JSON Lines per the contract, a table, the text, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from medpolicy.cli import app

POLICY = """Sample Mutual Health Plan Medical Policy
Natural Killer Cell Testing
Policy Number: MP-204
Effective Date: 03/01/2025

Policy
Measurement of natural killer cells is considered investigational for all indications.

Coding
CPT
86357\tNatural killer cell count (our wording)
"""

CONTRACT_KEYS = {
    "schema_version",
    "source",
    "doc_type",
    "payer",
    "policy_number",
    "title",
    "dates",
    "codes",
    "code_ranges",
    "coverage",
    "related_policies",
    "references",
    "history",
    "sections",
    "warnings",
}


def test_json_lines_follow_the_contract(tmp_path: Path) -> None:
    doc = tmp_path / "policy.txt"
    doc.write_text(POLICY, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(doc), "--format", "json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout.strip())
    assert set(row) >= CONTRACT_KEYS
    assert row["source"]["path"] == str(doc)
    assert row["source"]["media_type"] == "text/plain"
    assert len(row["source"]["sha256"]) == 64
    assert row["policy_number"] == "MP-204"
    assert row["dates"]["effective"] == "2025-03-01"
    assert [(c["code"], c["role"], c["coverage"]) for c in row["codes"]] == [
        ("86357", "listed", "investigational")
    ]


def test_spans_index_the_text_output(tmp_path: Path) -> None:
    doc = tmp_path / "policy.txt"
    doc.write_text(POLICY, encoding="utf-8")
    runner = CliRunner()
    row = json.loads(runner.invoke(app, ["extract", str(doc)]).stdout)
    text = runner.invoke(app, ["extract", str(doc), "--text"]).stdout
    ((start, end),) = row["codes"][0]["spans"]
    assert text[start:end] == "86357"
    pos = row["coverage"][0]["spans"][0]
    assert "investigational" in text[pos[0] : pos[1]]


def test_table_format_for_people(tmp_path: Path) -> None:
    doc = tmp_path / "policy.txt"
    doc.write_text(POLICY, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(doc), "--format", "table"])
    assert result.exit_code == 0
    assert "Natural Killer Cell Testing" in result.stdout and "86357" in result.stdout


def test_bad_files_fail_alone_with_exit_2(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(POLICY, encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.html"
    proc = subprocess.run(
        [sys.executable, "-m", "medpolicy", "extract", str(broken), str(good), str(empty), str(missing)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert [r["source"]["path"] for r in rows] == [str(good)]
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(errors) == 3
    assert "Traceback" not in proc.stderr
    for path in (broken, empty, missing):
        assert any(str(path) in line for line in errors)
