from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.api import Store
from medpolicy.ask import ANSWER_STATUSES, Answer, ask

from .conftest import TODAY


def _ask(store: Store, question: str) -> Answer:
    return ask(store, question, today=TODAY, rephrase=False)


def assert_quotes_are_the_stored_words(store: Store, answer: Answer) -> None:
    """Every policy quote with a span is exactly the words at that span of its version's text."""
    for item in answer.evidence:
        if item.source != "policy" or item.span is None:
            continue
        assert item.policy_id is not None
        text = store.policy(item.policy_id, version=item.version, text=True).version.text or ""
        start, end = item.span
        assert " ".join(text[start:end].split()) == item.statement


def test_code_at_a_payer(store: Store) -> None:
    answer = _ask(store, "Is 86357 covered by Orchard Valley?")
    assert answer.intent == "coverage_at_payer"
    assert answer.status == "answered"
    assert answer.answer.startswith("No. Orchard Valley Health considers 86357 investigational")
    assert {e.policy_number for e in answer.evidence} == {"OV-2.01"}
    assert "investigational" in {e.status for e in answer.evidence}
    assert {e.section for e in answer.evidence} == {"Coding", "Policy"}
    assert answer.parsed.codes == ["86357"] and answer.parsed.payers == ["Orchard Valley Health"]
    assert_quotes_are_the_stored_words(store, answer)


def test_one_policy_with_positions_that_differ_depends_on_the_indication(store: Store) -> None:
    answer = _ask(store, "Does Riverstone cover 86357?")
    assert answer.status == "answered"
    assert "depends on the indication" in answer.answer
    assert {"medically_necessary", "investigational"} <= {e.status for e in answer.evidence}
    assert_quotes_are_the_stored_words(store, answer)


def test_no_policy_for_the_code_at_a_payer_in_the_store(store: Store) -> None:
    answer = _ask(store, "Does Orchard cover 90867?")
    assert answer.status == "no_policy_found"
    assert answer.answer == "No policy found in the store for 90867 at Orchard Valley Health."
    assert answer.evidence == []


def test_payer_not_in_the_store(store: Store) -> None:
    answer = _ask(store, "Does Aetna cover 86356?")
    assert answer.status == "no_policy_found"
    assert answer.answer == (
        "No policy found in the store for 86356 at Aetna: the store holds no policies from it."
    )
    assert answer.evidence == []


def test_payers_disagree_on_a_code(store: Store) -> None:
    answer = _ask(store, "Is 86357 covered?")
    assert answer.intent == "coverage_across_payers"
    assert answer.status == "conflicting"
    assert any("disagree" in note for note in answer.notes)
    assert {e.payer for e in answer.evidence} == {"Orchard Valley Health", "Riverstone Health Plan"}
    assert all(e.title != "CPT 86357 explained" for e in answer.evidence)  # code pages state no coverage


def test_which_payers_hold_a_status_for_a_code(store: Store) -> None:
    answer = _ask(store, "Which payers consider 86357 investigational?")
    assert answer.status == "answered"
    assert answer.answer.startswith("Orchard Valley Health (investigational")
    assert "Riverstone Health Plan" in answer.answer and "for some indications" in answer.answer


def test_only_the_current_version_answers(store: Store) -> None:
    answer = _ask(store, "Is G0398 covered at Orchard?")
    assert answer.answer.startswith("Yes. Orchard Valley Health considers G0398 medically necessary")
    assert {e.version for e in answer.evidence} == {2}


def test_a_code_named_only_in_passing(store: Store) -> None:
    answer = _ask(store, "Is 86359 covered at Riverstone?")
    assert "states no coverage position" in answer.answer
    assert any("only mentions the code" in note for note in answer.notes)
    assert [e.section for e in answer.evidence] == ["History"]


def test_a_range_is_answered_code_by_code(store: Store) -> None:
    answer = _ask(store, "Are G0398-G0399 covered by Orchard Valley?")
    assert answer.parsed.codes == ["G0398-G0399"]
    assert "G0398 and G0399" in answer.answer and "medically necessary" in answer.answer


def test_a_policy_number_narrows_the_answer(store: Store) -> None:
    answer = _ask(store, "Is 86357 covered under RS-118?")
    assert {e.policy_number for e in answer.evidence} == {"RS-118"}


def test_out_of_date_policy_is_flagged(store: Store) -> None:
    answer = _ask(store, "Is 90867 covered by Meadowlark Mutual?")
    assert answer.answer.startswith("Yes.")
    assert any("2014-05-01: may be out of date" in note for note in answer.notes)


def test_a_service_found_through_an_abbreviation(store: Store) -> None:
    answer = _ask(store, "Does Meadowlark cover TMS?")
    assert answer.intent == "service_at_payer"
    assert answer.answer.startswith("Yes. Meadowlark Mutual considers TMS medically necessary")
    assert answer.evidence[0].statement.startswith("Repetitive transcranial magnetic stimulation")
    assert_quotes_are_the_stored_words(store, answer)


def test_which_payers_for_a_service(store: Store) -> None:
    answer = _ask(store, "Which payers consider natural killer cell testing investigational?")
    assert answer.intent == "payers_for_service"
    assert answer.status == "answered"
    assert "Orchard Valley Health" in answer.answer and "Riverstone Health Plan" in answer.answer


def test_a_service_no_policy_addresses(store: Store) -> None:
    answer = _ask(store, "Does Orchard cover proton beam therapy?")
    assert answer.status == "no_policy_found"
    assert answer.answer.startswith("No policy found in the store")
    assert answer.evidence == []


def test_supporting_and_non_supporting_diagnoses(store: Store) -> None:
    supporting = _ask(store, "What ICD-10 codes support medical necessity for 86357 at Riverstone?")
    assert supporting.intent == "diagnoses"
    assert "D84.9" in supporting.answer and "D80.0-D80.9" in supporting.answer
    assert "N96" not in supporting.answer
    assert_quotes_are_the_stored_words(store, supporting)
    against = _ask(store, "Which diagnoses do not support medical necessity for 86357 at Riverstone?")
    assert "N96" in against.answer and "D84.9" not in against.answer


def test_changes_since_a_date(store: Store) -> None:
    answer = _ask(store, "What changed this year?")
    assert answer.intent == "changes" and answer.status == "answered"
    assert "OV-5.10" in answer.answer and "added G0399" in answer.answer
    assert "moved from investigational to medically necessary" in answer.answer
    assert answer.parsed.since == "2026-01-01"
    assert_quotes_are_the_stored_words(store, answer)
    nothing = _ask(store, "What changed in 2024?")
    assert nothing.status == "no_policy_found"
    assert nothing.answer == "No policy changes are recorded in the store between 2024-01-01 and 2024-12-31."


def test_what_a_code_is(store: Store) -> None:
    cpt = _ask(store, "What is 86357?")
    assert cpt.intent == "code_info" and cpt.status == "answered"
    assert "CPT Category I code" in cpt.answer and "Natural killer cells, total count" in cpt.answer
    icd = _ask(store, "What is N96?")
    assert "Recurrent pregnancy loss" in icd.answer
    assert any(e.source == "code set" for e in icd.evidence)
    unknown = _ask(store, "What does 99213 mean?")
    assert unknown.status == "no_policy_found"
    assert any("AMA" in note for note in unknown.notes)


def test_modifiers_from_the_notes_and_the_policy(store: Store) -> None:
    answer = _ask(store, "What modifiers apply to 90867?")
    assert answer.intent == "modifiers" and answer.status == "answered"
    assert "59" in answer.answer
    assert any(e.source == "modifier notes" for e in answer.evidence)
    assert any(e.source == "policy" and "modifier 59" in e.statement for e in answer.evidence)
    assert _ask(store, "What modifiers apply to N96?").answer.startswith("N96 is a diagnosis code")


def test_payer_policies(store: Store) -> None:
    answer = _ask(store, "What policies does Orchard Valley have?")
    assert answer.intent == "payer_policies"
    assert {e.policy_number for e in answer.evidence} == {"OV-2.01", "OV-5.10"}


def test_not_understood(store: Store) -> None:
    answer = _ask(store, "hello there")
    assert answer.status == "not_understood" and answer.intent == "unknown"
    assert answer.notes  # examples of questions that work


def test_an_empty_store_finds_nothing_and_guesses_nothing(empty_store: Store) -> None:
    assert _ask(empty_store, "Is 86357 covered?").status == "no_policy_found"
    assert _ask(empty_store, "Does Aetna cover 86357?").status == "no_policy_found"
    assert _ask(empty_store, "Which payers cover acupuncture?").status == "no_policy_found"


def test_answers_serialise_and_render(store: Store) -> None:
    answer = _ask(store, "Is 86357 covered?")
    data = json.loads(json.dumps(answer.to_dict()))
    assert set(data) >= {"question", "intent", "answer", "evidence", "status", "notes", "parsed"}
    assert set(data["evidence"][0]) >= {
        "payer",
        "policy_id",
        "policy_number",
        "title",
        "version",
        "section",
        "effective",
        "statement",
        "span",
    }
    assert set(data["parsed"]) >= {"codes", "payers", "services", "since"}
    text = answer.to_text()
    assert text.startswith("Q: Is 86357 covered?\nA: Payers differ on 86357")
    assert "Status: conflicting" in text and "Evidence:" in text and "[1] Orchard Valley Health" in text
    assert "“Natural killer cell testing is considered investigational" in text


def test_a_code_for_a_named_indication(store: Store) -> None:
    infertility = _ask(store, "Is 86357 covered at Riverstone for infertility?")
    assert infertility.answer.startswith(
        "No. Riverstone Health Plan considers 86357 for infertility investigational"
    )
    immunodeficiency = _ask(store, "Is 86357 covered at Riverstone for primary immunodeficiency?")
    assert immunodeficiency.answer.startswith("Yes.")
    assert [e.status for e in immunodeficiency.evidence if e.status] == ["medically_necessary"]
    elsewhere = _ask(store, "Is 86357 covered at Orchard for primary immunodeficiency?")
    assert "investigational" in elsewhere.answer
    assert any("states no position on “primary immunodeficiency”" in note for note in elsewhere.notes)


def test_a_range_too_large_to_answer_code_by_code(store: Store) -> None:
    answer = _ask(store, "Are C00.0-Z99.89 covered by Orchard?")
    assert answer.status == "not_understood"
    assert "narrower range" in answer.answer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=120),
        st.lists(
            st.sampled_from(
                [
                    "Is",
                    "Which",
                    "payers",
                    "86357",
                    "G0398-G0399",
                    "N96",
                    "covered",
                    "by",
                    "Orchard",
                    "Aetna",
                    "for",
                    "NK",
                    "testing",
                    "ICD-10",
                    "support",
                    "modifiers",
                    "changed",
                    "since",
                    "2025",
                    "not",
                    "investigational",
                    "RS-118",
                    "what",
                    "is",
                    "?",
                ]
            ),
            max_size=10,
        ).map(" ".join),
    )
)
def test_any_question_gets_an_answer_with_a_valid_status(store: Store, question: str) -> None:
    answer = _ask(store, question)
    assert answer.status in ANSWER_STATUSES
    assert answer.answer
    json.dumps(answer.to_dict())
    assert answer.to_text().startswith("Q: ")
