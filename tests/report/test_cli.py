"""`medpolicy report`: formats, output files, --policy, --compare, and clear usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import medpolicy
from medpolicy.cli import app
from report.conftest import fill_sample

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "reports.db")
    with medpolicy.open(path) as store:
        fill_sample(store)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_markdown_goes_to_stdout_by_default(db: str) -> None:
    code, out, _ = run("report", "86357", "--db", db)
    assert code == 0
    assert out.startswith("# CPT 86357 — Code coverage report")
    assert "| Aspen Ridge Health Plan |" in out


def test_json_html_and_a_payer(db: str) -> None:
    code, out, _ = run("report", "86357", "--db", db, "-f", "json", "--payer", "Cedar Valley Health")
    assert code == 0
    data = json.loads(out)
    assert [r["payer"] for r in data["coverage"]["rows"]] == ["Cedar Valley Health"]
    code, out, _ = run("report", "86357", "86356", "--db", db, "--format", "html")
    assert code == 0 and out.count('<article class="report report-code">') == 2


def test_pdf_needs_an_output_file(db: str, tmp_path: Path) -> None:
    code, out, err = run("report", "86357", "--db", db, "-f", "pdf")
    assert code == 2 and out == ""
    assert "error: --format pdf writes a binary file: give --output FILE" in err
    target = tmp_path / "86357.pdf"
    code, _, err = run("report", "86357", "--db", db, "-f", "pdf", "-o", str(target))
    assert code == 0 and f"wrote {target}" in err
    assert target.read_bytes().startswith(b"%PDF-")


def test_policy_and_compare(db: str, tmp_path: Path) -> None:
    code, out, _ = run("report", "--policy", "CV-9", "--db", db)
    assert code == 0 and out.startswith("# Lymphocyte Testing — Medical policy report")
    code, out, _ = run(
        "report", "--policy", "CV-9", "--payer", "Cedar Valley Health", "--db", db, "-f", "json"
    )
    assert code == 0 and json.loads(out)["policy_number"] == "CV-9"
    target = tmp_path / "compare.html"
    code, _, _ = run(
        "report",
        "--compare",
        "86357",
        "86356",
        "-p",
        "Birchwood Mutual",
        "-p",
        "Aetna",
        "--db",
        db,
        "-f",
        "html",
        "-o",
        str(target),
    )
    assert code == 0
    html = target.read_text()
    assert "Coverage comparison: 86357, 86356" in html and "Data not available" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give at least one CODE, or --policy ID"),
        (("86357", "--policy", "CV-9"), "--policy reports on one policy"),
        (("86357", "-p", "Aetna", "-p", "Cigna"), "give one --payer"),
        (("86357", "-f", "docx"), "docx"),
    ],
)
def test_usage_errors(db: str, args: tuple[str, ...], message: str) -> None:
    code, out, err = run("report", *args, "--db", db)
    assert code == 2 and out == ""
    assert message in err


def test_store_errors_are_one_line_not_a_traceback(db: str, tmp_path: Path) -> None:
    code, _, err = run("report", "--policy", "NOPE-1", "--db", db)
    assert code == 1 and err.startswith("error: no policy with number 'NOPE-1'")
    code, _, err = run("report", "hello", "--db", db)
    assert code == 1 and "not a billing code" in err and "Traceback" not in err
    code, _, err = run("report", "86357", "--db", db, "-o", str(tmp_path / "missing" / "r.md"))
    assert code == 1 and "cannot write the report" in err
