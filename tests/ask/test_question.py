from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.api import Store
from medpolicy.ask.corpus import Snapshot, snapshot
from medpolicy.ask.question import INTENTS, NON_COVERAGE, read_question
from medpolicy.codes import CodeRangeSpec

from .conftest import TODAY


@pytest.fixture
def snap(store: Store) -> Snapshot:
    return snapshot(store)


def test_codes_of_every_system_and_ranges(snap: Snapshot) -> None:
    q = read_question("Are 86357, J9035, c3490, 0537T-0539T and ICD-10 G4733 covered?", snap, TODAY)
    assert ("CPT", "86357") in q.codes
    assert ("HCPCS", "J9035") in q.codes
    assert ("ICD-10-CM", "C34.90") in q.codes  # dotless ICD-10-CM
    assert ("ICD-10-CM", "G47.33") in q.codes
    assert q.ranges == [CodeRangeSpec("CPT", "0537T", "0539T")]


def test_policy_numbers_and_years_are_not_codes(snap: Snapshot) -> None:
    q = read_question("What changed in policy 8.01.33 and 09-J4000-27 since 2025?", snap, TODAY)
    assert q.codes == []
    assert q.policy_numbers == ["8.01.33", "09-J4000-27"]
    assert q.since == "2025-01-01"
    assert q.intent == "changes"


def test_system_hint_settles_an_ambiguous_code(snap: Snapshot) -> None:
    assert read_question("Is HCPCS J1100 covered?", snap, TODAY).codes == [("HCPCS", "J1100")]
    assert read_question("Is ICD-10 J1100 covered?", snap, TODAY).codes == [("ICD-10-CM", "J11.00")]


def test_payers_by_name_part_alias_and_typo(snap: Snapshot) -> None:
    assert read_question("Is 86357 covered by Orchard?", snap, TODAY).payers == ["Orchard Valley Health"]
    assert read_question("Does Riverstone Health Plan cover 86357?", snap, TODAY).payers == [
        "Riverstone Health Plan"
    ]
    assert read_question("Does Meadowlrk cover 90867?", snap, TODAY).payers == ["Meadowlark Mutual"]
    assert read_question("What do Orchard's policies say about 86357?", snap, TODAY).payers == [
        "Orchard Valley Health"
    ]


def test_payers_the_store_does_not_hold(snap: Snapshot) -> None:
    q = read_question("Is 86357 covered by Blue Cross Montana or BCBSFL?", snap, TODAY)
    assert q.payers == []
    assert "Blue Cross and Blue Shield of Montana" in q.unknown_payers
    assert any("Florida" in name for name in q.unknown_payers)
    assert read_question("Does Acme Health Plan cover 86357?", snap, TODAY).unknown_payers == [
        "Acme Health Plan"
    ]
    assert read_question("Does Aetna cover 86356?", snap, TODAY).unknown_payers == ["Aetna"]


def test_a_state_alone_is_not_a_blue_plan(snap: Snapshot) -> None:
    assert read_question("Is 86357 covered in Montana?", snap, TODAY).unknown_payers == []


def test_an_everyday_word_does_not_name_an_absent_payer(snap: Snapshot) -> None:
    assert (
        read_question("Is NK cell testing covered for triple negative cancer?", snap, TODAY).unknown_payers
        == []
    )
    assert read_question("Does Triple-S Salud cover 86357?", snap, TODAY).unknown_payers == ["Triple-S Salud"]


def test_contractions_and_possessives(snap: Snapshot) -> None:
    q = read_question("Which plans don't cover CAR-T therapy?", snap, TODAY)
    assert q.services == ["CAR-T therapy"]
    assert q.statuses == list(NON_COVERAGE)


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        ("Which payers consider NK testing investigational?", ["investigational"]),
        ("Which payers cover NK testing?", ["medically_necessary"]),
        ("Which payers don't cover NK testing?", list(NON_COVERAGE)),
        ("Which payers consider it not medically necessary?", ["not_medically_necessary"]),
        ("What does Orchard say about NK testing?", []),
    ],
)
def test_statuses_asked_about(snap: Snapshot, text: str, statuses: list[str]) -> None:
    assert read_question(text, snap, TODAY).statuses == statuses


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Is 86357 covered by Orchard Valley?", "coverage_at_payer"),
        ("Which payers cover 86357?", "coverage_across_payers"),
        ("Does Orchard cover NK cell testing?", "service_at_payer"),
        ("Which payers consider adoptive immunotherapy investigational?", "payers_for_service"),
        ("What ICD-10 codes support medical necessity for 86357 at Riverstone?", "diagnoses"),
        ("Which diagnoses are not covered for 86357?", "diagnoses"),
        ("What modifiers apply to 90867?", "modifiers"),
        ("What changed in Orchard's policies this year?", "changes"),
        ("What is 86357?", "code_info"),
        ("What does J9035 mean?", "code_info"),
        ("What policies does Riverstone have?", "payer_policies"),
        ("hello there", "unknown"),
        ("", "unknown"),
    ],
)
def test_intents(snap: Snapshot, text: str, intent: str) -> None:
    assert read_question(text, snap, TODAY).intent == intent


def test_service_words_keep_their_inner_stopwords(snap: Snapshot) -> None:
    q = read_question("Is acupuncture for chronic neck pain covered by Orchard?", snap, TODAY)
    assert q.services == ["acupuncture for chronic neck pain"]
    assert q.payers == ["Orchard Valley Health"]


def test_diagnosis_side(snap: Snapshot) -> None:
    assert not read_question("Which ICD-10 codes support 86357?", snap, TODAY).non_supporting
    assert read_question("Which ICD-10 codes do not support 86357?", snap, TODAY).non_supporting


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=160))
def test_any_text_is_read_without_error(snap: Snapshot, text: str) -> None:
    q = read_question(text, snap, TODAY)
    assert q.intent in INTENTS
    assert all(code for _, code in q.codes)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "Is",
                "86357",
                "J9035",
                "covered",
                "by",
                "Orchard",
                "since",
                "2025",
                "-",
                "0537T",
                "ICD-10",
                "C34.90",
                "which",
                "payers",
                "NK",
                "testing",
                "investigational",
                "8.01.33",
                "?",
            ]
        ),
        max_size=12,
    )
)
def test_question_shaped_word_salad(snap: Snapshot, words: list[str]) -> None:
    q = read_question(" ".join(words), snap, TODAY)
    assert q.intent in INTENTS
