"""Code lookup, coverage matrix and search latency in-process, against raw indexed SQL on the same tables."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from measure import ms, percentile, time_each
from profiling import profile
from results import Figure, Section, fmt
from vocabulary import CONDITIONS, PROCEDURES

TARGET_LOOKUP_P50_MS = 2.0
TARGET_SEARCH_P50_MS = 30.0
MATRIX_CODES = 5


@dataclass(slots=True)
class Latencies:
    ours: list[float]
    floor: list[float]

    def p(self, q: float) -> float:
        return ms(percentile(self.ours, q))

    def floor_p(self, q: float) -> float:
        return ms(percentile(self.floor, q))


@dataclass(slots=True)
class QueryResult:
    size: int
    backend: str
    lookup: Latencies
    popular: Latencies
    popular_code: str
    popular_policies: int
    matrix: Latencies
    search: Latencies
    payers: int
    profiles: list[tuple[str, Any]] = field(default_factory=list)


def search_terms(count: int, seed: int) -> list[str]:
    """Search queries a user might type: service and condition words, alone or together."""
    rng = random.Random(f"{seed}/search")
    services = [name.lower() for name, _ in PROCEDURES]
    conditions = [name.lower() for name in CONDITIONS]
    terms = []
    for _ in range(count):
        kind = rng.randrange(4)
        if kind == 0:
            terms.append(rng.choice(services))
        elif kind == 1:
            terms.append(rng.choice(conditions))
        elif kind == 2:
            terms.append(rng.choice(rng.choice(services + conditions).split()))
        else:
            terms.append(f"{rng.choice(services).split()[-1]} {rng.choice(conditions).split()[0]}")
    return terms


def raw_connection(store: Any) -> tuple[Any, str]:
    """A DBAPI connection to the store's database, in autocommit mode, and its placeholder ("?" or "%s")."""
    connection = store.engine.raw_connection()
    if store.backend == "postgresql":
        connection.driver_connection.autocommit = True
    return connection, ("?" if store.backend == "sqlite" else "%s")


def _fts_match(term: str) -> str:
    return " ".join('"' + word.replace('"', "") + '"' for word in term.split())


def run(
    store_url: str,
    size: int,
    rows: Sequence[dict[str, Any]],
    *,
    lookups: int,
    matrices: int,
    searches: int,
    seed: int,
    profile_missed: bool,
) -> QueryResult:
    """Latencies of `lookups` code lookups, `matrices` 5-code matrices and `searches` searches."""
    import medpolicy

    rng = random.Random(f"{seed}/queries/{size}")
    frequency = Counter(code for row in rows for code in row["codes"])
    distinct = sorted(frequency)
    sample = [rng.choice(distinct) for _ in range(lookups)]
    popular_code, _ = frequency.most_common(1)[0]
    matrix_sets = [rng.sample(distinct, MATRIX_CODES) for _ in range(matrices)]
    terms = search_terms(searches, seed)
    with medpolicy.open(store_url) as store:
        connection, mark = raw_connection(store)
        cursor = connection.cursor()

        def raw_lookup(code: str) -> None:
            cursor.execute(f"SELECT * FROM version_codes WHERE code = {mark}", (code,))
            cursor.fetchall()

        def raw_matrix(codes: list[str]) -> None:
            cursor.execute(
                f"SELECT * FROM version_codes WHERE code IN ({', '.join([mark] * len(codes))})", codes
            )
            cursor.fetchall()

        if store.backend == "sqlite":

            def raw_search(term: str) -> None:
                cursor.execute(
                    "SELECT rowid FROM versions_fts WHERE versions_fts MATCH ? ORDER BY rank LIMIT 20",
                    (_fts_match(term),),
                )
                cursor.fetchall()
        else:

            def raw_search(term: str) -> None:
                cursor.execute(
                    "SELECT id FROM versions WHERE search_vector @@ plainto_tsquery('english', %s) "
                    "ORDER BY ts_rank_cd(search_vector, plainto_tsquery('english', %s)) DESC LIMIT 20",
                    (term, term),
                )
                cursor.fetchall()

        for code in sample[:20]:  # warm-up: connections, statement caches, page cache
            store.code(code)
            raw_lookup(code)
        store.search(terms[0])
        raw_search(terms[0])

        def paired(
            ours: Callable[[Any], object], floor: Callable[[Any], object], items: Sequence[Any]
        ) -> Latencies:
            return Latencies(time_each(ours, items), time_each(floor, items))

        result = QueryResult(
            size=size,
            backend=store.backend,
            lookup=paired(store.code, raw_lookup, sample),
            popular=paired(store.code, raw_lookup, [popular_code] * 20),
            popular_code=popular_code,
            popular_policies=len(store.code(popular_code).policies),
            matrix=paired(store.matrix, raw_matrix, matrix_sets),
            search=paired(store.search, raw_search, terms),
            payers=len(store.payers()),
        )
        if profile_missed and result.lookup.p(50) >= TARGET_LOOKUP_P50_MS:
            result.profiles.append(
                (
                    f"{len(sample)} code lookups ({store.backend}, {size:,} documents)",
                    profile(lambda: [store.code(code) for code in sample]),
                )
            )
        if profile_missed and result.search.p(50) >= TARGET_SEARCH_P50_MS:
            result.profiles.append(
                (
                    f"{len(terms)} searches ({store.backend}, {size:,} documents)",
                    profile(lambda: [store.search(term) for term in terms]),
                )
            )
        cursor.close()
        connection.close()
    return result


def query_section(results: list[QueryResult], load: str) -> Section:
    section = Section(
        "Code lookup, matrix and search latency (in-process)",
        "Latency of `Store.code(code)` for codes drawn at random from the codes the corpus names, of "
        f"`Store.matrix(codes)` for {MATRIX_CODES} random codes × every payer, and of `Store.search(text)` "
        "for "
        "service and condition words, each call timed on its own, in one process. Baseline (the floor): a "
        "raw "
        "indexed SQL `SELECT * FROM version_codes WHERE code = ?` (`code IN (…)` for the matrix; an FTS5 "
        "`MATCH` "
        "or `tsvector @@` query for search) through the DBAPI connection of the same store. The popular-code "
        f"row is the code named by the most documents (worst-case fan-out). Load average at the end: {load}.",
    )
    rows = []
    for r in results:
        label = f"{r.size:,} documents, {r.backend}"
        section.figures += [
            Figure(
                f"code lookup p50, {label}",
                r.lookup.p(50),
                "ms",
                "raw indexed SELECT p50",
                r.lookup.floor_p(50),
                target=f"< {TARGET_LOOKUP_P50_MS:.0f} ms",
                met=r.lookup.p(50) < TARGET_LOOKUP_P50_MS,
            ),
            Figure(
                f"code lookup p99, {label}",
                r.lookup.p(99),
                "ms",
                "raw indexed SELECT p99",
                r.lookup.floor_p(99),
            ),
            Figure(
                f"matrix ({MATRIX_CODES} codes × {r.payers} payers) p50, {label}",
                r.matrix.p(50),
                "ms",
                "raw SELECT … IN p50",
                r.matrix.floor_p(50),
            ),
            Figure(
                f"search p50, {label}",
                r.search.p(50),
                "ms",
                "raw full-text query p50",
                r.search.floor_p(50),
                target=f"< {TARGET_SEARCH_P50_MS:.0f} ms",
                met=r.search.p(50) < TARGET_SEARCH_P50_MS,
            ),
        ]
        for name, lat, extra in (
            ("lookup", r.lookup, ""),
            (f"lookup of {r.popular_code}", r.popular, f" ({r.popular_policies:,} policies)"),
            ("matrix", r.matrix, ""),
            ("search", r.search, ""),
        ):
            rows.append(
                f"| {r.size:,} | {r.backend} | {name}{extra} | {len(lat.ours)} | {fmt(lat.p(50), 'ms')} | "
                f"{fmt(lat.p(99), 'ms')} | {fmt(lat.floor_p(50), 'ms')} | {fmt(lat.floor_p(99), 'ms')} | "
                f"{fmt(lat.p(50) / lat.floor_p(50), '×')} |"
            )
        for label_text, found in r.profiles:
            section.profiles.append((label_text, found.text))
            section.findings += [f"{label_text}: {line}" for line in found.hotspots]
    section.tables.append(
        "| documents | backend | query | calls | p50 | p99 | floor p50 | floor p99 | p50 ÷ floor p50 |\n"
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n" + "\n".join(rows)
    )
    return section
