"""NCCI PTP and MUE edits: reading CMS's files, and applying them across the lines of a claim."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import medpolicy
from medpolicy.api import Store
from medpolicy.check import ClaimLine, check_claims, import_mue, import_ncci
from medpolicy.check.edit_files import read_mue, read_ncci_ptp
from medpolicy.check.tables import mue_values, ncci_ptp_edits
from medpolicy.errors import ImportFormatError

from .cms_files import MUE_CSV, MUE_HOSPITAL_TXT, PTP_CSV, PTP_TXT

SUMMIT = "Summit Ridge Health Plan"
DAY = "2025-03-01"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- reading the files ----------------------------------------------------------------------------


def test_ptp_text_file_with_a_header_over_four_rows(tmp_path: Path) -> None:
    edits = read_ncci_ptp(write(tmp_path, "ccipra-v1.txt", PTP_TXT))
    assert [(e.column1, e.column2, e.modifier_indicator) for e in edits] == [
        ("99213", "90686", 1),
        ("99213", "82306", 0),
        ("99213", "17380", 1),
        ("99213", "86357", 9),
    ]
    first, second, deleted = edits[0], edits[1], edits[2]
    assert first.effective == "2020-01-01" and first.deletion is None and not first.prior_1996
    assert second.prior_1996 and second.rationale == "Mutually exclusive procedures"
    assert deleted.deletion == "2024-01-01"
    assert first.line == 8


def test_ptp_csv_file(tmp_path: Path) -> None:
    edits = read_ncci_ptp(write(tmp_path, "ptp.csv", PTP_CSV))
    assert [(e.column1, e.column2, e.effective, e.modifier_indicator) for e in edits] == [
        ("99213", "90686", "2020-01-01", 1),
        ("99213", "82306", "1996-01-01", 0),
    ]


@pytest.mark.parametrize(
    ("replace", "by", "line", "column", "words"),
    [
        ("99213\t82306", "99213\tABC", 9, "Column 2", "expected a CPT/HCPCS code"),
        ("19960101", "1996-13-40", 9, "Effective Date", "expected a date"),
        ("*\t0\tMutually", "*\t7\tMutually", 9, "Modifier", "modifier indicator 0, 1 or 9"),
        ("20240101", "soon", 10, "Deletion Date", "or '*'"),
    ],
)
def test_a_bad_ptp_row_names_line_and_column(
    tmp_path: Path, replace: str, by: str, line: int, column: str, words: str
) -> None:
    path = write(tmp_path, "ptp.txt", PTP_TXT.replace(replace, by, 1))
    with pytest.raises(ImportFormatError) as caught:
        read_ncci_ptp(path)
    assert caught.value.line == line and caught.value.column == column
    assert words in caught.value.reason
    assert str(path) in str(caught.value)


def test_a_file_without_the_ptp_header(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="no header row with 'Column 1' and 'Column 2'"):
        read_ncci_ptp(write(tmp_path, "other.csv", MUE_CSV))


def test_mue_files_and_their_settings(tmp_path: Path) -> None:
    practitioner = read_mue(write(tmp_path, "mue.csv", MUE_CSV))
    assert [(v.setting, v.code, v.mue, v.adjudication_indicator) for v in practitioner] == [
        ("practitioner", "90686", 1, 2),
        ("practitioner", "82306", 1, 1),
        ("practitioner", "86357", 1, 3),
    ]
    assert practitioner[0].adjudication_text == "Date of Service Edit: Policy"
    assert practitioner[1].rationale == "Clinical: Data"
    hospital = read_mue(write(tmp_path, "mue-oph.txt", MUE_HOSPITAL_TXT))
    assert [(v.setting, v.code, v.mue, v.adjudication_indicator) for v in hospital] == [
        ("hospital", "90686", 3, 3)
    ]


def test_a_bad_mue_value_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "mue.csv", MUE_CSV.replace("82306,1,", "82306,one,"))
    with pytest.raises(ImportFormatError) as caught:
        read_mue(path)
    assert caught.value.line == 6
    assert caught.value.column == "Practitioner Services MUE Values"


def test_importing_twice_adds_nothing_and_a_new_release_updates(tmp_path: Path) -> None:
    with medpolicy.open(tmp_path / "store.db") as store:
        first = import_ncci(store.engine, write(tmp_path, "ccipra.txt", PTP_TXT))
        again = import_ncci(store.engine, tmp_path / "ccipra.txt")
        assert (first.inserted, again.inserted, again.unchanged) == (4, 0, 4)
        newer = import_ncci(
            store.engine,
            write(tmp_path, "ccipra2.txt", PTP_TXT.replace("\t*\t1\tStandards", "\t20260101\t1\tStandards")),
        )
        assert (newer.updated, newer.inserted) == (1, 0)
        assert import_mue(store.engine, write(tmp_path, "mue.csv", MUE_CSV)).inserted == 3
        assert import_mue(store.engine, write(tmp_path, "oph.txt", MUE_HOSPITAL_TXT)).inserted == 1
        with store.engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(ncci_ptp_edits)) == 4
            assert conn.scalar(select(func.count()).select_from(mue_values)) == 4


def test_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    with medpolicy.open(tmp_path / "store.db") as store:
        broken = write(tmp_path, "ptp.txt", PTP_TXT.replace("99213\t86357", "99213\tnope"))
        with pytest.raises(ImportFormatError):
            import_ncci(store.engine, broken)
        with store.engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(ncci_ptp_edits)) == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600) | st.text(alphabet='Column 12\t,*\n"9XMUE Values0HCPCS', max_size=300))
def test_any_bytes_read_or_fail_clearly(tmp_path: Path, data: bytes | str) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    for reader in (read_ncci_ptp, read_mue):
        try:
            reader(path)
        except ImportFormatError as exc:
            assert str(path) in str(exc)


# --- applying them ---------------------------------------------------------------------------------


def line(
    code: str, n: int, *, claim: str | None = "C1", day: str = DAY, units: int = 1, mods: tuple[str, ...] = ()
) -> ClaimLine:
    return ClaimLine(SUMMIT, code, modifiers=list(mods), date=day, units=units, claim_id=claim, line_no=n)


def test_a_column_two_code_with_its_column_one_code_is_denied(edits_store: Store) -> None:
    office, vaccine = check_claims(edits_store, [line("99213", 1), line("90686", 2)])
    assert office.edits == []
    assert vaccine.policy_outcome == "likely_covered"
    assert vaccine.outcome == "edit_denial"
    edit = vaccine.edits[0]
    assert (edit.kind, edit.column1, edit.column2, edit.other_line, edit.modifier_indicator) == (
        "ncci_ptp",
        "99213",
        "90686",
        1,
        1,
    )
    assert edit.denies and "line 1" in edit.reason and "59" in edit.reason
    assert vaccine.reason == edit.reason
    assert any(note.startswith("policy outcome likely covered") for note in vaccine.notes)


@pytest.mark.parametrize("modifier", ["59", "XU", "RT"])
def test_a_bypass_modifier_lets_indicator_one_through(edits_store: Store, modifier: str) -> None:
    _, vaccine = check_claims(edits_store, [line("99213", 1), line("90686", 2, mods=(modifier,))])
    assert vaccine.outcome == "likely_covered"
    assert [(e.denies, e.bypass_modifier) for e in vaccine.edits] == [(False, modifier)]


def test_indicator_zero_admits_no_modifier(edits_store: Store) -> None:
    _, test = check_claims(edits_store, [line("99213", 1), line("82306", 2, mods=("59",))])
    assert test.edits[0].denies and "modifier indicator 0" in test.edits[0].reason
    assert test.outcome == "not_medically_necessary"  # the policy's denial stays the outcome
    assert test.policy_outcome == "not_medically_necessary"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (line("99213", 1), line("90686", 2, day="2025-03-02")),  # another date of service
        (line("99213", 1, claim="C1"), line("90686", 2, claim="C2")),  # another claim
        (line("99213", 1, claim=None), line("90686", 2, claim=None)),  # no claim id: separate claims
        (line("90686", 1), line("99213", 2)),  # order on the claim does not matter...
    ],
)
def test_pairs_apply_within_one_claim_and_date(
    edits_store: Store, first: ClaimLine, second: ClaimLine
) -> None:
    found = check_claims(edits_store, [first, second])
    vaccine = next(d for d in found if d.code == "90686")
    same_claim_and_day = (
        first.claim_id is not None and first.claim_id == second.claim_id and first.date == second.date
    )
    assert bool(vaccine.edits) == same_claim_and_day  # ...only the column-2 line is denied


def test_deleted_and_not_applicable_edits(edits_store: Store) -> None:
    before = check_claims(
        edits_store, [line("99213", 1, day="2023-12-31"), line("17380", 2, day="2023-12-31")]
    )
    assert [e.column2 for e in before[1].edits] == ["17380"]
    after = check_claims(
        edits_store, [line("99213", 1, day="2024-01-01"), line("17380", 2, day="2024-01-01")]
    )
    assert after[1].edits == []
    nk = check_claims(edits_store, [line("99213", 1), line("86357", 2)])
    assert nk[1].edits == []


def test_units_over_a_line_mue(edits_store: Store) -> None:
    (over,) = check_claims(edits_store, [line("82306", 1, units=2)])
    assert over.edits[0].kind == "mue" and over.edits[0].mue == 1 and over.edits[0].units == 2
    assert "2 units of 82306 on one line exceed the MUE of 1" in over.edits[0].reason
    split = check_claims(edits_store, [line("82306", 1), line("82306", 2)])
    assert [d.edits for d in split] == [[], []]  # a line edit looks at each line alone


def test_units_over_a_date_of_service_mue_add_up_across_lines(edits_store: Store) -> None:
    split = check_claims(edits_store, [line("90686", 1), line("90686", 2)])
    assert [d.outcome for d in split] == ["edit_denial", "edit_denial"]
    assert "2 units of 90686 on 2025-03-01 across 2 lines exceed the MUE of 1" in split[0].reason
    apart = check_claims(edits_store, [line("90686", 1), line("90686", 2, day="2025-03-02")])
    assert [d.outcome for d in apart] == ["likely_covered", "likely_covered"]


def test_no_edits_imported_means_no_edit_findings(policy_store: Store) -> None:
    found = check_claims(policy_store, [line("99213", 1), line("90686", 2, units=5)])
    assert [d.edits for d in found] == [[], []]
