"""Code recognition: right, not greedy."""

from __future__ import annotations

import simple_icd_10_cm as icd
from hypothesis import given, settings
from hypothesis import strategies as st

from medpolicy.extract import extract


def codes_of(text: str, role: str | None = None) -> dict[str, str]:
    return {c.code: c.system for c in extract(text).codes if role is None or c.role == role}


POLICY = """Example Health Plan Medical Policy
Widget Therapy
Effective Date: 01/01/2025

Policy
Widget therapy is considered investigational for all indications.

Coding
CPT
64999\tUnlisted procedure, nervous system
0537T\tCell therapy harvest (our wording)
HCPCS
J3590\tUnclassified biologics
ICD-10 Codes
C34.90\tMalignant neoplasm of unspecified part of unspecified bronchus or lung
C81.00 – C96.9\tLymphomas and leukemias

History
01/01/2020\tRemoved codes 96365, 96367 and S2107.
"""


def test_codes_in_coding_table_are_listed_with_descriptions() -> None:
    ex = extract(POLICY)
    by_code = {c.code: c for c in ex.codes}
    assert by_code["64999"].role == "listed" and by_code["64999"].system == "CPT"
    assert by_code["64999"].description == "Unlisted procedure, nervous system"
    assert by_code["0537T"].system == "CPT"
    assert by_code["J3590"].system == "HCPCS"
    assert by_code["C34.90"].system == "ICD-10-CM"


def test_single_position_ties_listed_codes() -> None:
    ex = extract(POLICY)
    assert {c.coverage for c in ex.codes if c.role == "listed"} == {"investigational"}


def test_history_codes_are_mentioned_not_listed() -> None:
    ex = extract(POLICY)
    mentioned = {c.code for c in ex.codes if c.role == "mentioned"}
    assert {"96365", "96367", "S2107"} <= mentioned
    assert all(c.coverage is None for c in ex.codes if c.role == "mentioned")


def test_ranges_are_ranges_not_codes() -> None:
    ex = extract(POLICY)
    assert [(r.system, r.start, r.end) for r in ex.code_ranges] == [("ICD-10-CM", "C81.00", "C96.9")]
    assert "C81.00" not in {c.code for c in ex.codes}


def test_spans_point_at_the_code() -> None:
    ex = extract(POLICY)
    for c in ex.codes:
        for start, end in c.spans:
            assert POLICY[start:end].replace(".", "") == c.code.replace(".", "")


DISTRACTORS = """Example Health Plan Medical Policy
Policy Number: 12345
Coverage Policy
The service is considered medically necessary when criteria are met.
A study of 12500 patients in 2019 reported outcomes (NCT01234567; PMID 34164612).
Contact us at PO Box 58108, Fargo, ND 58108-6727 or 1-800-447-2994.
Dose: 10 mg/kg every 2 weeks; 400 mg/16 mL vial. Page 3 of 15.
Transmittal 10128 replaced TN 11584 (CR12606).
References
1. Smith J. A trial. J Clin Oncol. 2019;25(27):36490-36499. PMID 31367163
"""


def test_distractors_are_not_codes() -> None:
    assert codes_of(DISTRACTORS) == {}


def test_cue_words_make_prose_numbers_codes() -> None:
    text = "Policy\nProviders should report CPT code 86357 for this test.\n"
    assert codes_of(text) == {"86357": "CPT"}


def test_example_codes_are_mentioned() -> None:
    text = "Coding\n86357 Natural killer cell count (our wording)\nFor example, CPT code 99213 is an office visit.\n"
    ex = extract(text)
    roles = {c.code: c.role for c in ex.codes}
    assert roles == {"86357": "listed", "99213": "mentioned"}


def test_lead_in_gives_codes_their_status() -> None:
    text = (
        "Coding Information\n"
        "Considered Medically Necessary when criteria are met:\n"
        "CPT Codes\nDescription\n"
        "43644 Gastric bypass (our wording)\n"
        "Considered Experimental/Investigational/Unproven when used to report:\n"
        "CPT Codes\nDescription\n"
        "43659 Unlisted laparoscopy, stomach (our wording)\n"
    )
    status = {c.code: c.coverage for c in extract(text).codes}
    assert status == {"43644": "medically_necessary", "43659": "investigational"}


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=100, max_value=99999))
def test_any_cpt_number_in_a_code_table_is_found(n: int) -> None:
    code = f"{n:05d}"
    text = f"Coding\nCPT Code\tDescription\n{code}\tA service (our wording)\n"
    assert codes_of(text) == {code: "CPT"}


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1000, max_value=99999))
def test_bare_numbers_in_prose_are_never_codes(n: int) -> None:
    text = (
        f"Description\nIn {n} patients the benefit lasted {n % 100} months, as reported in {1990 + n % 35}.\n"
    )
    assert codes_of(text) == {}


_ICD_SAMPLE = sorted(c for c in icd.get_all_codes(with_dots=True) if icd.is_leaf(c) and "." in c)[::97]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_ICD_SAMPLE))
def test_valid_icd10cm_codes_in_a_diagnosis_list_are_found(code: str) -> None:
    text = f"ICD-10 Diagnosis Codes\n{code}\tA diagnosis\n"
    assert codes_of(text) == {code: "ICD-10-CM"}


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=9999), st.sampled_from("FTU"))
def test_cpt_category_ii_iii_and_pla_codes(n: int, suffix: str) -> None:
    code = f"{n:04d}{suffix}"
    text = f"Coding\n{code}\tA tracking or lab code\n"
    assert codes_of(text) == {code: "CPT"}
