"""The version changes of chosen policies: `policy_changes` for a few policies, not the whole store.

`policy_changes` compares every policy holding two or more versions. A report needs the
changes of the policies that name one code (or of one policy); this reads only theirs,
in bulk queries over id lists, and compares them the same way.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Row, select

from medpolicy.model import DATE_FIELDS
from medpolicy.query.changes import _compare_codes, _compare_positions, _ref
from medpolicy.query.policy import stored_position, version_order_key
from medpolicy.query.results import FieldChange, PolicyChange, StoredPosition
from medpolicy.store.identity import title_key
from medpolicy.store.schema import policies, version_codes, version_coverage, versions

CHUNK = 500  # ids per IN (...) list, well inside every backend's parameter limit


def id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The distinct ids, ascending, in lists of at most CHUNK."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def changes_of_policies(conn: Connection, policy_ids: Iterable[int]) -> list[PolicyChange]:
    """The changes `policy_changes` finds for these policies (unknown ids are left out), newest first."""
    by_policy = _versions_by_policy(conn, policy_ids)
    if not by_policy:
        return []
    headers = {
        row.id: row
        for chunk in id_chunks(by_policy)
        for row in conn.execute(
            select(policies.c.id, policies.c.payer, policies.c.policy_number, policies.c.title).where(
                policies.c.id.in_(chunk)
            )
        )
    }
    version_ids = [row.id for rows in by_policy.values() for row in rows]
    codes = _codes(conn, version_ids)
    positions = _positions(conn, version_ids)
    changes = []
    for policy_id, rows in by_policy.items():
        header = headers[policy_id]
        for before, after in itertools.pairwise(sorted(rows, key=version_order_key)):
            change = PolicyChange(
                policy_id=policy_id,
                payer=header.payer,
                policy_number=header.policy_number,
                title=header.title,
                before=_ref(before),
                after=_ref(after),
                date_changes=[
                    FieldChange(name, getattr(before, name), getattr(after, name))
                    for name in DATE_FIELDS
                    if getattr(before, name) != getattr(after, name)
                ],
                title_change=(
                    FieldChange("title", before.title, after.title)
                    if title_key(before.title) != title_key(after.title)
                    else None
                ),
            )
            _compare_codes(change, codes[before.id], codes[after.id])
            _compare_positions(change, positions[before.id], positions[after.id])
            changes.append(change)
    return sorted(
        changes,
        key=lambda c: (c.after.effective or c.after.ingested_at[:10], c.after.ingested_at),
        reverse=True,
    )


def _versions_by_policy(conn: Connection, policy_ids: Iterable[int]) -> dict[int, list[Row[Any]]]:
    """The versions of each policy holding two or more, policies in the order of their first version."""
    rows = [
        row
        for chunk in id_chunks(policy_ids)
        for row in conn.execute(
            select(
                versions.c.id,
                versions.c.policy_id,
                versions.c.version_no,
                versions.c.sha256,
                versions.c.title,
                versions.c.ingested_at,
                *(versions.c[name] for name in DATE_FIELDS),
            ).where(versions.c.policy_id.in_(chunk))
        )
    ]
    by_policy: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.id):
        by_policy[row.policy_id].append(row)
    return {policy_id: found for policy_id, found in by_policy.items() if len(found) >= 2}


def _codes(conn: Connection, version_ids: list[int]) -> dict[int, dict[tuple[str, str], Any]]:
    """Each version's codes: the first row of each (system, code), with what the comparison reads."""
    codes: dict[int, dict[tuple[str, str], Any]] = defaultdict(dict)
    for chunk in id_chunks(version_ids):
        for row in conn.execute(
            select(version_codes).where(version_codes.c.version_id.in_(chunk)).order_by(version_codes.c.id)
        ):
            codes[row.version_id].setdefault((row.system, row.code), row)
    return codes


def _positions(conn: Connection, version_ids: list[int]) -> dict[int, list[StoredPosition]]:
    """Each version's coverage positions, in document order."""
    positions: dict[int, list[StoredPosition]] = defaultdict(list)
    for chunk in id_chunks(version_ids):
        for row in conn.execute(
            select(version_coverage)
            .where(version_coverage.c.version_id.in_(chunk))
            .order_by(version_coverage.c.version_id, version_coverage.c.position)
        ):
            positions[row.version_id].append(stored_position(row))
    return positions
