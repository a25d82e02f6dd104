"""Id lists cut to a size every backend accepts in one `IN (...)` clause."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

IN_LIST_SIZE = 500  # well inside SQLite's and PostgreSQL's parameter limits; plans stay small


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The distinct ids, ascending, in lists of at most IN_LIST_SIZE."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IN_LIST_SIZE):
        yield ordered[start : start + IN_LIST_SIZE]
