"""Loading, in a few queries, the facts a report cites from the versions of many policies.

`Store.policy` answers for one policy at a time (about ten queries each); a code named by
hundreds of policies would need thousands. This reads the same tables in bulk (id lists,
chunked), for just what citations and the report's sections use: the current version,
its sections, positions and page map (not its text, codes or ranges), and the summaries
of the versions a change cites.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from medpolicy.payers import payer_key
from medpolicy.query.policy import SUMMARY_COLUMNS, stored_position, stored_section, version_summary
from medpolicy.query.results import StoredPosition, StoredSection, VersionSummary
from medpolicy.store.chunks import id_chunks
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import policies, version_codes, version_coverage, version_sections, versions

Page = tuple[int, int, int | None, str | None]  # (start, end, page, element)



@dataclass(slots=True)
class CurrentVersion:
    """A policy and the facts of its current version that reports cite."""

    policy_id: int
    version_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    summary: VersionSummary
    pages: list[Page]
    sections: list[StoredSection] = field(default_factory=list)
    coverage: list[StoredPosition] = field(default_factory=list)


def load_current(engine: Engine, policy_ids: Iterable[int]) -> dict[int, CurrentVersion]:
    """The current version of each policy in `policy_ids` (unknown ids are left out)."""
    found: dict[int, CurrentVersion] = {}
    with read_transaction(engine) as conn:
        for chunk in id_chunks(policy_ids):
            by_version = _versions(conn, chunk)
            _attach(conn, by_version)
            found.update({v.policy_id: v for v in by_version.values()})
    return found


def load_histories(engine: Engine, policy_ids: Iterable[int]) -> dict[int, dict[int, VersionSummary]]:
    """Every version of each policy in `policy_ids`, by version number."""
    histories: dict[int, dict[int, VersionSummary]] = defaultdict(dict)
    with read_transaction(engine) as conn:
        for chunk in id_chunks(policy_ids):
            for row in conn.execute(
                select(versions.c.policy_id, *SUMMARY_COLUMNS).where(versions.c.policy_id.in_(chunk))
            ):
                histories[row.policy_id][row.version_no] = version_summary(row)
    return histories


def policies_ever_listing(engine: Engine, code: str, payer: str | None = None) -> set[int]:
    """The policies any version of which lists `code` (only `payer`'s when given)."""
    query = (
        select(versions.c.policy_id)
        .select_from(version_codes.join(versions))
        .where(version_codes.c.code == code)
        .distinct()
    )
    if payer is not None:
        query = query.join(policies, policies.c.id == versions.c.policy_id).where(
            policies.c.payer_key == payer_key(payer)
        )
    with read_transaction(engine) as conn:
        return set(conn.scalars(query))


def payer_names(engine: Engine) -> list[str]:
    """The payers the store holds policies from, in the order `Store.payers` lists them.

    `Store.payers` also counts each payer's versions and codes, a scan of every stored code.
    """
    with read_transaction(engine) as conn:
        names = conn.scalars(
            select(policies.c.payer)
            .where(policies.c.payer.is_not(None))
            .distinct()
            .order_by(policies.c.payer)
        ).all()
    return sorted(names, key=str.casefold)


def _versions(conn: Connection, policy_ids: list[int]) -> dict[int, CurrentVersion]:
    rows = conn.execute(
        select(
            policies.c.id.label("policy_id"),
            policies.c.payer,
            policies.c.policy_number,
            policies.c.title.label("policy_title"),
            policies.c.doc_type,
            versions.c.id.label("version_id"),
            *SUMMARY_COLUMNS,
            versions.c.segments_json,
        )
        .select_from(policies.join(versions, versions.c.policy_id == policies.c.id))
        .where(policies.c.id.in_(policy_ids), versions.c.is_current.is_(True))
    )
    return {
        row.version_id: CurrentVersion(
            policy_id=row.policy_id,
            version_id=row.version_id,
            payer=row.payer,
            policy_number=row.policy_number,
            title=row.policy_title,
            doc_type=row.doc_type,
            summary=version_summary(row),
            pages=[
                (start, end, page, element) for start, end, page, element in json.loads(row.segments_json)
            ],
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
