"""A code report reads the store in bulk: its queries do not grow with the policies it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from medpolicy.api import Store
from medpolicy.report import code_report
from report.documents import Policy, build

STATUSES = ("investigational", "medically_necessary")


def larch(n: int, version: int) -> Policy:
    """Policy n of a payer of its own naming 86357: version 1 says investigational, version 2 covers it."""
    status = STATUSES[version - 1]
    return Policy(
        payer=f"Larch Health {n}",
        number=f"LH-{n}",
        title="Natural Killer Cell Testing",
        effective=f"{2023 + version}-01-01",
        positions=[(status, f"NK cell counts are {status.replace('_', ' ')}.", "NK cell counts", [])],
        codes=[
            ("CPT", "86357", "Natural killer cells, total count", status, "listed"),
            ("CPT", f"8635{n % 3}", None, None, "listed"),
        ],
        path=f"/docs/larch-{n}-v{version}.txt",
    )


def add_policies(store: Store, numbers: range) -> None:
    for n in numbers:
        for version in (1, 2):
            store.add(*build(larch(n, version)))


def statements(store: Store, make: Callable[[], Any]) -> int:
    """How many SQL statements `make()` runs on the store."""
    count = 0

    def counted(*_: object) -> None:
        nonlocal count
        count += 1

    event.listen(store.engine, "before_cursor_execute", counted)
    try:
        make()
    finally:
        event.remove(store.engine, "before_cursor_execute", counted)
    return count


def test_a_code_report_runs_as_many_queries_for_eight_policies_as_for_two(store: Store) -> None:
    add_policies(store, range(2))
    few = statements(store, lambda: code_report(store, "86357"))

    add_policies(store, range(2, 8))
    report = code_report(store, "86357")
    many = statements(store, lambda: code_report(store, "86357"))

    # every policy is shown, cited, and its change listed...
    assert len(report.coverage.rows) == 8 and len(report.changes) == 8
    assert {s.policy_id for s in report.sources} == {r.policy_id for r in report.coverage.rows}
    assert all(c.section == "Policy" for c in (r.citation for r in report.coverage.rows))
    # ...from the same queries, each over all of them, not a set of queries per policy
    assert many == few
