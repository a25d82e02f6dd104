"""How a batch reads the store: a fixed number of bulk queries, whatever the number of lines."""

from __future__ import annotations

import gc
from collections.abc import Sequence

from sqlalchemy import event

from medpolicy.api import Store
from medpolicy.check import ClaimLine, check_claims

SUMMIT = "Summit Ridge Health Plan"


def _statements(store: Store, lines: Sequence[ClaimLine]) -> int:
    executed: list[str] = []

    def count(*args: object) -> None:
        executed.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        check_claims(store, lines)
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(executed)


def test_more_lines_need_no_more_queries(policy_store: Store) -> None:
    one = [ClaimLine(SUMMIT, "86357", dx=["D84.9"], date="2024-06-01")]
    days = [f"2024-{month:02d}-{day:02d}" for month in range(1, 13) for day in (1, 15)]
    many = [
        ClaimLine(payer, code, dx=dx, date=day)
        for day in days
        for payer, code in ((SUMMIT, "86357"), (SUMMIT, "82306"), (SUMMIT, "0537T"), ("Medicare", "J3420"))
        for dx in (["D84.9"], ["D51.9", "C34.90"], [])
    ]
    assert _statements(policy_store, many) == _statements(policy_store, one)


def test_the_cycle_collector_is_left_as_it_was(policy_store: Store) -> None:
    line = [ClaimLine(SUMMIT, "86357", date="2025-06-01")]
    assert gc.isenabled()
    check_claims(policy_store, line)
    assert gc.isenabled()
    gc.disable()
    try:
        check_claims(policy_store, line)
        assert not gc.isenabled()
    finally:
        gc.enable()
