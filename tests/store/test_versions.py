"""Versioning: one policy per identity, a new version per new content, the current one by effective date."""

from __future__ import annotations

from medpolicy.api import Store
from medpolicy.model import CodeFact
from store.documents import PolicySpec, policy_document


def test_the_same_content_twice_is_stored_once(store: Store) -> None:
    first = store.add(*policy_document(PolicySpec()))
    again = store.add(*policy_document(PolicySpec()))
    assert (first.outcome, again.outcome) == ("new", "unchanged")
    assert again.policy_id == first.policy_id and again.version_no == 1
    assert store.stats().versions == 1


def test_identical_content_under_another_path_is_unchanged(store: Store) -> None:
    store.add(*policy_document(PolicySpec(number=None), path="/a/policy.txt"))
    again = store.add(*policy_document(PolicySpec(number=None), path="/b/copy.txt"))
    assert again.outcome == "unchanged"
    assert store.stats().policies == 1


def test_changed_content_becomes_version_2_and_current(store: Store) -> None:
    store.add(*policy_document(PolicySpec(effective="2023-01-01")))
    second = store.add(
        *policy_document(PolicySpec(effective="2024-06-01", title="Adoptive Immunotherapy (revised)"))
    )
    assert (second.outcome, second.version_no) == ("updated", 2)
    detail = store.policy(second.policy_id or 0)
    assert [(v.version_no, v.is_current) for v in detail.versions] == [(1, False), (2, True)]
    assert detail.version.summary.version_no == 2
    assert detail.title == "Adoptive Immunotherapy (revised)"
    assert store.stats().policies == 1


def test_the_current_version_is_the_latest_effective_not_the_latest_stored(store: Store) -> None:
    newer = store.add(*policy_document(PolicySpec(effective="2024-06-01", title="Newer Title")))
    older = store.add(*policy_document(PolicySpec(effective="2022-01-01", title="Older Title")))
    assert older.version_no == 2
    detail = store.policy(newer.policy_id or 0)
    assert detail.version.summary.version_no == 1
    assert detail.title == "Newer Title"
    # versions are listed in time order, oldest first
    assert [v.version_no for v in detail.versions] == [2, 1]


def test_an_undated_version_is_older_than_a_dated_one(store: Store) -> None:
    dated = store.add(*policy_document(PolicySpec(effective="2020-01-01", title="Dated")))
    store.add(*policy_document(PolicySpec(effective=None, title="Undated")))
    assert store.policy(dated.policy_id or 0).title == "Dated"


def test_payer_aliases_and_number_spellings_are_one_policy(store: Store) -> None:
    first = store.add(*policy_document(PolicySpec(payer="BCBSMT", number="8.01.01")))
    second = store.add(
        *policy_document(
            PolicySpec(
                payer="Blue Cross and Blue Shield of Montana", number=" 8.01.01 ", effective="2025-01-01"
            )
        )
    )
    assert second.outcome == "updated" and second.policy_id == first.policy_id
    assert [p.payer for p in store.payers()] == ["Blue Cross and Blue Shield of Montana"]


def test_one_number_at_two_payers_is_two_policies(store: Store) -> None:
    a = store.add(*policy_document(PolicySpec(payer="Aetna", number="0243")))
    b = store.add(*policy_document(PolicySpec(payer="Cigna", number="0243")))
    assert a.policy_id != b.policy_id


def test_without_a_number_path_and_title_identify_the_policy(store: Store) -> None:
    first = store.add(*policy_document(PolicySpec(number=None, effective="2023-01-01"), path="/docs/a.txt"))
    same_place = store.add(
        *policy_document(PolicySpec(number=None, effective="2024-01-01"), path="/docs/a.txt")
    )
    elsewhere = store.add(
        *policy_document(PolicySpec(number=None, effective="2025-01-01"), path="/docs/b.txt")
    )
    assert same_place.outcome == "updated" and same_place.policy_id == first.policy_id
    assert elsewhere.outcome == "new" and elsewhere.policy_id != first.policy_id


def test_every_stored_fact_keeps_its_span_into_the_stored_text(store: Store) -> None:
    spec = PolicySpec(
        ranges=[("ICD-10-CM", "C81.00", "C96.9", None)],
        references=["Smith J. Natural killer cells. J Test. 2020;1:1-2."],
        history=[("2023-05-01", "Policy created.")],
        related=[("8.01.63", "CAR-T Therapy")],
    )
    stored = store.add(*policy_document(spec))
    detail = store.policy(stored.policy_id or 0, text=True)
    text = detail.version.text
    assert text is not None
    for code in detail.version.codes:
        start, end = code.spans[0]
        assert text[start:end] == code.code
        assert code.statement_span is not None
        assert text[code.statement_span[0] : code.statement_span[1]] == code.statement
    for position in detail.version.coverage:
        assert text[position.spans[0][0] : position.spans[0][1]] == position.statement
    (rng,) = detail.version.code_ranges
    assert text[rng.spans[0][0] : rng.spans[0][1]] == "C81.00-C96.9"
    assert [s.heading for s in detail.version.sections] == ["Policy", "Coding"]
    assert detail.version.references[0].text.startswith("Smith J.")
    assert detail.version.history[0].date == "2023-05-01"
    assert detail.version.related_policies[0].number == "8.01.63"
    assert detail.version.pages == []


def test_code_status_falls_back_to_the_policys_single_position(store: Store) -> None:
    spec = PolicySpec(
        codes=[
            ("CPT", "86357", None, None, "listed"),
            ("CPT", "0537T", None, "medically_necessary", "listed"),
        ]
    )
    store.add(*policy_document(spec))
    statuses = {c.code: c.status for c in store.policy("8.01.01").version.codes}
    assert statuses == {"86357": "investigational", "0537T": "medically_necessary"}


def test_disagreeing_positions_make_an_unlinked_code_mixed(store: Store) -> None:
    spec = PolicySpec(
        positions=[
            ("investigational", "A is investigational.", "A"),
            ("medically_necessary", "B is medically necessary.", "B"),
        ]
    )
    store.add(*policy_document(spec))
    code = store.policy("8.01.01").version.codes[0]
    assert code.status == "mixed" and code.statement is None


def test_nul_characters_are_stored_without_moving_any_offset(store: Store) -> None:
    text, source, extraction = policy_document(PolicySpec(extra="bad\x00byte"))
    stored = store.add(text, source, extraction)
    stored_text = store.policy(stored.policy_id or 0, text=True).version.text
    assert stored_text is not None and len(stored_text) == len(text.text)
    assert "bad byte" in stored_text


def test_a_code_named_twice_in_a_version_is_kept_as_the_document_gives_it(store: Store) -> None:
    text, source, extraction = policy_document(PolicySpec())
    extraction.codes.append(CodeFact("CPT", "86357", None, "mentioned", None, [(0, 1)]))
    store.add(text, source, extraction)
    assert [p.role for p in store.code("86357").policies] == ["listed", "mentioned"]
