"""`medpolicy import mcd` on the command line, and the lookups it enables (`code`, `matrix`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import medpolicy
from medpolicy.cli import app
from medpolicy.model import CodeFact, Extraction, Source, Text

from .conftest import DOWNLOAD

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEDPOLICY_DB", raising=False)
    return tmp_path


def test_import_prints_a_summary_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "mcd.db")
    first = runner.invoke(app, ["import", "mcd", str(DOWNLOAD), "--db", db])
    assert first.exit_code == 0, first.output
    assert f"{DOWNLOAD}: 1 LCDs, 2 articles, 1 NCDs, 13 codes" in first.stdout
    assert "documents: 4 new, 0 updated, 0 unchanged" in first.stdout
    assert "skipped 1 document: proposed LCD (not final)" in first.stdout
    assert (
        "skipped 1 row: article_x_hcpc_code: not a well-formed HCPCS code "
        "(first: article_x_hcpc_code.csv, line 5)" in first.stdout
    )
    second = runner.invoke(app, ["import", "mcd", str(DOWNLOAD), "--db", db])
    assert second.exit_code == 0, second.output
    assert "documents: 0 new, 0 updated, 4 unchanged" in second.stdout


def test_json_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "mcd", str(DOWNLOAD), "--db", str(tmp_path / "mcd.db"), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["lcds"], summary["articles"], summary["ncds"], summary["new"]) == (1, 2, 1, 4)
    assert {item["path"] for item in summary["items"]} >= {"mcd:lcd/L39001", "mcd:article/A59001"}


def test_format_errors_exit_2_with_one_line(tmp_path: Path, download: Path) -> None:
    (download / "lcd_x_hcpc_code.csv").write_text(
        '"lcd_id","lcd_version","hcpc_code_id","hcpc_code_group"\n"39001","3","A9900","1\n'
    )
    db = tmp_path / "mcd.db"
    result = runner.invoke(app, ["import", "mcd", str(download), "--db", str(db)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {download / 'lcd_x_hcpc_code.csv'}, line 2, column 'hcpc_code_group': "
        "a quoted cell is never closed (is the file truncated?)\n"
    )
    with medpolicy.open(db) as store:
        assert store.policies() == []


def test_empty_folder_and_wrong_file_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["import", "mcd", str(empty), "--db", str(tmp_path / "mcd.db")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {empty}: no Medicare Coverage Database tables found")
    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    result = runner.invoke(app, ["import", "mcd", str(pdf), "--db", str(tmp_path / "mcd.db")])
    assert result.exit_code == 2
    assert "not a Medicare Coverage Database download" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def add_other_payer(db: Path) -> None:
    text = "A9900 is not medically necessary.\n"
    with medpolicy.open(db) as store:
        store.add(
            Text(text),
            Source("example-plan/widgets.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain"),
            Extraction(
                doc_type="medical_policy",
                payer="Example Health Plan",
                policy_number="EX-1",
                title="Widgets",
                codes=[CodeFact("HCPCS", "A9900", None, "listed", "not_medically_necessary", [(0, 5)])],
            ),
        )


def test_real_sample_code_a9900_lists_lcd_33312_and_matrix_shows_medicare(
    sample: Path, tmp_path: Path
) -> None:
    db = tmp_path / "sample.db"
    imported = runner.invoke(app, ["import", "mcd", str(sample), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    looked_up = runner.invoke(app, ["code", "A9900", "--db", str(db), "--format", "json"])
    assert looked_up.exit_code == 0, looked_up.output
    policies = json.loads(looked_up.stdout)["policies"]
    named = {(p["payer"], p["policy_number"], p["doc_type"]) for p in policies}
    assert named == {("CMS (Medicare)", "L33312", "lcd")}
    assert "L33312" in runner.invoke(app, ["code", "A9900", "--db", str(db)]).stdout
    add_other_payer(db)
    matrix = runner.invoke(app, ["matrix", "A9900", "--db", str(db), "--format", "csv"])
    assert matrix.exit_code == 0, matrix.output
    header = matrix.stdout.splitlines()[0]
    assert "CMS (Medicare)" in header and "Example Health Plan" in header
