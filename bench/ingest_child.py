"""One ingest (or its raw-storage floor) in a fresh process, so its memory high-water mark is its own.

    python bench/ingest_child.py ingest --db URL --jobs 2 CORPUS_DIR
    python bench/ingest_child.py floor --db URL CORPUS_DIR
    python bench/ingest_child.py profile --db URL --jobs 1 --limit 200 CORPUS_DIR

Prints one JSON object on its last line of output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from measure import DescendantSampler, peak_rss_kb
from profiling import profile

_read_extract_seconds = 0.0


def timed_read_and_extract(path: str) -> Any:
    """`read_and_extract`, adding its time to a running total (used with jobs=1, in this process)."""
    from medpolicy.store.pipeline import read_and_extract

    global _read_extract_seconds
    started = time.perf_counter()
    try:
        return read_and_extract(path)
    finally:
        _read_extract_seconds += time.perf_counter() - started


def corpus_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix in (".txt", ".html", ".docx", ".pdf")
    )


def ingest(db: str, jobs: int, folder: Path) -> dict[str, Any]:
    import medpolicy
    from medpolicy.store.ingest import ingest as ingest_paths

    with medpolicy.open(db) as store, DescendantSampler() as workers:
        before = os.times()
        started = time.perf_counter()
        if jobs == 1:
            summary = ingest_paths(store.engine, [folder], jobs=1, process=timed_read_and_extract)
        else:
            summary = store.ingest([folder], jobs=jobs)
        seconds = time.perf_counter() - started
        after = os.times()
        stats = store.stats()
    return {
        "seconds": seconds,
        "counts": summary.counts(),
        "failures": [f"{item.path}: {item.reason}" for item in summary.failed[:5]],
        "documents": len(summary.items),
        "bytes": sum(p.stat().st_size for p in corpus_files(folder)),
        "peak_rss_kb": peak_rss_kb(),
        "workers_peak_rss_kb": workers.largest_peak_kb,
        "main_cpu_seconds": (after.user - before.user) + (after.system - before.system),
        "workers_cpu_seconds": workers.total_cpu_seconds,
        "read_extract_seconds": _read_extract_seconds if jobs == 1 else None,
        "load_average": os.getloadavg()[0],
        "stats": {
            "policies": stats.policies,
            "versions": stats.versions,
            "codes": stats.codes,
            "code_facts": stats.code_facts,
            "payers": stats.payers,
        },
    }


def floor(db: str, folder: Path) -> dict[str, Any]:
    """Read each file, hash it and insert its bytes into one plain table, one transaction per file."""
    files = corpus_files(folder)
    seconds = _floor_postgres(db, files) if db.startswith("postgresql") else _floor_sqlite(db, files)
    return {"seconds": seconds, "documents": len(files)}


def _floor_postgres(url: str, files: list[Path]) -> float:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS raw_documents")
        conn.execute("CREATE TABLE raw_documents (id serial PRIMARY KEY, path text, sha256 text, body bytea)")
        started = time.perf_counter()
        for path in files:
            data = path.read_bytes()
            with conn.transaction():
                conn.execute(
                    "INSERT INTO raw_documents (path, sha256, body) VALUES (%s, %s, %s)",
                    (str(path), hashlib.sha256(data).hexdigest(), data),
                )
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE raw_documents")
    return seconds


def _floor_sqlite(path: str, files: list[Path]) -> float:
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE raw_documents (id INTEGER PRIMARY KEY, path TEXT, sha256 TEXT, body BLOB)")
    started = time.perf_counter()
    for file in files:
        data = file.read_bytes()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO raw_documents (path, sha256, body) VALUES (?, ?, ?)",
            (str(file), hashlib.sha256(data).hexdigest(), data),
        )
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def profiled(db: str, jobs: int, folder: Path, limit: int) -> dict[str, Any]:
    """Ingest the first `limit` files under cProfile (this process only: with jobs > 1, the storing side)."""
    import medpolicy

    files = corpus_files(folder)[:limit]
    with medpolicy.open(db) as store:
        store.ingest(files[:2], jobs=1)  # warm-up: code sets, patterns, schema
        started = time.perf_counter()
        found = profile(lambda: store.ingest(files[2:], jobs=jobs))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": len(files) - 2, "text": found.text, "hotspots": found.hotspots}


def main() -> None:
    parser = argparse.ArgumentParser(description="one ingest benchmark run")
    parser.add_argument("mode", choices=("ingest", "floor", "profile"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    if args.mode == "ingest":
        result = ingest(args.db, args.jobs, args.folder)
    elif args.mode == "floor":
        result = floor(args.db, args.folder)
    else:
        result = profiled(args.db, args.jobs, args.folder, args.limit)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
