"""When and from what store a report was made (printed in every report's header)."""

from __future__ import annotations

from datetime import UTC, datetime

from medpolicy.api import Store
from medpolicy.report.model import StoreSummary


def generated_at() -> str:
    """Now, ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def store_summary(store: Store) -> StoreSummary:
    stats = store.stats()
    return StoreSummary(stats.backend, stats.policies, stats.payers)
