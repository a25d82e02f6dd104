"""What changed between consecutive versions of each policy: codes, statuses, positions, dates, title."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, func, select

from medpolicy.errors import QueryError
from medpolicy.model import DATE_FIELDS
from medpolicy.payers import payer_key
from medpolicy.query.policy import iso_utc, stored_position, version_order_key
from medpolicy.query.results import (
    CodeChange,
    FieldChange,
    PolicyChange,
    StatusChange,
    StoredPosition,
    VersionRef,
)
from medpolicy.store.chunks import id_chunks
from medpolicy.store.identity import title_key
from medpolicy.store.schema import policies, version_codes, version_coverage, versions

_SINCE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SHA_PREFIX = 12


def parse_since(since: str) -> str:
    """`since` as an ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD); QueryError when it is not one."""
    given = since.strip()
    if _SINCE.match(given):
        parts = [int(p) for p in given.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
            return given
        except ValueError:
            pass
    raise QueryError(f"since: {since!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")


def policy_changes(
    conn: Connection,
    *,
    since: str | None = None,
    payer: str | None = None,
    policy_ids: Iterable[int] | None = None,
) -> list[PolicyChange]:
    """For each policy with two or more versions, one `PolicyChange` per pair of consecutive versions.

    Versions are in time order (effective date, else the order they were stored). With
    `since`, only changes whose newer version took effect (or, undated, was stored) on or
    after that date; with `policy_ids`, only those policies'. Newest changes first.
    """
    since_key = parse_since(since) if since is not None else None
    header_columns = (policies.c.id, policies.c.payer, policies.c.policy_number, policies.c.title)
    by_payer = [] if payer is None else [policies.c.payer_key == payer_key(payer)]
    if policy_ids is None:
        multi = select(versions.c.policy_id).group_by(versions.c.policy_id).having(func.count() >= 2)
        header_rows = list(conn.execute(select(*header_columns).where(policies.c.id.in_(multi), *by_payer)))
    else:
        header_rows = [
            row
            for chunk in id_chunks(policy_ids)
            for row in conn.execute(select(*header_columns).where(policies.c.id.in_(chunk), *by_payer))
        ]
    headers = {row.id: row for row in header_rows}
    by_policy = _versions_by_policy(conn, headers)
    version_ids = [row.id for rows in by_policy.values() for row in rows]
    codes = _codes(conn, version_ids)
    positions = _positions(conn, version_ids)
    changes = []
    for policy_id, rows in by_policy.items():
        header = headers[policy_id]
        for before, after in itertools.pairwise(sorted(rows, key=version_order_key)):
            if since_key is not None and _when(after) < since_key:
                continue
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


def _codes(conn: Connection, version_ids: list[int]) -> dict[int, dict[tuple[str, str], Row[Any]]]:
    """Each version's codes: the first row of each (system, code), with what the comparison reads."""
    codes: dict[int, dict[tuple[str, str], Row[Any]]] = defaultdict(dict)
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


def _when(row: Row[Any]) -> str:
    return str(row.effective or iso_utc(row.ingested_at)[:10])


def _ref(row: Row[Any]) -> VersionRef:
    return VersionRef(row.version_no, row.effective, row.sha256[:SHA_PREFIX], iso_utc(row.ingested_at))


def _compare_codes(
    change: PolicyChange, before: dict[tuple[str, str], Row[Any]], after: dict[tuple[str, str], Row[Any]]
) -> None:
    for key in sorted(after.keys() - before.keys()):
        row = after[key]
        change.codes_added.append(CodeChange(row.system, row.code, row.description, row.status))
    for key in sorted(before.keys() - after.keys()):
        row = before[key]
        change.codes_removed.append(CodeChange(row.system, row.code, row.description, row.status))
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old.status != new.status:
            change.code_status_changes.append(
                StatusChange(new.code, old.status, new.status, old.statement, new.statement)
            )


def _position_key(position: StoredPosition) -> str:
    return title_key(position.applies_to) or title_key(position.statement)


def _compare_positions(
    change: PolicyChange, before: list[StoredPosition], after: list[StoredPosition]
) -> None:
    old = {_position_key(p): p for p in reversed(before)}  # first position wins on duplicate keys
    new = {_position_key(p): p for p in reversed(after)}
    change.positions_added.extend(p for p in after if _position_key(p) not in old)
    change.positions_removed.extend(p for p in before if _position_key(p) not in new)
    compared: set[str] = set()
    for position in after:
        key = _position_key(position)
        if key in compared:
            continue
        compared.add(key)
        if key in old and old[key].status != position.status:
            subject = position.applies_to or position.statement
            change.position_status_changes.append(
                StatusChange(
                    subject, old[key].status, position.status, old[key].statement, position.statement
                )
            )
