"""Payers with their counts, and store statistics."""

from __future__ import annotations

from medpolicy.api import Store
from medpolicy.store.migrations import latest_version
from query.sample import fill
from store.documents import PolicySpec, policy_document


def test_payers_are_canonical_with_counts(store: Store) -> None:
    fill(store)
    store.add(*policy_document(PolicySpec(payer="Premera", effective="2026-01-01")))
    payers = {p.payer: (p.policies, p.versions, p.codes) for p in store.payers()}
    assert payers == {"Aetna": (1, 1, 2), "Cigna Healthcare": (1, 1, 2), "Premera Blue Cross": (1, 2, 2)}


def test_stats_count_everything(store: Store) -> None:
    fill(store)
    stats = store.stats()
    assert (stats.policies, stats.versions, stats.payers) == (4, 4, 3)
    assert stats.codes == 4  # 86357 (named by three policies), S2107, 0537T, C83.30
    assert stats.code_facts == 7
    assert stats.by_doc_type == {"clinical_policy_bulletin": 1, "lcd": 1, "medical_policy": 2}
    assert stats.schema_version == latest_version()
    assert stats.backend == store.backend


def test_an_empty_store_has_zero_counts(store: Store) -> None:
    stats = store.stats()
    assert (stats.policies, stats.versions, stats.codes, stats.payers) == (0, 0, 0, 0)
    assert store.payers() == []
