"""Code lookup: what every current policy in the store says about one billing code."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, or_, select

from medpolicy.codes import code_order_span, readings
from medpolicy.errors import QueryError
from medpolicy.model import Span
from medpolicy.query.ranges import code_in_range
from medpolicy.query.results import CodeDescription, CodeLookup, CodePolicy
from medpolicy.store.schema import policies, version_codes, version_ranges, versions

MAX_CODE_CHARS = 20
# A search for one of these codes becomes a code lookup (not ICD-9-CM: "250" is more likely a word).
SEARCH_REDIRECT_SYSTEMS = ("CPT", "HCPCS", "CDT", "ICD-10-CM", "ICD-10-PCS")


def code_readings(code: str) -> list[tuple[str | None, str]]:
    """Every (system, canonical code) `code` can mean, most likely first (system None: shape unknown).

    A string no system recognises (a deleted or unlisted code) is still looked up as written.
    """
    raw = code.strip().upper()
    if not raw or len(raw) > MAX_CODE_CHARS or any(ch.isspace() for ch in raw):
        raise QueryError(f"{code!r} is not a billing code (e.g. 86357, J3590, C34.90, 0537T)")
    found: list[tuple[str | None, str]] = list(readings(raw))
    return found or [(None, raw)]


def is_code(query: str) -> bool:
    """True when `query` is one billing code (so a search should look it up instead)."""
    token = query.strip()
    if not token or len(token) > MAX_CODE_CHARS or any(ch.isspace() for ch in token):
        return False
    return any(system in SEARCH_REDIRECT_SYSTEMS for system, _ in readings(token))


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)


_POLICY_COLUMNS = (
    policies.c.id.label("policy_id"),
    policies.c.payer,
    policies.c.policy_number,
    policies.c.title,
    policies.c.doc_type,
    versions.c.version_no,
    versions.c.effective,
)


# Built once: constructing a statement costs more than SQLite takes to run it.
_DIRECT_ROWS = (
    select(*_POLICY_COLUMNS, version_codes)
    .select_from(version_codes.join(versions).join(policies))
    .where(versions.c.is_current.is_(True), version_codes.c.code.in_(bindparam("codes", expanding=True)))
    .order_by(versions.c.id, version_codes.c.id)
)
_RANGE_ROWS = (
    select(*_POLICY_COLUMNS, version_ranges)
    .select_from(version_ranges.join(versions).join(policies))
    .order_by(versions.c.id, version_ranges.c.id)
)
# Ranges that may hold a code: those whose order keys hold its span, and those of systems without keys
# (a superset: each is confirmed with `code_in_range`); both found on ix_version_ranges_order.
_UNKEYED_RANGE_ROWS = _RANGE_ROWS.where(
    versions.c.is_current.is_(True),
    version_ranges.c.system == bindparam("system"),
    version_ranges.c.order_low.is_(None),
)
_CANDIDATE_RANGE_ROWS = _RANGE_ROWS.where(
    versions.c.is_current.is_(True),
    version_ranges.c.system == bindparam("system"),
    or_(
        version_ranges.c.order_low.is_(None),
        and_(
            version_ranges.c.order_low <= bindparam("first"), version_ranges.c.order_high >= bindparam("last")
        ),
    ),
)


def code_policies(conn: Connection, code: str) -> tuple[str, str | None, list[CodePolicy]]:
    """(canonical code, system, current policies naming it directly or through a listed range).

    When `code` can be read several ways (C8330: ICD-10-CM C83.30 or HCPCS C8330), the
    most likely reading the store holds wins.
    """
    candidates = code_readings(code)
    direct_rows = conn.execute(_DIRECT_ROWS, {"codes": sorted({c for _, c in candidates})}).all()
    held = {row.code for row in direct_rows}
    system, form = next(((s, c) for s, c in candidates if c in held), candidates[0])
    direct_rows = [row for row in direct_rows if row.code == form]
    if system is None and direct_rows:
        system = Counter(row.system for row in direct_rows).most_common(1)[0][0]
    found = [_direct(row) for row in direct_rows]
    if system is not None:
        named = {p.policy_id for p in found}
        span = code_order_span(system, form)
        range_rows = (
            conn.execute(_UNKEYED_RANGE_ROWS, {"system": system})
            if span is None
            else conn.execute(_CANDIDATE_RANGE_ROWS, {"system": system, "first": span[0], "last": span[1]})
        ).all()
        for row in range_rows:
            if row.policy_id not in named and code_in_range(system, form, row.range_start, row.range_end):
                named.add(row.policy_id)
                found.append(_via_range(row))
    found.sort(key=policy_sort_key)
    return form, system, found


def policy_sort_key(found: CodePolicy) -> tuple[bool, str, str, int]:
    """By payer (named first, case-insensitive), then policy number, then id: the same on every backend."""
    return (found.payer is None, (found.payer or "").casefold(), found.policy_number or "", found.policy_id)


def _header(row: Row[Any]) -> dict[str, Any]:
    return {
        "policy_id": row.policy_id,
        "payer": row.payer,
        "policy_number": row.policy_number,
        "title": row.title,
        "doc_type": row.doc_type,
        "version_no": row.version_no,
        "effective": row.effective,
        "system": row.system,
        "status": row.status,
        "statement": row.statement,
        "statement_span": _span(row.statement_start, row.statement_end),
        "span": _span(row.span_start, row.span_end),
    }


def _direct(row: Row[Any]) -> CodePolicy:
    return CodePolicy(**_header(row), matched="code", role=row.role, range=None, description=row.description)


def _via_range(row: Row[Any]) -> CodePolicy:
    return CodePolicy(
        **_header(row),
        matched="range",
        role=None,
        range=f"{row.range_start}-{row.range_end}",
        description=None,
    )


def lookup_code(conn: Connection, code: str) -> CodeLookup:
    """The code's system, the descriptions documents give it, and every current policy naming it."""
    form, system, found = code_policies(conn, code)
    descriptions = [
        CodeDescription(p.description, p.payer, p.policy_id, p.policy_number, p.title, p.version_no, p.span)
        for p in found
        if p.description
    ]
    return CodeLookup(form, system, descriptions, found)
