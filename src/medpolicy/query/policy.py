"""One policy with all its facts and versions; the list of stored policies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from medpolicy.errors import QueryError
from medpolicy.model import DATE_FIELDS, HistoryEntry, Reference, RelatedPolicy, Span
from medpolicy.payers import payer_key
from medpolicy.query.results import (
    PolicyDetail,
    PolicySummary,
    StoredCode,
    StoredPosition,
    StoredRange,
    StoredSection,
    VersionDetail,
    VersionSummary,
)
from medpolicy.store.identity import number_key
from medpolicy.store.schema import (
    policies,
    version_codes,
    version_coverage,
    version_history,
    version_ranges,
    version_references,
    version_related,
    version_sections,
    versions,
)


def resolve_policy(conn: Connection, id_or_number: int | str, payer: str | None = None) -> int:
    """The id of the policy named by id or policy number ("#12" or "id:12" force an id).

    A string of digits is read as a policy number first (Aetna's "0243"), else as an id.
    """
    if isinstance(id_or_number, int):
        return _policy_by_id(conn, id_or_number)
    given = id_or_number.strip()
    for prefix in ("#", "id:"):
        if given.lower().startswith(prefix) and given[len(prefix) :].strip().isdigit():
            return _policy_by_id(conn, int(given[len(prefix) :]))
    stmt = select(policies.c.id, policies.c.payer).where(policies.c.number_key == number_key(given))
    if payer is not None:
        stmt = stmt.where(policies.c.payer_key == payer_key(payer))
    matches = conn.execute(stmt.order_by(policies.c.id)).all()
    if len(matches) == 1:
        return int(matches[0].id)
    if len(matches) > 1:
        listed = "; ".join(f"{m.payer or 'payer not stated'} (id {m.id})" for m in matches)
        raise QueryError(
            f"policy number {given!r} is used by {len(matches)} policies: {listed}; give the payer or the id"
        )
    if given.isdigit():
        return _policy_by_id(conn, int(given))
    raise QueryError(f"no policy with number {given!r}" + (f" from {payer!r}" if payer else ""))


def _policy_by_id(conn: Connection, policy_id: int) -> int:
    if conn.scalar(select(policies.c.id).where(policies.c.id == policy_id)) is None:
        raise QueryError(f"no policy with id {policy_id}")
    return policy_id


def _spans(spans_json: str) -> list[Span]:
    return [(int(a), int(b)) for a, b in json.loads(spans_json)]


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)


def version_order_key(row: Any) -> tuple[str, int]:
    """Versions in time order: by effective date, undated first, then in the order they were stored."""
    return (row.effective or "", row.id)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands back naive datetimes; the store writes UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def version_summary(row: Any) -> VersionSummary:
    """A `versions` row (selected with at least `SUMMARY_COLUMNS`) as a summary."""
    return VersionSummary(
        version_no=row.version_no,
        sha256=row.sha256,
        title=row.title,
        effective=row.effective,
        last_revised=row.last_revised,
        ingested_at=iso_utc(row.ingested_at),
        source_path=row.source_path,
        media_type=row.media_type,
        is_current=bool(row.is_current),
    )


SUMMARY_COLUMNS = (
    versions.c.id,
    versions.c.version_no,
    versions.c.sha256,
    versions.c.title,
    versions.c.effective,
    versions.c.last_revised,
    versions.c.ingested_at,
    versions.c.source_path,
    versions.c.media_type,
    versions.c.is_current,
)


def policy_detail(
    conn: Connection,
    id_or_number: int | str,
    *,
    payer: str | None = None,
    version: int | None = None,
    include_text: bool = False,
) -> PolicyDetail:
    """A policy, every fact of its current version (or version number `version`), and its versions."""
    policy_id = resolve_policy(conn, id_or_number, payer)
    policy = conn.execute(select(policies).where(policies.c.id == policy_id)).one()
    version_rows = sorted(
        conn.execute(select(*SUMMARY_COLUMNS).where(versions.c.policy_id == policy_id)).all(),
        key=version_order_key,
    )
    if version is None:
        chosen = next(row for row in version_rows if row.is_current)
    else:
        matching = [row for row in version_rows if row.version_no == version]
        if not matching:
            numbers = ", ".join(str(row.version_no) for row in version_rows)
            raise QueryError(f"policy {policy_id} has no version {version} (versions: {numbers})")
        chosen = matching[0]
    return PolicyDetail(
        policy_id=policy_id,
        payer=policy.payer,
        policy_number=policy.policy_number,
        title=policy.title,
        doc_type=policy.doc_type,
        version=version_detail(conn, chosen.id, include_text),
        versions=[version_summary(row) for row in version_rows],
    )


def stored_code(r: Any) -> StoredCode:
    """A `version_codes` row as a result object."""
    return StoredCode(
        r.system,
        r.code,
        r.description,
        r.role,
        r.coverage,
        r.status,
        r.statement,
        _span(r.statement_start, r.statement_end),
        _spans(r.spans_json),
    )


def stored_range(r: Any) -> StoredRange:
    """A `version_ranges` row as a result object."""
    return StoredRange(
        r.system,
        r.range_start,
        r.range_end,
        r.coverage,
        r.status,
        r.statement,
        _span(r.statement_start, r.statement_end),
        _spans(r.spans_json),
    )


def stored_position(r: Any) -> StoredPosition:
    """A `version_coverage` row as a result object."""
    return StoredPosition(
        r.status, r.statement, r.applies_to, json.loads(r.criteria_json), _spans(r.spans_json)
    )


def stored_section(r: Any) -> StoredSection:
    """A `version_sections` row as a result object."""
    return StoredSection(r.heading, r.kind, _spans(r.spans_json))


def version_detail(conn: Connection, version_id: int, include_text: bool = False) -> VersionDetail:
    """Every fact stored for one version."""
    row = conn.execute(select(versions).where(versions.c.id == version_id)).one()

    def facts(table: Any, order: Any) -> list[Any]:
        return list(conn.execute(select(table).where(table.c.version_id == version_id).order_by(order)).all())

    codes = [stored_code(r) for r in facts(version_codes, version_codes.c.id)]
    ranges = [stored_range(r) for r in facts(version_ranges, version_ranges.c.id)]
    positions = [stored_position(r) for r in facts(version_coverage, version_coverage.c.position)]
    return VersionDetail(
        summary=version_summary(row),
        dates={name: getattr(row, name) for name in DATE_FIELDS},
        payer_as_written=row.payer_as_written,
        codes=codes,
        code_ranges=ranges,
        coverage=positions,
        related_policies=[
            RelatedPolicy(r.number, r.title) for r in facts(version_related, version_related.c.position)
        ],
        references=[
            Reference(r.n, r.text, r.pmid, r.doi) for r in facts(version_references, version_references.c.id)
        ],
        history=[HistoryEntry(r.date, r.text) for r in facts(version_history, version_history.c.position)],
        sections=[stored_section(r) for r in facts(version_sections, version_sections.c.position)],
        warnings=list(json.loads(row.warnings_json)),
        text=row.text if include_text else None,
        pages=[tuple(seg) for seg in json.loads(row.segments_json)] if include_text else None,
    )


def list_policies(
    conn: Connection, *, payer: str | None = None, doc_type: str | None = None
) -> list[PolicySummary]:
    """Every stored policy (optionally one payer's, one document type's), by payer, number, then id."""
    version_counts = (
        select(versions.c.policy_id, func.count().label("versions")).group_by(versions.c.policy_id).subquery()
    )
    code_counts = (
        select(version_codes.c.version_id, func.count().label("codes"))
        .group_by(version_codes.c.version_id)
        .subquery()
    )
    stmt = select(
        policies.c.id,
        policies.c.payer,
        policies.c.policy_number,
        policies.c.title,
        policies.c.doc_type,
        versions.c.effective,
        versions.c.version_no,
        version_counts.c.versions,
        func.coalesce(code_counts.c.codes, 0).label("codes"),
    ).select_from(
        policies.join(versions, (versions.c.policy_id == policies.c.id) & versions.c.is_current.is_(True))
        .join(version_counts, version_counts.c.policy_id == policies.c.id)
        .outerjoin(code_counts, code_counts.c.version_id == versions.c.id)
    )
    if payer is not None:
        stmt = stmt.where(policies.c.payer_key == payer_key(payer))
    if doc_type is not None:
        stmt = stmt.where(policies.c.doc_type == doc_type)
    found = [
        PolicySummary(
            r.id,
            r.payer,
            r.policy_number,
            r.title,
            r.doc_type,
            r.effective,
            r.version_no,
            r.versions,
            r.codes,
        )
        for r in conn.execute(stmt)
    ]
    return sorted(
        found, key=lambda p: (p.payer is None, (p.payer or "").casefold(), p.policy_number or "", p.policy_id)
    )
