"""Opening a store: a SQLite path or a SQLAlchemy URL → an Engine set up for concurrent use.

SQLite runs in WAL mode with foreign keys on and a busy timeout, so readers never
block the writer and a second writer waits instead of failing. Transactions are
begun by SQLAlchemy rather than the `sqlite3` module, so that every read sees one
snapshot and writes take the write lock up front (`BEGIN IMMEDIATE`), which avoids
the lock-upgrade failures a deferred write transaction can hit under WAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from medpolicy.errors import MedpolicyError

DEFAULT_STORE = "medpolicy.db"
BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "medpolicy_write"


class StoreUnavailable(MedpolicyError):
    """The store cannot be opened: bad URL, missing folder, not a database, server down."""


SQLITE_ANALYSIS_ROWS = 1000  # rows sampled per index by ANALYZE


def store_url(db: str | None) -> URL:
    """The SQLAlchemy URL for `db`: a URL (postgresql:// meaning postgresql+psycopg://), ":memory:",
    else a SQLite file path (default medpolicy.db in the working folder)."""
    target = db or DEFAULT_STORE
    if "://" in target:
        try:
            url = make_url(target)
        except (ArgumentError, ValueError) as exc:
            raise StoreUnavailable(f"{target}: not a database URL ({exc})") from None
        # psycopg (3) is the PostgreSQL driver medpolicy installs; plain postgresql:// means it too
        return (
            url.set(drivername="postgresql+psycopg") if url.drivername in ("postgresql", "postgres") else url
        )
    if target == ":memory:":
        return make_url("sqlite://")
    path = Path(target).expanduser()
    if not path.parent.is_dir():
        raise StoreUnavailable(f"{target}: folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise StoreUnavailable(
            f"{target}: is a folder; give a database file path, e.g. {path / DEFAULT_STORE}"
        )
    return URL.create("sqlite", database=str(path.resolve()))


def display_url(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.render_as_string(hide_password=True)


def create_store_engine(url: URL) -> Engine:
    """An Engine for `url` with the connection settings the store relies on."""
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True)
    except ArgumentError as exc:  # includes an unknown dialect or driver
        raise StoreUnavailable(f"{display_url(url)}: not a usable database URL ({exc})") from None


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see `_begin`)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed when the block ends, rolled back if it raises."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE_OPTION: True})
        with conn.begin():
            yield conn


def begin_write(engine: Engine) -> Connection:
    """A connection inside a new write transaction, for a caller that decides itself when to commit or
    roll back (`conn.commit()` / `conn.rollback()`, then `conn.close()`)."""
    conn = engine.connect()
    try:
        conn.execution_options(**{_WRITE_OPTION: True})
        conn.begin()
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read transaction: every query inside sees the same snapshot of the store."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def refresh_statistics(engine: Engine) -> None:
    """Refresh the query planner's statistics, so lookups and searches pick their indexes.

    SQLite samples a bounded number of rows per index (a fraction of a second on any size);
    PostgreSQL samples each table.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_ROWS}")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
