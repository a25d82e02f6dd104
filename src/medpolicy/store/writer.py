"""Storing one read-and-extracted document as a version of a policy, with all its facts.

`store_document` runs inside the caller's transaction, so a document is stored
completely or not at all. Content already stored (same sha256) is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from medpolicy.codes import CodeRangeSpec, range_order_span
from medpolicy.model import CoveragePosition, Extraction, Source, Span, Text
from medpolicy.payers import canonical_payer, payer_key
from medpolicy.store import fulltext
from medpolicy.store.identity import identity_key, number_key
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

MIXED = "mixed"  # the status of a code whose policy states several, none tied to the code
Outcome = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    outcome: Outcome
    policy_id: int
    version_no: int


def store_document(conn: Connection, text: Text, source: Source, extraction: Extraction) -> StoredDocument:
    """Store `extraction` of `text` read from `source` (inside the caller's transaction)."""
    existing = conn.execute(
        select(versions.c.policy_id, versions.c.version_no).where(versions.c.sha256 == source.sha256).limit(1)
    ).first()
    if existing is not None:
        return StoredDocument("unchanged", existing.policy_id, existing.version_no)

    key = identity_key(extraction.payer, extraction.policy_number, source.path, extraction.title)
    policy_id, created = _policy_for(conn, key, extraction)
    siblings = conn.execute(
        select(versions.c.version_no, versions.c.effective).where(versions.c.policy_id == policy_id)
    ).all()
    version_no = 1 + max((row.version_no for row in siblings), default=0)
    # The current version has the latest effective date, ties going to the latest stored. The new
    # version is stored last, so it is current unless another took effect later.
    effective = extraction.dates.effective
    is_current = all((effective or "") >= (row.effective or "") for row in siblings)
    body = _clean(text.text)
    header = {
        "payer_as_written": _clean_or_none(extraction.payer),
        "policy_number": _clean_or_none(extraction.policy_number),
        "title": _clean_or_none(extraction.title),
        "doc_type": extraction.doc_type,
    }
    version_id = conn.execute(
        insert(versions)
        .values(
            policy_id=policy_id,
            version_no=version_no,
            sha256=source.sha256,
            source_path=source.path,
            media_type=source.media_type,
            ingested_at=datetime.now(UTC),
            **header,
            effective=effective,
            last_revised=extraction.dates.last_revised,
            original_effective=extraction.dates.original_effective,
            published=extraction.dates.published,
            next_review=extraction.dates.next_review,
            text=body,
            segments_json=json.dumps([[s.start, s.end, s.page, s.element] for s in text.segments]),
            warnings_json=json.dumps(extraction.warnings, ensure_ascii=False),
            is_current=is_current,
        )
        .returning(versions.c.id)
    ).scalar_one()
    _insert_facts(conn, version_id, extraction)
    fulltext.index_version(conn, version_id, header["title"], body)
    if is_current:
        _make_current(conn, policy_id, version_id, header, had_others=bool(siblings))
    return StoredDocument("new" if created else "updated", policy_id, version_no)


def _make_current(
    conn: Connection, policy_id: int, version_id: int, header: dict[str, Any], *, had_others: bool
) -> None:
    """Mark `version_id` its policy's only current version and copy its header to the policy.

    Only the version that stops being current is updated: rewriting a version row rewrites its text.
    """
    if had_others:
        conn.execute(
            update(versions)
            .where(
                versions.c.policy_id == policy_id,
                versions.c.id != version_id,
                versions.c.is_current.is_(True),
            )
            .values(is_current=False)
        )
    payer = header["payer_as_written"]
    conn.execute(
        update(policies)
        .where(policies.c.id == policy_id)
        .values(
            title=header["title"],
            doc_type=header["doc_type"],
            payer=canonical_payer(payer),
            payer_key=payer_key(payer),
            policy_number=header["policy_number"],
            number_key=number_key(header["policy_number"]),
        )
    )


def _policy_for(conn: Connection, key: str, extraction: Extraction) -> tuple[int, bool]:
    """The policy with identity `key` (locked for this transaction), created if new."""
    values = {
        "identity_key": key,
        "payer": canonical_payer(extraction.payer),
        "payer_key": payer_key(extraction.payer),
        "policy_number": _clean_or_none(extraction.policy_number),
        "number_key": number_key(extraction.policy_number),
        "title": _clean_or_none(extraction.title),
        "doc_type": extraction.doc_type,
        "created_at": datetime.now(UTC),
    }
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    created_id = conn.scalar(
        dialect_insert(policies)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["identity_key"])
        .returning(policies.c.id)
    )
    if created_id is not None:
        return int(created_id), True
    found = conn.execute(
        select(policies.c.id).where(policies.c.identity_key == key).with_for_update()
    ).scalar_one()
    return int(found), False


def status_for(
    coverage: str | None, spans: Sequence[Span], positions: Sequence[CoveragePosition]
) -> tuple[str | None, CoveragePosition | None]:
    """What a policy says about a code (or range) and the position that says it.

    The document's own status for the code wins; else the one status all the policy's
    positions agree on; else "mixed" when they disagree; else None (no position stated).
    The statement is the position with that status nearest to where the code appears,
    preferring one that names its subject ("Measurement of NK cells is considered
    investigational ...") over a bare annotation ("Investigational for all diagnoses.").
    """
    if coverage is not None:
        status = coverage
    else:
        statuses = {p.status for p in positions}
        if len(statuses) != 1:
            return (MIXED if statuses else None), None
        status = statuses.pop()
    candidates = [p for p in positions if p.status == status]
    if not candidates:
        return status, None
    candidates = [p for p in candidates if p.applies_to] or candidates
    anchor = spans[0][0] if spans else 0
    return status, min(candidates, key=lambda p: abs(p.spans[0][0] - anchor) if p.spans else 1 << 62)


def _first_span(spans: Sequence[Span]) -> dict[str, Any]:
    start, end = spans[0] if spans else (None, None)
    return {"span_start": start, "span_end": end, "spans_json": json.dumps([list(s) for s in spans])}


def _statement(position: CoveragePosition | None) -> dict[str, Any]:
    if position is None:
        return {"statement": None, "statement_start": None, "statement_end": None}
    start, end = position.spans[0] if position.spans else (None, None)
    return {"statement": _clean(position.statement), "statement_start": start, "statement_end": end}


def _insert_facts(conn: Connection, version_id: int, extraction: Extraction) -> None:
    positions = extraction.coverage
    rows: list[tuple[Any, list[dict[str, Any]]]] = []
    code_rows = []
    for fact in extraction.codes:
        status, position = status_for(fact.coverage, fact.spans, positions)
        code_rows.append(
            {
                "system": fact.system,
                "code": fact.code,
                "description": _clean_or_none(fact.description),
                "role": fact.role,
                "coverage": fact.coverage,
                "status": status,
                **_statement(position),
                **_first_span(fact.spans),
            }
        )
    rows.append((version_codes, code_rows))
    range_rows = []
    for rng in extraction.code_ranges:
        status, position = status_for(rng.coverage, rng.spans, positions)
        order_low, order_high = range_order_span(CodeRangeSpec(rng.system, rng.start, rng.end)) or (
            None,
            None,
        )
        range_rows.append(
            {
                "system": rng.system,
                "range_start": rng.start,
                "range_end": rng.end,
                "order_low": order_low,
                "order_high": order_high,
                "coverage": rng.coverage,
                "status": status,
                **_statement(position),
                **_first_span(rng.spans),
            }
        )
    rows.append((version_ranges, range_rows))
    rows.append(
        (
            version_coverage,
            [
                {
                    "position": i,
                    "status": p.status,
                    "statement": _clean(p.statement),
                    "applies_to": _clean_or_none(p.applies_to),
                    "criteria_json": json.dumps(p.criteria, ensure_ascii=False),
                    **_first_span(p.spans),
                }
                for i, p in enumerate(positions)
            ],
        )
    )
    rows.append(
        (
            version_related,
            [
                {"position": i, "number": _clean_or_none(r.number), "title": _clean_or_none(r.title)}
                for i, r in enumerate(extraction.related_policies)
            ],
        )
    )
    rows.append(
        (
            version_references,
            [
                {"n": r.n, "text": _clean(r.text), "pmid": r.pmid, "doi": _clean_or_none(r.doi)}
                for r in extraction.references
            ],
        )
    )
    rows.append(
        (
            version_history,
            [
                {"position": i, "date": h.date, "text": _clean(h.text)}
                for i, h in enumerate(extraction.history)
            ],
        )
    )
    rows.append(
        (
            version_sections,
            [
                {"position": i, "heading": _clean(s.heading), "kind": s.kind, **_first_span(s.spans)}
                for i, s in enumerate(extraction.sections)
            ],
        )
    )
    for table, table_rows in rows:
        if table_rows:
            names = ["version_id", *table_rows[0]]
            conn.exec_driver_sql(
                _insert_sql(conn.dialect.name, table.name, tuple(names)),
                [(version_id, *row.values()) for row in table_rows],
            )


@cache
def _insert_sql(dialect: str, table: str, names: tuple[str, ...]) -> str:
    """A driver-level INSERT: documents add thousands of fact rows, and building each through
    SQLAlchemy's statement compiler cost more than the database took to store it."""
    mark = "?" if dialect == "sqlite" else "%s"
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"


def _clean(value: str) -> str:
    """NUL characters cannot be stored in PostgreSQL text; a space keeps every offset valid."""
    return value.replace("\x00", " ")


def _clean_or_none(value: str | None) -> str | None:
    return None if value is None else _clean(value)
