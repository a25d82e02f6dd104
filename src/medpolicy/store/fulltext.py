"""Full-text search over each version's title and text, one implementation per backend.

SQLite: an external-content FTS5 table `versions_fts` (rowid = versions.id, porter
stemming), ranked with bm25 and highlighted with snippet(). PostgreSQL: a generated
`versions.search_vector` tsvector column (title weighted above text) with a GIN index,
ranked with ts_rank_cd and highlighted with ts_headline. Both read the same
`SearchQuery` (see `medpolicy.store.search_syntax`), so a search means the same
thing on either backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, literal_column, select, text
from sqlalchemy.sql import column, table

from medpolicy.store.schema import policies, versions
from medpolicy.store.search_syntax import SearchQuery, Term

# Highlight markers: private-use characters that never occur in extracted text.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
# PostgreSQL indexes at most this many characters of a version's text (tsvector size limit).
PG_INDEXED_CHARS = 500_000
_PG_CONFIG: ColumnElement[Any] = literal_column("'english'::regconfig")
_PG_VECTOR: ColumnElement[Any] = literal_column("versions.search_vector")
_FTS = table("versions_fts", column("rowid"))
_FTS_NAME: ColumnElement[Any] = literal_column("versions_fts")


@dataclass(frozen=True, slots=True)
class FulltextHit:
    version_id: int
    score: float  # higher is better
    snippet: str  # with HIGHLIGHT_START / HIGHLIGHT_END around matched words


def create_index(conn: Connection) -> None:
    """Create the backend's search index over `versions` (idempotent)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS versions_fts USING fts5("
            "title, text, content='versions', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        return
    conn.exec_driver_sql(
        "ALTER TABLE versions ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, left(text, {PG_INDEXED_CHARS})), 'B')) STORED"
    )
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_versions_search_vector ON versions USING GIN (search_vector)"
    )


def index_version(conn: Connection, version_id: int, title: str | None, body: str) -> None:
    """Add a newly stored version to the index (PostgreSQL's generated column needs nothing)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text("INSERT INTO versions_fts(rowid, title, text) VALUES (:id, :title, :body)"),
            {"id": version_id, "title": title, "body": body},
        )


def search(
    conn: Connection, query: SearchQuery, where: Sequence[ColumnElement[bool]], limit: int
) -> list[FulltextHit]:
    """The best `limit` versions matching `query` and `where` (conditions on versions/policies)."""
    if conn.dialect.name == "sqlite":
        return _sqlite_search(conn, query, where, limit)
    return [
        FulltextHit(int(row.id), float(row.score), row.snippet or "")
        for row in conn.execute(_pg_search(query, where, limit))
    ]


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def fts5_expression(query: SearchQuery) -> str:
    """The FTS5 MATCH string for `query`; every word is quoted, so no input is read as FTS5 syntax."""
    clauses = []
    for clause in query.clauses:
        expr = "(" + " AND ".join(_fts5_term(t) for t in clause.include) + ")"
        for term in clause.exclude:
            expr = f"({expr} NOT {_fts5_term(term)})"
        clauses.append(expr)
    return " OR ".join(clauses)


def _sqlite_search(
    conn: Connection, query: SearchQuery, where: Sequence[ColumnElement[bool]], limit: int
) -> list[FulltextHit]:
    """Ranks first, then snippets for the best only: SQLite would otherwise build a snippet for every
    match before sorting. (With planner statistics, the version filter reads `CURRENT_VERSIONS_INDEX`
    rather than rows that carry whole texts; ingest refreshes them.)"""
    match = _FTS_NAME.op("MATCH")(fts5_expression(query))
    rank = func.bm25(_FTS_NAME, 10.0, 1.0)
    best = conn.execute(
        select(versions.c.id, (-rank).label("score"))
        .select_from(_FTS.join(versions, versions.c.id == _FTS.c.rowid).join(policies))
        .where(match, *where)
        .order_by(rank, versions.c.id)
        .limit(limit)
    ).all()
    if not best:
        return []
    snippet = func.snippet(_FTS_NAME, -1, HIGHLIGHT_START, HIGHLIGHT_END, "…", 24)
    snippets = {
        rowid: text
        for rowid, text in conn.execute(
            select(_FTS.c.rowid, snippet).where(match, _FTS.c.rowid.in_([row.id for row in best]))
        )
    }
    return [FulltextHit(int(row.id), float(row.score), snippets.get(row.id) or "") for row in best]


def _pg_term(term: Term) -> ColumnElement[str]:
    if term.prefix:
        return func.to_tsquery(_PG_CONFIG, term.words[0] + ":*")
    if len(term.words) == 1:
        return func.plainto_tsquery(_PG_CONFIG, term.words[0])
    return func.phraseto_tsquery(_PG_CONFIG, " ".join(term.words))


def tsquery_expression(query: SearchQuery) -> ColumnElement[str]:
    """The tsquery for `query`, built from functions over bound words (never parsed as tsquery syntax)."""
    clauses = []
    for clause in query.clauses:
        expr = reduce(func.tsquery_and, [_pg_term(t) for t in clause.include])
        for term in clause.exclude:
            expr = func.tsquery_and(expr, func.tsquery_not(_pg_term(term)))
        clauses.append(expr)
    return reduce(func.tsquery_or, clauses)


# ts_headline parses all the text it is given; the passage around a query word is enough for a snippet.
PG_PASSAGE_CHARS = 6000
_PG_PROBE_CHARS = 5  # enough of a word to find its inflections ("therapy" -> "therapies")


def _pg_passage(query: SearchQuery) -> ColumnElement[str]:
    """The stretch of a version's text the headline is drawn from: around the first place its first
    query word (its first letters, lower-cased) occurs, else the start of the text."""
    probe = query.terms()[0].words[0][:_PG_PROBE_CHARS].lower()
    found = func.strpos(func.lower(func.left(versions.c.text, PG_INDEXED_CHARS)), probe)
    start = func.greatest(1, found - PG_PASSAGE_CHARS // 3)
    return func.substr(versions.c.text, start, PG_PASSAGE_CHARS)


def _pg_search(query: SearchQuery, where: Sequence[ColumnElement[bool]], limit: int) -> Select[Any]:
    tsquery = tsquery_expression(query)
    rank = func.ts_rank_cd(_PG_VECTOR, tsquery)
    best = (
        select(versions.c.id, rank.label("score"))
        .select_from(versions.join(policies))
        .where(_PG_VECTOR.op("@@")(tsquery), *where)
        .order_by(rank.desc(), versions.c.id)
        .limit(limit)
        .subquery()
    )
    headline = func.ts_headline(
        _PG_CONFIG,
        _pg_passage(query),
        tsquery_expression(query),
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxFragments=2, MaxWords=24, MinWords=8, "
        'FragmentDelimiter=" … "',
    )
    return (
        select(best.c.id, best.c.score, headline.label("snippet"))
        .join(versions, versions.c.id == best.c.id)
        .order_by(best.c.score.desc(), best.c.id)
    )
