"""`medpolicy describe` and `medpolicy import ...` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medpolicy.cli import app
from medpolicy.cli.codes_cmd import CPT_NOTE

from .test_imports import CLFS_CSV, HCPCS_CSV

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEDPOLICY_DB", raising=False)
    return tmp_path


def test_describe_icd10cm_offline_without_creating_a_store(isolated: Path) -> None:
    result = runner.invoke(app, ["describe", "C34.90"])
    assert result.exit_code == 0, result.output
    assert "C34.90  ICD-10-CM  (valid, billable)" in result.output
    assert "Malignant neoplasm of unspecified part of unspecified bronchus or lung" in result.output
    assert "ICD-10-CM FY2026 (simple-icd-10-cm)" in result.output
    assert "parent: C34.9" in result.output
    assert not (isolated / "medpolicy.db").exists()


def test_describe_pcs_offline() -> None:
    result = runner.invoke(app, ["describe", "0DTJ4ZZ"])
    assert result.exit_code == 0, result.output
    assert "ICD-10-PCS" in result.output
    assert "Resection of Appendix, Percutaneous Endoscopic Approach" in result.output


def test_describe_cpt_says_why_there_is_no_description() -> None:
    result = runner.invoke(app, ["describe", "86357"])
    assert result.exit_code == 0, result.output
    assert "CPT Category I" in result.output
    assert CPT_NOTE in result.output
    assert "90  Reference (outside) laboratory." in result.output


def test_describe_json() -> None:
    result = runner.invoke(app, ["describe", "c3490", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["system"], report["code"], report["valid"], report["billable"]) == (
        "ICD-10-CM",
        "C34.90",
        True,
        True,
    )
    assert report["descriptions"][0]["source"] == "ICD-10-CM FY2026 (simple-icd-10-cm)"
    assert report["parent"] == {
        "code": "C34.9",
        "description": "Malignant neoplasm of unspecified part of bronchus or lung",
    }
    assert report["modifiers"] == [] and report["fees"] == []


def test_describe_truncates_children_to_twenty() -> None:
    result = runner.invoke(app, ["describe", "Y93", "--format", "json"])
    report = json.loads(result.stdout)
    assert report["children_total"] == 22
    assert len(report["children"]) == 20
    table = runner.invoke(app, ["describe", "Y93"])
    assert "children (22, showing 20):" in table.output


def test_describe_a_modifier() -> None:
    result = runner.invoke(app, ["describe", "25"])
    assert result.exit_code == 0, result.output
    assert "CPT modifier" in result.output and "evaluation and management" in result.output


def test_describe_something_that_is_no_code() -> None:
    result = runner.invoke(app, ["describe", "hello"])
    assert result.exit_code == 1
    assert "error:" in result.output and "'HELLO'" in result.output.upper()
    assert "Traceback" not in result.output


def test_describe_mentions_other_readings() -> None:
    result = runner.invoke(app, ["describe", "J1100"])
    assert "J11.00  ICD-10-CM" in result.output
    assert "also reads as HCPCS J1100: medpolicy describe J1100 --system HCPCS" in result.output


def test_import_then_describe_with_the_store(isolated: Path) -> None:
    hcpcs = isolated / "HCPC2025.csv"
    hcpcs.write_text(HCPCS_CSV, encoding="utf-8")
    clfs = isolated / "CLFS25Q1.csv"
    clfs.write_text(CLFS_CSV, encoding="utf-8")
    db = str(isolated / "store.db")
    first = runner.invoke(app, ["import", "hcpcs", str(hcpcs), "--db", db])
    assert first.exit_code == 0, first.output
    assert "5 rows (5 new, 0 changed, 0 unchanged)" in first.output
    again = runner.invoke(app, ["import", "hcpcs", str(hcpcs), "--db", db])
    assert "5 rows (0 new, 0 changed, 5 unchanged)" in again.output
    assert runner.invoke(app, ["import", "clfs", str(clfs), "--db", db]).exit_code == 0

    described = runner.invoke(app, ["describe", "J0129", "--db", db])
    assert "Abatacept injection" in described.output
    assert "CMS HCPCS Level II file (HCPC2025.csv)" in described.output
    lab = runner.invoke(app, ["describe", "86357", "--db", db, "--format", "json"])
    report = json.loads(lab.stdout)
    assert report["fees"][0]["amount"] == "12.34"
    assert report["descriptions"][0]["text"] == "Sample cell count, total"
    assert CPT_NOTE not in report["notes"]
    table = runner.invoke(app, ["describe", "86357", "--db", db])
    assert "$12.34" in table.output


def test_an_imported_hcpcs_code_wins_over_its_dotless_icd10cm_reading(isolated: Path) -> None:
    path = isolated / "hcpcs.csv"
    path.write_text("HCPC,SEQNUM,RECID,LONG DESCRIPTION,SHORT DESCRIPTION\nJ1100,00100,3,Sample drug,Drug\n")
    db = str(isolated / "store.db")
    assert runner.invoke(app, ["import", "hcpcs", str(path), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["describe", "J1100", "--db", db])
    assert "J1100  HCPCS" in result.output
    assert "also reads as ICD-10-CM J11.00" in result.output


def test_import_errors_exit_2_with_one_line(isolated: Path) -> None:
    bad = isolated / "clfs.csv"
    bad.write_text("YEAR,HCPCS,MOD,RATE\n2025,86357,,twelve\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "clfs", str(bad), "--db", str(isolated / "store.db")])
    assert result.exit_code == 2
    assert "line 2, column 'RATE'" in result.output
    assert "Traceback" not in result.output


def test_import_pfs_and_cpt_commands(isolated: Path) -> None:
    pfs = isolated / "rvu.csv"
    pfs.write_text(
        "HCPCS,MOD,DESCRIPTION,WORK RVU,NON-FACILITY TOTAL,CONV FACTOR\n99213,,Sample,1.3,2.7,30\n"
    )
    db = str(isolated / "store.db")
    result = runner.invoke(app, ["import", "pfs", str(pfs), "--year", "2025", "--db", db])
    assert result.exit_code == 0, result.output
    cpt = isolated / "cpt.csv"
    cpt.write_text("99213,Sample licensed descriptor\n")
    assert runner.invoke(app, ["import", "cpt", str(cpt), "--db", db]).exit_code == 0
    report = json.loads(runner.invoke(app, ["describe", "99213", "--db", db, "--format", "json"]).stdout)
    assert {d["text"] for d in report["descriptions"]} == {"Sample", "Sample licensed descriptor"}
    assert report["fees"][0]["amount"] == "81.00"
