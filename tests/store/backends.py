"""Store fixtures on both backends: SQLite in a temporary folder, PostgreSQL in a schema of its own.

PostgreSQL tests skip when the server is unreachable, unless $CI is set: then they fail,
so a CI run cannot pass without them. PostgreSQL stores live in schemas of their own
(dropped afterwards): one per run, emptied before each test, and a fresh one for tests
of creating and migrating stores. Tests never see other users' tables.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

import medpolicy
from medpolicy.api import Store

POSTGRES_URL = os.environ.get("MEDPOLICY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@functools.cache
def _postgres_problem() -> str | None:
    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.SQLAlchemyError as exc:
        return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    finally:
        engine.dispose()


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable ({problem})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; $CI is set, so the PostgreSQL tests must run")
    pytest.skip(message)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A store URL whose tables live in a new schema, dropped on exit."""
    schema = f"medpolicy_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    """One schema for the whole run, its tables created once (emptied before each test)."""
    require_postgres()
    with postgres_schema() as url:
        medpolicy.open(url).close()
        yield url


def _empty(url: str) -> None:
    """Delete every row except the schema's version records."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            tables = [name for name in sa.inspect(conn).get_table_names() if name != "schema_migrations"]
            conn.exec_driver_sql(
                "TRUNCATE " + ", ".join(f'"{name}"' for name in tables) + " RESTART IDENTITY CASCADE"
            )
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL (or path) for an empty store, once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "medpolicy.db")
        return
    url = request.getfixturevalue("postgres_session_url")
    _empty(url)
    yield url


@pytest.fixture(params=BACKENDS)
def fresh_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A place where no store exists yet (for tests of creating and migrating stores), once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "medpolicy.db")
        return
    require_postgres()
    with postgres_schema() as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with medpolicy.open(store_url) as opened:
        yield opened


@pytest.fixture
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """For behaviour only SQLite has (pragmas, files)."""
    with medpolicy.open(tmp_path_factory.mktemp("store") / "medpolicy.db") as opened:
        yield opened
