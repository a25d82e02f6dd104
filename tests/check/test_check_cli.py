"""The `check` command and `import ncci` / `import mue`, run through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import medpolicy
from medpolicy.cli import app

from .cms_files import MUE_CSV, PTP_TXT
from .conftest import DOCUMENTS

runner = CliRunner()
SUMMIT = "Summit Ridge Health Plan"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store of the fixture documents of its own, since the import commands write to it."""
    path = tmp_path_factory.mktemp("cli") / "policies.db"
    with medpolicy.open(path) as store:
        assert not store.ingest([DOCUMENTS]).failed
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_one_line_as_text(db: str) -> None:
    code, out, _ = run(
        "check", "--db", db, "--payer", SUMMIT, "--code", "86357", "--dx", "D84.9", "--date", "2024-05-01"
    )
    assert code == 0
    assert out.startswith("INVESTIGATIONAL: 86357 is investigational for any indication")
    assert "LAB.00042" in out and "statement [" in out


def test_one_line_as_json(db: str) -> None:
    code, out, _ = run(
        "check",
        "--db",
        db,
        "--payer",
        SUMMIT,
        "--code",
        "J9035",
        "--dx",
        "C50.911;C34.90",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "likely_covered"
    assert data["line"]["dx"] == ["C50.911", "C34.90"]


def test_a_bad_line_is_one_error_line(db: str) -> None:
    code, out, err = run("check", "--db", db, "--payer", SUMMIT, "--code", "XYZ")
    assert code == 2 and out == ""
    assert err.startswith("error: 'XYZ' is not a CPT, HCPCS, CDT or ICD-10-PCS procedure code")


def test_arguments_must_name_a_line_or_a_file(db: str) -> None:
    code, _, err = run("check", "--db", db, "--code", "86357")
    assert code == 2 and "--payer and --code" in err


def test_a_file_to_csv(db: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "claim_id,line_no,payer,code,dx,modifiers,date,units\n"
        f"A,1,{SUMMIT},86357,D84.9,,2024-05-01,1\n"
        f"A,2,{SUMMIT},J9035,C50.911,,2025-05-01,1\n"
        f"B,1,{SUMMIT},8,,,2025-05-01,1\n",
        encoding="utf-8",
    )
    out_file = tmp_path / "out.csv"
    code, out, _ = run("check", "--db", db, "--file", str(claims), "-o", str(out_file))
    assert code == 0
    assert "3 determinations written" in out
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert [(r["claim_id"], r["line_no"], r["outcome"]) for r in rows] == [
        ("A", "1", "investigational"),
        ("A", "2", "not_medically_necessary"),
        ("B", "1", "error"),
    ]
    assert rows[0]["citation"].endswith("effective 2023-01-01")
    assert f"{claims}, line 4, column 'code'" in rows[2]["reason"]


def test_a_file_to_json_lines(db: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text(f"payer,code\n{SUMMIT},17380\nMedicare,J3420\n", encoding="utf-8")
    code, out, _ = run("check", "--db", db, "--file", str(claims), "--format", "json")
    assert code == 0
    assert [json.loads(row)["outcome"] for row in out.splitlines()] == ["not_covered", "criteria_apply"]


def test_an_unreadable_file_is_one_error_line(db: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("who,what\nx,y\n", encoding="utf-8")
    code, _, err = run("check", "--db", db, "--file", str(claims))
    assert code == 2 and err.startswith(f"error: {claims}, line 1, column 'payer'")


def test_import_edits_then_check_a_claim(db: str, tmp_path: Path) -> None:
    ptp, mue = tmp_path / "ccipra-v1.txt", tmp_path / "mue.csv"
    ptp.write_text(PTP_TXT, encoding="utf-8")
    mue.write_text(MUE_CSV, encoding="utf-8")
    code, out, _ = run("import", "ncci", str(ptp), "--db", db)
    assert code == 0 and "4 rows (4 new" in out
    code, out, _ = run("import", "mue", str(mue), "--db", db)
    assert code == 0 and "3 rows (3 new" in out
    claims = tmp_path / "claims.csv"
    claims.write_text(
        f"claim_id,line_no,payer,code,date\nA,1,{SUMMIT},99213,2025-01-02\nA,2,{SUMMIT},90686,2025-01-02\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", "--db", db, "--file", str(claims), "--format", "json")
    vaccine = json.loads(out.splitlines()[1])
    assert vaccine["outcome"] == "edit_denial" and vaccine["policy_outcome"] == "likely_covered"
    assert vaccine["edits"][0]["column1"] == "99213"


def test_import_of_a_bad_edit_file(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "mue.csv"
    bad.write_text("nothing here\n", encoding="utf-8")
    code, _, err = run("import", "mue", str(bad), "--db", db)
    assert code == 2 and err.startswith(f"error: {bad}: no header row")
