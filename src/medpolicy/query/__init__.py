"""Questions the store answers. Each function takes an open SQLAlchemy Connection.

Most callers use them through `medpolicy.open(...)` (see `medpolicy.api.Store`).
"""

from medpolicy.query.changes import policy_changes
from medpolicy.query.lookup import lookup_code
from medpolicy.query.matrix import coverage_matrix
from medpolicy.query.overview import payer_counts, store_stats
from medpolicy.query.policy import list_policies, policy_detail
from medpolicy.query.search import search_policies

__all__ = [
    "coverage_matrix",
    "list_policies",
    "lookup_code",
    "payer_counts",
    "policy_changes",
    "policy_detail",
    "search_policies",
    "store_stats",
]
