"""Reading claim lines from CSV: flexible headers, one error per bad row, clear errors for bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.check import ClaimLine, read_claims_csv
from medpolicy.check.claims import prepare
from medpolicy.errors import ImportFormatError


def write(folder: Path, text: str, name: str = "claims.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_columns_by_name_in_any_case_and_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Units,DX,Payer,CODE,Claim_ID,Line_No,Modifiers,Date\n"
        '2,"C34.90;C50.911 Z79.899",Aetna,J9035,A-1,1,59 XU,2025-03-01\n'
        "1,,BCBSMT,86357,A-1,2,,03/02/2025\n",
    )
    first, second = read_claims_csv(path)
    assert first == ClaimLine(
        "Aetna", "J9035", ["C34.90", "C50.911", "Z79.899"], ["59", "XU"], "2025-03-01", 2, "A-1", 1
    )
    assert second.dx == [] and second.modifiers == [] and second.line_no == 2
    assert prepare(second).date == dt.date(2025, 3, 2)


def test_tab_separated_and_minimal_columns(tmp_path: Path) -> None:
    (only,) = read_claims_csv(write(tmp_path, "payer\tcode\nMedicare\tJ3420\n", "claims.tsv"))
    assert (only.payer, only.code, only.units, only.line_no, only.claim_id) == (
        "Medicare",
        "J3420",
        1,
        1,
        None,
    )


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("Aetna,86357,C34.90,2025-13-01,1", "date", "not a date"),
        ("Aetna,86357,C34.90,2025-03-01,lots", "units", "number of units"),
        ("Aetna,86357,99999,2025-03-01,1", "dx", "not an ICD-10-CM code"),
        ("Aetna,8635,C34.90,2025-03-01,1", "code", "procedure code"),
        (",86357,C34.90,2025-03-01,1", "payer", "no payer"),
    ],
)
def test_a_bad_row_becomes_an_error_and_the_rest_is_read(
    tmp_path: Path, row: str, column: str, words: str
) -> None:
    path = write(tmp_path, f"payer,code,dx,date,units\n{row}\nAetna,86357,,,\n")
    bad, good = read_claims_csv(path)
    assert bad.error is not None and words in bad.error
    assert f"{path}, line 2, column '{column}'" in bad.error
    assert good.error is None


def test_a_file_without_payer_or_code_columns(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_claims_csv(write(tmp_path, "plan_name,procedure_cd\nAetna,86357\n"))
    assert caught.value.line == 1 and caught.value.column == "payer"
    assert "plan_name, procedure_cd" in caught.value.reason


@pytest.mark.parametrize(
    ("content", "words"),
    [("", "empty"), ("payer,code\n", "no claim lines"), ('payer,code\n"Aetna,86357\n', "never closed")],
)
def test_unreadable_files_raise(tmp_path: Path, content: str, words: str) -> None:
    with pytest.raises(ImportFormatError, match=words):
        read_claims_csv(write(tmp_path, content))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="no such file"):
        read_claims_csv(tmp_path / "absent.csv")


_CELL = st.text(alphabet='AC0123456789.;, -/"XU', max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELL, min_size=0, max_size=9), max_size=6))
def test_any_rows_read_as_lines_or_clear_errors(tmp_path: Path, rows: list[list[str]]) -> None:
    body = "\n".join(",".join(cells) for cells in rows)
    path = write(tmp_path, "claim_id,line_no,payer,code,dx,modifiers,date,units\n" + body)
    try:
        lines = read_claims_csv(path)
    except ImportFormatError as exc:
        assert str(path) in str(exc)
        return
    for read in lines:
        if read.error is None:
            prepare(read)  # a line without an error is usable
        else:
            assert read.error.startswith(f"{path}, line ")
