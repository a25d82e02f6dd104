"""Code lookup: every current policy naming a code, its status and statement, descriptions with provenance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import medpolicy
from medpolicy.api import Store
from medpolicy.errors import QueryError
from query.sample import AETNA, fill
from store.documents import PolicySpec, policy_document


def test_a_code_lists_every_current_policy_with_its_status(store: Store) -> None:
    ids = fill(store)
    lookup = store.code("86357")
    assert (lookup.code, lookup.system) == ("86357", "CPT")
    by_id = {p.policy_id: p for p in lookup.policies}
    assert set(by_id) == {ids["premera"], ids["aetna"], ids["lcd"]}
    aetna = by_id[ids["aetna"]]
    assert (aetna.payer, aetna.policy_number, aetna.doc_type) == ("Aetna", "0999", "clinical_policy_bulletin")
    assert (aetna.status, aetna.matched, aetna.role, aetna.effective) == (
        "not_covered",
        "code",
        "listed",
        "2023-03-01",
    )
    premera = by_id[ids["premera"]]
    assert premera.status == "investigational"
    assert premera.statement == "Adoptive immunotherapy with natural killer cells is investigational."
    assert by_id[ids["lcd"]].status is None and by_id[ids["lcd"]].role == "mentioned"


def test_results_are_ordered_by_payer_with_unnamed_payers_last(store: Store) -> None:
    fill(store)
    assert [p.payer for p in store.code("86357").policies] == ["Aetna", "Premera Blue Cross", None]


def test_descriptions_come_with_the_document_that_gives_them(store: Store) -> None:
    ids = fill(store)
    found = {(d.description, d.policy_id, d.version_no) for d in store.code("86357").descriptions}
    assert found == {
        ("Natural killer (NK) cells, total count", ids["premera"], 1),
        ("NK cells total count", ids["aetna"], 1),
    }


def test_a_code_inside_a_listed_range_is_matched_via_the_range(store: Store) -> None:
    ids = fill(store)
    lookup = store.code("c83.30")
    assert (lookup.code, lookup.system) == ("C83.30", "ICD-10-CM")
    by_id = {p.policy_id: p for p in lookup.policies}
    assert by_id[ids["cigna"]].matched == "code"
    via = by_id[ids["aetna"]]
    assert (via.matched, via.range, via.role) == ("range", "C81.00-C96.9", None)
    assert via.status == "investigational"  # the Aetna policy's single position


def test_a_code_outside_every_range_is_not_matched(store: Store) -> None:
    fill(store)
    assert store.code("C34.90").policies == []


def test_only_current_versions_answer(store: Store) -> None:
    store.add(*policy_document(AETNA))
    revised = replace(AETNA, effective="2025-01-01", codes=[("CPT", "0537T", None, None, "listed")])
    store.add(*policy_document(revised))
    assert store.code("86357").policies == []
    assert [p.version_no for p in store.code("0537T").policies] == [2]


def test_an_unknown_code_shape_is_still_looked_up_as_written(store: Store) -> None:
    spec = PolicySpec(codes=[("ICD-10-PCS", "XW033C3", "Introduction of CAR-T", None, "listed")])
    store.add(*policy_document(spec))
    lookup = store.code("xw033c3")
    assert lookup.system == "ICD-10-PCS" and len(lookup.policies) == 1


def test_lookup_serialises_to_plain_data(store: Store) -> None:
    fill(store)
    data = store.code("86357").to_dict()
    assert data["code"] == "86357" and isinstance(data["policies"][0], dict)
    assert set(data["policies"][0]) >= {
        "payer",
        "policy_number",
        "title",
        "status",
        "statement",
        "statement_span",
    }


@pytest.mark.parametrize("bad", ["", "   ", "86357 0537T", "X" * 30])
def test_something_that_is_not_a_code_is_refused_clearly(store: Store, bad: str) -> None:
    with pytest.raises(QueryError, match="not a billing code"):
        store.code(bad)


def test_a_dotless_code_takes_the_reading_the_store_holds(store: Store) -> None:
    store.add(*policy_document(PolicySpec(number="1", codes=[("HCPCS", "C8330", None, None, "listed")])))
    assert (store.code("C8330").system, store.code("C8330").code) == ("HCPCS", "C8330")
    store.add(*policy_document(PolicySpec(number="2", codes=[("ICD-10-CM", "C83.30", None, None, "listed")])))
    assert (store.code("C8330").system, store.code("C8330").code) == ("ICD-10-CM", "C83.30")


@pytest.fixture(scope="module")
def memory_store() -> Iterator[Store]:
    with medpolicy.open(":memory:") as opened:
        fill(opened)
        yield opened


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=25))
def test_any_text_is_a_lookup_or_a_query_error(memory_store: Store, text: str) -> None:
    try:
        lookup = memory_store.code(text)
    except QueryError as exc:
        assert "not a billing code" in str(exc)
    else:
        assert lookup.code == lookup.code.strip().upper()
