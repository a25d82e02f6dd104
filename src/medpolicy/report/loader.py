"""Loading, in a few queries, the facts a report cites from the current versions of many policies.

`Store.policy` answers for one policy at a time (about ten queries each); a code named by
hundreds of policies would need thousands. This reads the same tables in bulk, for just
what citations and the report's sections use: the version, its sections, positions, codes,
ranges and page map (not its text).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from medpolicy.query.policy import iso_utc, stored_code, stored_position, stored_range, stored_section
from medpolicy.query.results import StoredCode, StoredPosition, StoredRange, StoredSection, VersionSummary
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import (
    policies,
    version_codes,
    version_coverage,
    version_ranges,
    version_sections,
    versions,
)

CHUNK = 500  # ids per IN (...) list, well inside every backend's parameter limit

Page = tuple[int, int, int | None, str | None]  # (start, end, page, element)


@dataclass(slots=True)
class CurrentVersion:
    """A policy and the facts of its current version that reports cite."""

    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    summary: VersionSummary
    pages: list[Page]
    sections: list[StoredSection] = field(default_factory=list)
    coverage: list[StoredPosition] = field(default_factory=list)
    codes: list[StoredCode] = field(default_factory=list)
    ranges: list[StoredRange] = field(default_factory=list)


def load_current(engine: Engine, policy_ids: Iterable[int]) -> dict[int, CurrentVersion]:
    """The current version of each policy in `policy_ids` (unknown ids are left out)."""
    wanted = sorted(set(policy_ids))
    found: dict[int, CurrentVersion] = {}
    with read_transaction(engine) as conn:
        for chunk in _chunks(wanted):
            by_version = _versions(conn, chunk)
            _attach(conn, by_version)
            found.update({v.policy_id: v for v in by_version.values()})
    return found


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _versions(conn: Connection, policy_ids: list[int]) -> dict[int, CurrentVersion]:
    rows = conn.execute(
        select(
            policies.c.id.label("policy_id"),
            policies.c.payer,
            policies.c.policy_number,
            policies.c.title.label("policy_title"),
            policies.c.doc_type,
            versions.c.id.label("version_id"),
            versions.c.version_no,
            versions.c.sha256,
            versions.c.title,
            versions.c.effective,
            versions.c.last_revised,
            versions.c.ingested_at,
            versions.c.source_path,
            versions.c.media_type,
            versions.c.segments_json,
        )
        .select_from(policies.join(versions, versions.c.policy_id == policies.c.id))
        .where(policies.c.id.in_(policy_ids), versions.c.is_current.is_(True))
    )
    return {
        row.version_id: CurrentVersion(
            policy_id=row.policy_id,
            payer=row.payer,
            policy_number=row.policy_number,
            title=row.policy_title,
            doc_type=row.doc_type,
            summary=VersionSummary(
                version_no=row.version_no,
                sha256=row.sha256,
                title=row.title,
                effective=row.effective,
                last_revised=row.last_revised,
                ingested_at=iso_utc(row.ingested_at),
                source_path=row.source_path,
                media_type=row.media_type,
                is_current=True,
            ),
            pages=[(int(s), int(e), page, element) for s, e, page, element in json.loads(row.segments_json)],
        )
        for row in rows
    }


def _facts(conn: Connection, table: Table, version_ids: list[int], order: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(select(table).where(table.c.version_id.in_(version_ids)).order_by(order)):
        grouped[row.version_id].append(row)
    return grouped


def _attach(conn: Connection, by_version: dict[int, CurrentVersion]) -> None:
    ids = list(by_version)
    if not ids:
        return
    for version_id, rows in _facts(conn, version_sections, ids, version_sections.c.position).items():
        by_version[version_id].sections = [stored_section(r) for r in rows]
    for version_id, rows in _facts(conn, version_coverage, ids, version_coverage.c.position).items():
        by_version[version_id].coverage = [stored_position(r) for r in rows]
    for version_id, rows in _facts(conn, version_codes, ids, version_codes.c.id).items():
        by_version[version_id].codes = [stored_code(r) for r in rows]
    for version_id, rows in _facts(conn, version_ranges, ids, version_ranges.c.id).items():
        by_version[version_id].ranges = [stored_range(r) for r in rows]
