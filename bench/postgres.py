"""The benchmark's own PostgreSQL database, created fresh for each run and dropped afterwards."""

from __future__ import annotations

import os

ADMIN_URL = os.environ.get("MEDPOLICY_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASE = "medpolicy_bench"


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def bench_url() -> str:
    """The SQLAlchemy URL of the benchmark database (same server and user as ADMIN_URL)."""
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{DATABASE}"


def server_version() -> str | None:
    """The server's version string, or None when it cannot be reached."""
    try:
        import psycopg

        with psycopg.connect(_dsn(ADMIN_URL), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return f"PostgreSQL {row[0]}" if row else None
    except Exception:  # any failure means: no PostgreSQL figures
        return None


def recreate() -> str:
    """Drop and create the benchmark database; its URL."""
    import psycopg

    with psycopg.connect(_dsn(ADMIN_URL), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return bench_url()


def drop() -> None:
    import psycopg

    with psycopg.connect(_dsn(ADMIN_URL), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
