"""Full-text search: ranking, filters, snippets, code redirection, and clear errors for bad syntax."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from medpolicy.api import Store
from medpolicy.errors import QueryError
from medpolicy.query.search import snippet_parts
from medpolicy.store.fulltext import HIGHLIGHT_END, HIGHLIGHT_START
from query.sample import AETNA, fill
from store.documents import PolicySpec, policy_document


def test_words_find_the_policies_holding_them_best_first(store: Store) -> None:
    ids = fill(store)
    hits = store.search("natural killer").hits
    assert {h.policy_id for h in hits} == {ids["premera"], ids["aetna"]}
    assert hits[0].policy_id == ids["aetna"]  # the words are in its title
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_snippets_highlight_the_matched_words(store: Store) -> None:
    fill(store)
    hit = store.search("lymphocytes").hits[0]
    assert "«lymphocytes»" in hit.snippet
    assert ("lymphocytes", True) in hit.snippet_parts


def test_a_word_deep_in_a_long_policy_is_highlighted(store: Store) -> None:
    filler = " ".join(["The plan reviews each request against its criteria."] * 400)  # about 20,000 characters
    store.add(*policy_document(PolicySpec(extra=f"{filler}\nPlasmapheresis is investigational.\n{filler}")))
    hit = store.search("plasmapheresis").hits[0]
    assert "«Plasmapheresis»" in hit.snippet


def test_stemming_finds_other_forms_of_a_word(store: Store) -> None:
    fill(store)
    assert store.search("lymphocyte").hits and store.search("infusion").hits


def test_phrases_prefixes_or_and_exclusion(store: Store) -> None:
    ids = fill(store)
    assert {h.policy_id for h in store.search('"killer cell therapy"').hits} == {ids["aetna"]}
    assert {h.policy_id for h in store.search("lympho*").hits} == {ids["premera"], ids["cigna"]}
    assert {h.policy_id for h in store.search("infusions OR lymphocytes").hits} == {
        ids["cigna"],
        ids["premera"],
    }
    assert {h.policy_id for h in store.search("natural killer -aetna").hits} == {ids["premera"]}
    assert {h.policy_id for h in store.search("CAR-T").hits} == {ids["aetna"], ids["cigna"]}


def test_filters_by_payer_alias_doc_type_and_status(store: Store) -> None:
    ids = fill(store)
    assert [h.policy_id for h in store.search("killer", payer="Aetna Inc").hits] == [ids["aetna"]]
    assert [h.policy_id for h in store.search("killer", doc_type="medical_policy").hits] == [ids["premera"]]
    assert {
        h.policy_id for h in store.search("immunotherapy OR therapy", status="medically_necessary").hits
    } == {ids["cigna"]}


def test_only_current_versions_are_searched(store: Store) -> None:
    store.add(*policy_document(AETNA))
    store.add(*policy_document(replace(AETNA, effective="2025-01-01", extra="zebrafish")))
    hits = store.search("killer").hits
    assert [h.version_no for h in hits] == [2]


def test_limit_caps_the_results(store: Store) -> None:
    for n in range(5):
        store.add(*policy_document(PolicySpec(number=str(n), extra=f"common word {n}"), path=f"/{n}.txt"))
    assert len(store.search("common", limit=3).hits) == 3


def test_a_code_is_looked_up_instead_of_searched(store: Store) -> None:
    fill(store)
    result = store.search(" 0537t ")
    assert result.is_code_lookup and result.hits == []
    assert result.code is not None and result.code.code == "0537T"
    assert len(result.code.policies) == 2


def test_no_match_is_an_empty_result(store: Store) -> None:
    fill(store)
    assert store.search("xylophone").hits == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"natural killer', "unbalanced quotation mark"),
        ("AND OR", "'AND' needs a word"),
        ("killer OR", "at the end"),
        ("OR killer", "'OR' needs a word"),
        ("-killer", "cannot only exclude"),
        ("NOT NOT killer", "'NOT' is followed by 'NOT'"),
        ("((()))", "nothing to search for"),
        ("", "nothing to search for"),
    ],
)
def test_malformed_searches_get_a_clear_message(store: Store, query: str, message: str) -> None:
    fill(store)
    with pytest.raises(QueryError, match=message):
        store.search(query)


@pytest.mark.parametrize(
    "query", ["NEAR(", "killer*)", "col:killer", "^killer", "killer + cells", "{killer}"]
)
def test_fts_syntax_characters_are_plain_punctuation(store: Store, query: str) -> None:
    fill(store)
    store.search(query)  # no error: punctuation only separates words


@pytest.mark.parametrize(("option", "value"), [("status", "covered"), ("doc_type", "pamphlet"), ("limit", 0)])
def test_bad_filters_are_refused_clearly(store: Store, option: str, value: object) -> None:
    with pytest.raises(QueryError, match=option.replace("doc_type", "document type")):
        store.search("killer", **{option: value})  # type: ignore[arg-type]


def test_snippet_parts_split_at_the_markers() -> None:
    raw = f"a {HIGHLIGHT_START}b{HIGHLIGHT_END} c{HIGHLIGHT_START}d"
    assert snippet_parts(raw) == [("a ", False), ("b", True), (" c", False), ("d", True)]
