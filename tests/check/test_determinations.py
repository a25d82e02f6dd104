"""Claim lines against the fixture policies: every outcome, with the document, statement and reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.api import Store
from medpolicy.check import OUTCOMES, ClaimLine, check_claims, check_line

SUMMIT = "Summit Ridge Health Plan"


def check(store: Store, code: str, *dx: str, payer: str = SUMMIT, date: str | None = "2025-06-01") -> object:
    return check_line(store, ClaimLine(payer, code, dx=list(dx), date=date))


def test_investigational_quotes_the_version_in_force(policy_store: Store) -> None:
    found = check_line(policy_store, ClaimLine(SUMMIT, "86357", dx=["D84.9"], date="2024-06-01"))
    assert found.outcome == "investigational"
    assert found.policy is not None and found.policy.effective == "2023-01-01"
    assert found.policy.policy_number == "LAB.00042"
    assert found.reason.startswith("86357 is investigational for any indication (Summit Ridge Health Plan, ")
    assert found.reason.endswith("effective 2023-01-01)")
    assert found.statement is not None and "experimental, investigational and unproven" in found.statement
    assert found.statement_span is not None
    text = policy_store.policy(
        found.policy.policy_id, version=found.policy.version_no, text=True
    ).version.text
    assert text is not None
    start, end = found.statement_span
    assert text[start:end] == found.statement


def test_the_later_version_applies_from_its_effective_date(policy_store: Store) -> None:
    found = check_line(policy_store, ClaimLine(SUMMIT, "86357", date=dt.date(2025, 1, 1)))
    assert found.outcome == "criteria_apply"
    assert found.policy is not None and found.policy.effective == "2025-01-01"
    assert found.criteria == [
        "The member has a suspected primary immunodeficiency; and",
        "The test is ordered by an immunologist or a hematologist; and",
        "The result will change the member's treatment.",
    ]
    assert "medically necessary when" in (found.statement or "")
    day_before = check_line(policy_store, ClaimLine(SUMMIT, "86357", date="12/31/2024"))
    assert day_before.outcome == "investigational"


def test_a_date_before_every_version_is_said_so(policy_store: Store) -> None:
    found = check(policy_store, "86357", date="2022-06-01")
    assert found.outcome == "no_policy_found"
    assert found.policy is None
    assert "precedes every stored version" in found.reason
    assert "2023-01-01" in found.reason
    assert found.searched["documents_naming_code"] == 1


def test_no_date_uses_the_current_version(policy_store: Store) -> None:
    found = check(policy_store, "86357", date=None)
    assert found.outcome == "criteria_apply"
    assert found.policy is not None and found.policy.effective == "2025-01-01"
    assert any("no date of service" in note for note in found.notes)


@pytest.mark.parametrize(
    ("code", "outcome", "words"),
    [
        ("90686", "likely_covered", "90686 is medically necessary (Summit Ridge Health Plan, PRV.00021"),
        ("82306", "not_medically_necessary", "82306 is not medically necessary (Summit Ridge Health Plan"),
        ("17380", "not_covered", "17380 is not covered (Summit Ridge Health Plan, SUR.00310"),
    ],
)
def test_one_policy_one_outcome(policy_store: Store, code: str, outcome: str, words: str) -> None:
    found = check(policy_store, code)
    assert found.outcome == outcome
    assert found.policy_outcome == outcome
    assert found.reason.startswith(words)
    assert found.statement and found.statement_span


def test_policies_that_disagree_are_conflicting(policy_store: Store) -> None:
    found = check(policy_store, "0537T")
    assert found.outcome == "conflicting"
    assert found.policy is None
    assert "THR.00480: investigational" in found.reason
    assert "THR.00500: likely covered" in found.reason
    assert sorted(d.outcome or "" for d in found.documents) == ["investigational", "likely_covered"]


def test_no_policy_found_says_what_was_searched(policy_store: Store) -> None:
    unlisted = check(policy_store, "99213")
    assert unlisted.outcome == "no_policy_found"
    assert unlisted.reason.startswith("no policy found: none of the ")
    assert unlisted.searched["payer"] == SUMMIT
    assert unlisted.searched["code"] == "99213"
    assert unlisted.searched["date_of_service"] == "2025-06-01"
    assert unlisted.searched["documents_from_payer"] == 7
    unknown = check(policy_store, "86357", payer="Nowhere Mutual Insurance")
    assert unknown.outcome == "no_policy_found"
    assert "holds no documents from Nowhere Mutual Insurance" in unknown.reason


@pytest.mark.parametrize(
    ("dx", "entry"),
    [
        ("C34.90", "C33-C34.92"),  # inside a range whose start is a category
        ("C3411", "C33-C34.92"),  # typed without its dot
        ("C18.2", "C18.0-C18.9"),
        ("C71.9", "C71"),  # below a listed category
        ("C56.1", "C56.1"),
    ],
)
def test_a_diagnosis_on_the_covered_list(policy_store: Store, dx: str, entry: str) -> None:
    found = check(policy_store, "J9035", dx)
    assert found.outcome == "likely_covered"
    assert found.diagnoses[0].listed and found.diagnoses[0].entry == entry
    assert found.diagnoses[0].section is not None
    assert "on the covered ICD-10-CM list of policy RX.00107" in found.reason


def test_a_diagnosis_missing_from_the_covered_list(policy_store: Store) -> None:
    found = check(policy_store, "J9035", "C50.911")
    assert found.outcome == "not_medically_necessary"
    assert found.reason.startswith("C50.911 is not on the covered ICD-10-CM list of policy RX.00107 (")
    assert found.diagnoses[0].dx == "C50.911" and not found.diagnoses[0].listed


def test_a_diagnosis_on_the_non_covered_list(policy_store: Store) -> None:
    found = check(policy_store, "J9035", "H35.32")
    assert found.outcome == "not_medically_necessary"
    assert "H35.32 is on the non-covered ICD-10-CM list of policy RX.00107" in found.reason
    assert found.statement is not None and "not medically necessary" in found.statement


def test_diagnoses_and_modifiers_may_come_as_one_string(policy_store: Store) -> None:
    line = ClaimLine(SUMMIT, "J9035", dx="C50.911; C34.90", modifiers="59 XU", date="2025-06-01")  # type: ignore[arg-type]
    found = check_line(policy_store, line)
    assert found.outcome == "likely_covered"
    assert [d.dx for d in found.diagnoses] == ["C34.90", "C50.911"]


def test_one_covered_diagnosis_is_enough(policy_store: Store) -> None:
    found = check(policy_store, "J9035", "C50.911", "C34.90")
    assert found.outcome == "likely_covered"
    assert [(d.dx, d.listed) for d in found.diagnoses] == [("C34.90", True), ("C50.911", False)]


def test_no_diagnosis_on_a_diagnosis_list_policy_means_criteria(policy_store: Store) -> None:
    found = check(policy_store, "J9035")
    assert found.outcome == "criteria_apply"
    assert found.criteria == ["a diagnosis on the covered ICD-10-CM list of policy RX.00107 (4 entries)"]


@pytest.mark.parametrize("payer", ["Medicare", "CMS", "cms", "Centers for Medicare & Medicaid Services"])
def test_medicare_article_diagnosis_lists(policy_store: Store, payer: str) -> None:
    covered = check(policy_store, "J3420", "D51.9", payer=payer)
    assert covered.payer == "CMS (Medicare)"
    assert covered.outcome == "criteria_apply"  # the NCD's condition stands beside the article's list
    article = next(d for d in covered.documents if d.citation and d.citation.doc_type == "billing_article")
    assert article.outcome == "likely_covered" and article.diagnoses[0].entry == "D51.8-D51.9"
    assert covered.policy is not None and covered.policy.doc_type == "ncd"
    assert covered.criteria == [covered.statement]  # the NCD's condition, stated in one sentence
    assert [(d.dx, d.entry) for d in covered.diagnoses] == [("D51.9", "D51.8-D51.9")]
    refused = check(policy_store, "J3420", "R53.83", payer=payer)
    assert refused.outcome == "not_medically_necessary"
    assert refused.policy is not None and refused.policy.policy_number == "A59901"
    assert "R53.83 is on the non-covered ICD-10-CM list of article A59901" in refused.reason
    assert any("NCD 150.99 covers the code in general" in note for note in refused.notes)
    assert "article A59901 is a billing article of LCD L39999" in refused.notes
    unlisted = check(policy_store, "J3420", "C50.911", payer=payer)
    assert unlisted.outcome == "not_medically_necessary"
    assert unlisted.reason.startswith("C50.911 is not on the covered ICD-10-CM list of article A59901")


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (ClaimLine(SUMMIT, "NOPE1"), "procedure code"),
        (ClaimLine(SUMMIT, "86357", dx=["12345"]), "not an ICD-10-CM code"),
        (ClaimLine(SUMMIT, "86357", date="31/31/2024"), "not a date"),
        (ClaimLine(SUMMIT, "86357", modifiers=["595"]), "not a modifier"),
        (ClaimLine(SUMMIT, "86357", units=0), "number of units"),
        (ClaimLine("", "86357"), "no payer"),
        (ClaimLine("---", "86357"), "not a payer name"),
    ],
)
def test_a_line_that_cannot_be_read_is_an_error(policy_store: Store, line: ClaimLine, column: str) -> None:
    found = check_line(policy_store, line)
    assert found.outcome == "error"
    assert column in found.reason


def test_a_bad_line_does_not_stop_the_batch(policy_store: Store) -> None:
    found = check_claims(
        policy_store,
        [ClaimLine(SUMMIT, "86357", date="2024-02-02"), ClaimLine(SUMMIT, "??"), ClaimLine(SUMMIT, "17380")],
    )
    assert [d.outcome for d in found] == ["investigational", "error", "not_covered"]


def test_to_dict_is_json_with_the_citation(policy_store: Store) -> None:
    found = check(policy_store, "86357", "D84.9", date="2024-06-01")
    data = json.loads(json.dumps(found.to_dict()))
    assert data["outcome"] == "investigational"
    assert data["policy"]["policy_number"] == "LAB.00042"
    assert data["policy"]["effective"] == "2023-01-01"
    assert data["citation"].endswith("effective 2023-01-01")
    assert data["line"]["dx"] == ["D84.9"]
    assert data["statement_span"] == list(found.statement_span or ())
    assert data["documents"][0]["outcome"] == "investigational"
    assert set(data["searched"]) >= {"payer", "code", "date_of_service", "documents_from_payer"}


def test_text_names_outcome_document_and_statement(policy_store: Store) -> None:
    text = check(policy_store, "86357", date="2024-06-01").to_text()
    assert text.startswith("INVESTIGATIONAL: 86357 is investigational")
    assert "LAB.00042" in text and "statement [" in text


def test_a_batch_answers_like_single_lines(policy_store: Store) -> None:
    lines = [
        ClaimLine(SUMMIT, code, dx=dx, date=day)
        for code, dx, day in [
            ("86357", [], "2024-06-01"),
            ("86357", [], "2025-06-01"),
            ("J9035", ["C34.90"], "2025-06-01"),
            ("J9035", ["C50.911"], "2025-06-01"),
            ("17380", [], None),
        ]
    ] * 3
    together = [d.to_dict() for d in check_claims(policy_store, lines)]
    alone = [check_line(policy_store, line).to_dict() for line in lines]
    assert together == alone


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=st.integers(min_value=10000, max_value=99999), payer=st.sampled_from([SUMMIT, "Medicare", "Aetna"])
)
def test_a_code_no_document_lists_is_never_covered(policy_store: Store, number: int, payer: str) -> None:
    listed = {"86357", "90686", "82306", "17380", "99213"}
    code = str(number)
    found = check(policy_store, code, payer=payer)
    assert found.outcome in OUTCOMES
    if code not in listed:
        assert found.outcome == "no_policy_found"
        assert found.reason.startswith("no policy found")
        assert found.searched["code"] == code
