"""Full-text search over current policies, with filters and highlighted snippets.

A query that is a billing code is answered by code lookup instead (`SearchResult.code`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, exists, or_, select
from sqlalchemy.exc import DBAPIError

from medpolicy.errors import QueryError
from medpolicy.model import DOC_TYPES, STATUSES
from medpolicy.payers import payer_key
from medpolicy.query.lookup import is_code, lookup_code
from medpolicy.query.results import SearchHit, SearchResult
from medpolicy.store import fulltext
from medpolicy.store.schema import policies, version_codes, version_coverage, versions
from medpolicy.store.search_syntax import parse_search

MAX_LIMIT = 1000
MARK_START = "«"
MARK_END = "»"


def search_policies(
    conn: Connection,
    query: str,
    *,
    payer: str | None = None,
    doc_type: str | None = None,
    status: str | None = None,
    limit: int = 20,
) -> SearchResult:
    """The current policies best matching `query` (syntax: `medpolicy.store.search_syntax`)."""
    if is_code(query):
        return SearchResult(query, [], lookup_code(conn, query))
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"search: limit must be between 1 and {MAX_LIMIT}, not {limit}")
    parsed = parse_search(query)
    where: list[ColumnElement[bool]] = [versions.c.is_current.is_(True)]
    if payer is not None:
        where.append(policies.c.payer_key == payer_key(payer))
    if doc_type is not None:
        if doc_type not in DOC_TYPES:
            raise QueryError(f"search: unknown document type {doc_type!r}; use one of {', '.join(DOC_TYPES)}")
        where.append(policies.c.doc_type == doc_type)
    if status is not None:
        if status not in STATUSES:
            raise QueryError(f"search: unknown status {status!r}; use one of {', '.join(STATUSES)}")
        where.append(
            or_(
                exists().where(
                    version_coverage.c.version_id == versions.c.id, version_coverage.c.status == status
                ),
                exists().where(version_codes.c.version_id == versions.c.id, version_codes.c.status == status),
            )
        )
    try:
        found = fulltext.search(conn, parsed, where, limit)
    except DBAPIError as exc:
        raise QueryError(f"search {query!r} could not be run: {exc.orig}") from None
    if not found:
        return SearchResult(query, [])
    headers = {
        row.id: row
        for row in conn.execute(
            select(
                versions.c.id,
                versions.c.version_no,
                versions.c.effective,
                policies.c.id.label("policy_id"),
                policies.c.payer,
                policies.c.policy_number,
                policies.c.title,
                policies.c.doc_type,
            )
            .join(policies)
            .where(versions.c.id.in_([hit.version_id for hit in found]))
        )
    }
    hits = []
    for hit in found:
        row = headers[hit.version_id]
        parts = snippet_parts(hit.snippet)
        hits.append(
            SearchHit(
                policy_id=row.policy_id,
                version_no=row.version_no,
                payer=row.payer,
                policy_number=row.policy_number,
                title=row.title,
                doc_type=row.doc_type,
                effective=row.effective,
                score=hit.score,
                snippet="".join(
                    f"{MARK_START}{text}{MARK_END}" if marked else text for text, marked in parts
                ),
                snippet_parts=parts,
            )
        )
    return SearchResult(query, hits)


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split a backend snippet at its highlight markers into (text, highlighted) pieces."""
    parts: list[tuple[str, bool]] = []
    rest = " ".join(snippet.split())
    while rest:
        start = rest.find(fulltext.HIGHLIGHT_START)
        if start < 0:
            parts.append((rest, False))
            break
        end = rest.find(fulltext.HIGHLIGHT_END, start)
        end = len(rest) if end < 0 else end
        if start:
            parts.append((rest[:start], False))
        parts.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return [(text, marked) for text, marked in parts if text]
