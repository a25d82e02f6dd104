"""Changes between consecutive versions: codes added/removed, status changes, positions, dates, title."""

from __future__ import annotations

from dataclasses import replace

import pytest

from medpolicy.api import Store
from medpolicy.errors import QueryError
from store.documents import PolicySpec, policy_document

V1 = PolicySpec(
    effective="2023-01-01",
    positions=[
        ("investigational", "NK cell therapy is investigational.", "NK cell therapy"),
        ("not_covered", "Cosmetic uses are not covered.", "cosmetic uses"),
    ],
    codes=[
        ("CPT", "86357", "NK count", None, "listed"),
        ("HCPCS", "S2107", None, "investigational", "listed"),
    ],
)
V2 = PolicySpec(
    effective="2024-07-01",
    title="Adoptive Immunotherapy and NK Cells",
    positions=[
        (
            "medically_necessary",
            "NK cell therapy is medically necessary when criteria are met.",
            "NK cell therapy",
        ),
        ("investigational", "Other uses are investigational.", "other uses"),
    ],
    codes=[
        ("CPT", "86357", "NK count", "medically_necessary", "listed"),
        ("CPT", "0537T", None, None, "listed"),
    ],
)


def test_changes_name_codes_statuses_positions_dates_and_title(store: Store) -> None:
    store.add(*policy_document(V1))
    store.add(*policy_document(V2))
    (change,) = store.changes()
    assert (change.before.version_no, change.after.version_no) == (1, 2)
    assert (change.before.effective, change.after.effective) == ("2023-01-01", "2024-07-01")
    assert len(change.before.sha256) == 12
    assert [(c.system, c.code) for c in change.codes_added] == [("CPT", "0537T")]
    assert [(c.system, c.code) for c in change.codes_removed] == [("HCPCS", "S2107")]
    assert [(s.subject, s.before, s.after) for s in change.code_status_changes] == [
        ("86357", "mixed", "medically_necessary")
    ]
    assert [(s.subject, s.before, s.after) for s in change.position_status_changes] == [
        ("NK cell therapy", "investigational", "medically_necessary")
    ]
    assert [p.applies_to for p in change.positions_added] == ["other uses"]
    assert [p.applies_to for p in change.positions_removed] == ["cosmetic uses"]
    assert [(d.field, d.before, d.after) for d in change.date_changes] == [
        ("effective", "2023-01-01", "2024-07-01")
    ]
    assert (
        change.title_change is not None and change.title_change.after == "Adoptive Immunotherapy and NK Cells"
    )
    assert not change.is_empty
    assert change.to_dict()["codes_added"][0]["code"] == "0537T"


def test_versions_are_compared_in_time_order_not_storage_order(store: Store) -> None:
    store.add(*policy_document(V2))
    store.add(*policy_document(V1))
    (change,) = store.changes()
    assert (change.before.version_no, change.after.version_no) == (2, 1)
    assert [c.code for c in change.codes_added] == ["0537T"]


def test_three_versions_give_two_changes_newest_first(store: Store) -> None:
    store.add(*policy_document(V1))
    store.add(*policy_document(V2))
    store.add(*policy_document(replace(V2, effective="2025-02-01")))
    changes = store.changes()
    assert [(c.before.effective, c.after.effective) for c in changes] == [
        ("2024-07-01", "2025-02-01"),
        ("2023-01-01", "2024-07-01"),
    ]
    assert [d.field for d in changes[0].date_changes] == ["effective"]


def test_since_and_payer_filter_changes(store: Store) -> None:
    store.add(*policy_document(V1))
    store.add(*policy_document(V2))
    store.add(*policy_document(replace(V1, payer="Aetna", number="0001")))
    store.add(*policy_document(replace(V2, payer="Aetna", number="0001", effective="2023-06-01")))
    assert len(store.changes()) == 2
    assert [c.payer for c in store.changes(since="2024-01")] == ["Premera Blue Cross"]
    assert [c.payer for c in store.changes(payer="AETNA INC.")] == ["Aetna"]
    assert store.changes(since="2030-01-01") == []


def test_a_policy_with_one_version_has_no_changes(store: Store) -> None:
    store.add(*policy_document(V1))
    assert store.changes() == []


@pytest.mark.parametrize("since", ["yesterday", "2024-13-01", "2024-02-30", "24-01-01"])
def test_a_bad_since_date_is_refused_clearly(store: Store, since: str) -> None:
    with pytest.raises(QueryError, match="not a date"):
        store.changes(since=since)
