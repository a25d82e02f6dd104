"""When and from what store a report was made (printed in every report's header)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import distinct, func, select

from medpolicy.api import Store
from medpolicy.report.model import StoreSummary
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import policies


def generated_at() -> str:
    """Now, ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def store_summary(store: Store) -> StoreSummary:
    """The policies and payers the store holds, counted as `Store.stats` counts them.

    Two counts on the policies table: `Store.stats` also counts every stored code, which
    takes about a second on a large store and which no report prints.
    """
    with read_transaction(store.engine) as conn:
        counts = conn.execute(
            select(func.count(), func.count(distinct(policies.c.payer))).select_from(policies)
        ).one()
    return StoreSummary(store.backend, counts[0], counts[1])
