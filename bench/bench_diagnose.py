"""Targeted measurements that test the causes the profiles point to, on the largest SQLite store of a run."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from bench_query import search_terms
from measure import ms
from results import Section, fmt

THREADS = 40  # FastAPI runs synchronous endpoints on anyio's thread pool: 40 threads by default


def _median_ms(action: Any, items: Sequence[Any]) -> float:
    timings = []
    for item in items:
        started = time.perf_counter()
        action(item)
        timings.append(time.perf_counter() - started)
    return ms(statistics.median(timings))


def _search_sql(store: Any, term: str) -> tuple[str, Any] | None:
    """The full-text statement `store.search(term)` sends to SQLite, captured as it executes."""
    from sqlalchemy import event

    captured: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if "versions_fts" in statement and "MATCH" in statement:
            captured.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        store.search(term)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    return captured[0] if captured else None


_SHAPED = (
    "SELECT versions.id, -bm25(versions_fts, 10.0, 1.0){snippet} FROM versions_fts "
    "JOIN versions ON versions.id = versions_fts.rowid JOIN policies ON policies.id = versions.policy_id "
    "WHERE versions_fts MATCH ? AND versions.is_current = 1 "
    "ORDER BY bm25(versions_fts, 10.0, 1.0), versions.id LIMIT 20"
)
_TOP_FIRST = (
    "WITH best AS (SELECT versions.id AS id, bm25(versions_fts, 10.0, 1.0) AS rank FROM versions_fts "
    "JOIN versions ON versions.id = versions_fts.rowid JOIN policies ON policies.id = versions.policy_id "
    "WHERE versions_fts MATCH ? AND versions.is_current = 1 ORDER BY rank, versions.id LIMIT 20) "
    "SELECT best.id, -best.rank, snippet(versions_fts, -1, '[', ']', '…', 24) FROM versions_fts "
    "JOIN best ON best.id = versions_fts.rowid WHERE versions_fts MATCH ? ORDER BY best.rank, best.id"
)


def _search_finding(store: Any, terms: list[str]) -> str | None:
    """Whether snippet() over every match is what makes search slow: the same query shape timed three ways."""
    captured = _search_sql(store, terms[0])
    if captured is None or "snippet(" not in captured[0]:
        return None
    connection = store.engine.raw_connection()
    try:
        cursor = connection.cursor()
        plan = "; ".join(
            str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + captured[0], captured[1])
        )
        matches = [" ".join(f'"{word}"' for word in term.split()) for term in terms]

        def execute(sql: str, expression: str) -> None:
            cursor.execute(sql, (expression,) * sql.count("MATCH ?")).fetchall()

        with_snippet = _median_ms(
            partial(execute, _SHAPED.format(snippet=", snippet(versions_fts, -1, '[', ']', '…', 24)")),
            matches,
        )
        without = _median_ms(partial(execute, _SHAPED.format(snippet="")), matches)
        top_first = _median_ms(partial(execute, _TOP_FIRST), matches)
    finally:
        connection.close()
    return (
        f"Search (SQLite): the statement `Store.search` runs joins the FTS5 table to versions and policies, sorts "
        f"on bm25() and calls snippet() (query plan: {plan}). A statement of that shape takes "
        f"{fmt(with_snippet, 'ms')} at the median over {len(terms)} searches, {fmt(without, 'ms')} without "
        f"snippet(), and {fmt(top_first, 'ms')} when the 20 best rows are chosen first and only they get a snippet: "
        "SQLite computes snippet() for every matching row before the sort and LIMIT, so search time grows with "
        "the number of matching documents"
    )


def _ranges_finding(store: Any, rows: Sequence[dict[str, Any]]) -> str:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        count = conn.execute(
            text(
                "SELECT count(*) FROM version_ranges r JOIN versions v ON v.id = r.version_id "
                "WHERE v.is_current AND r.system = 'ICD-10-CM'"
            )
        ).scalar_one()
    codes = sorted({code for row in rows for code in row["codes"]})
    diagnoses = [c for c in codes if "." in c][:: max(1, len(codes) // 400)][:40]
    procedures = [c for c in codes if c.isdigit()][:: max(1, len(codes) // 400)][:40]
    icd = _median_ms(store.code, diagnoses)
    cpt = _median_ms(store.code, procedures)
    return (
        f"Code lookup: the store holds {count:,} ICD-10-CM ranges in current versions, and every ICD-10-CM lookup "
        f"reads all of them and tests each in Python (`medpolicy.query.ranges.code_in_range`): an ICD-10-CM "
        f"lookup takes {fmt(icd, 'ms')} at the median, a CPT lookup (no CPT ranges in this corpus) "
        f"{fmt(cpt, 'ms')}. The cost grows with the corpus; storing comparable range bounds and filtering them "
        "in SQL with an index would keep it flat"
    )


def _threads_finding(store: Any, rows: Sequence[dict[str, Any]]) -> str:
    """Lookups from one thread against the same lookups from FastAPI's 40 at once, counting new connections."""
    from sqlalchemy import event

    opened = 0
    lock = threading.Lock()

    def count(*_: Any) -> None:
        nonlocal opened
        with lock:
            opened += 1

    codes = sorted({code for row in rows for code in row["codes"]})[::7][: THREADS * 10]
    started = time.perf_counter()
    for code in codes:
        store.code(code)
    alone = len(codes) / (time.perf_counter() - started)
    event.listen(store.engine, "connect", count)
    started = time.perf_counter()
    try:
        workers = [
            threading.Thread(target=lambda part=codes[i::THREADS]: [store.code(c) for c in part])
            for i in range(THREADS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        event.remove(store.engine, "connect", count)
    together = len(codes) / (time.perf_counter() - started)
    return (
        f"Serving: {len(codes)} lookups run {fmt(alone)}/s from one thread and {fmt(together)}/s from {THREADS} "
        f"threads at once (as FastAPI's thread pool runs them), which opened {opened} new database connections "
        f"(SQLAlchemy pool: {store.engine.pool.status()}). Lookups are mostly Python work, so threads in one "
        "process share one core (the GIL) and the connection pool; more throughput needs more processes"
    )


def run(store_path: str, size: int, rows: Sequence[dict[str, Any]], seed: int) -> Section:
    import medpolicy

    section = Section(
        "Diagnoses",
        f"Targeted measurements on the {size:,}-document SQLite store that test what the profiles above point "
        "to (each bullet: the measurement, then the cause it supports).",
    )
    started = time.perf_counter()
    with medpolicy.open(store_path) as store:
        store.search("warm up")
        found = _search_finding(store, search_terms(20, seed))
        if found:
            section.findings.append(found)
        section.findings.append(_ranges_finding(store, rows))
        section.findings.append(_threads_finding(store, rows))
    section.seconds = time.perf_counter() - started
    return section
