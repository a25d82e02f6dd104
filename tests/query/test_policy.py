"""One policy by id or number, its facts and versions; the list of policies."""

from __future__ import annotations

import pytest

from medpolicy.api import Store
from medpolicy.errors import QueryError
from query.sample import fill
from store.documents import PolicySpec, policy_document


def test_a_policy_by_number_or_id_has_its_current_facts(store: Store) -> None:
    ids = fill(store)
    by_number = store.policy("0999")
    assert by_number.policy_id == ids["aetna"]
    assert store.policy(ids["aetna"]) == by_number
    assert store.policy(f"#{ids['aetna']}").policy_id == ids["aetna"]
    assert by_number.payer == "Aetna" and by_number.version.payer_as_written == "Aetna Inc."
    assert [c.code for c in by_number.version.codes] == ["86357", "0537T"]
    assert [(r.start, r.end) for r in by_number.version.code_ranges] == [("C81.00", "C96.9")]
    assert by_number.version.dates["effective"] == "2023-03-01"
    assert by_number.version.text is None


def test_text_is_included_on_request(store: Store) -> None:
    fill(store)
    detail = store.policy("mp-123", text=True)
    assert detail.version.text is not None and detail.version.text.startswith("Cigna\n")


def test_an_older_version_can_be_shown(store: Store) -> None:
    store.add(*policy_document(PolicySpec(effective="2023-01-01", title="Old")))
    store.add(*policy_document(PolicySpec(effective="2024-01-01", title="New")))
    old = store.policy("8.01.01", version=1)
    assert old.version.summary.title == "Old" and not old.version.summary.is_current
    with pytest.raises(QueryError, match=r"no version 7 \(versions: 1, 2\)"):
        store.policy("8.01.01", version=7)


def test_a_number_used_by_two_payers_needs_the_payer(store: Store) -> None:
    store.add(*policy_document(PolicySpec(payer="Aetna", number="0243"), path="/a.txt"))
    store.add(*policy_document(PolicySpec(payer="Cigna", number="0243"), path="/b.txt"))
    with pytest.raises(QueryError, match="used by 2 policies"):
        store.policy("0243")
    assert store.policy("0243", payer="cigna").payer == "Cigna Healthcare"


@pytest.mark.parametrize("missing", ["9.99.99", "424242", 424242])
def test_an_unknown_policy_is_a_clear_error(store: Store, missing: str | int) -> None:
    fill(store)
    with pytest.raises(QueryError, match="no policy"):
        store.policy(missing)


def test_policies_lists_every_policy_with_counts(store: Store) -> None:
    ids = fill(store)
    store.add(
        *policy_document(
            PolicySpec(effective="2025-01-01", codes=[("CPT", "86357", None, None, "listed")]),
            path="/docs/premera.txt",
        )
    )
    listed = store.policies()
    assert [p.payer for p in listed] == ["Aetna", "Cigna Healthcare", "Premera Blue Cross", None]
    premera = next(p for p in listed if p.policy_id == ids["premera"])
    assert (premera.versions, premera.version_no, premera.codes, premera.effective) == (2, 2, 1, "2025-01-01")
    assert [p.policy_id for p in store.policies(payer="Cigna")] == [ids["cigna"]]
    assert [p.policy_id for p in store.policies(doc_type="lcd")] == [ids["lcd"]]
