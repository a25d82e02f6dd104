"""Fixtures for the code catalog tests: a throwaway store with the catalog tables, and file writing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from medpolicy.codes.tables import CODE_TABLES
from medpolicy.store.schema import metadata
from store.backends import postgres_schema, require_postgres

WriteFile = Callable[..., Path]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty catalog: a SQLite file, or a PostgreSQL schema of its own (dropped afterwards)."""
    if request.param == "sqlite":
        with _catalog(f"sqlite:///{tmp_path / 'catalog.db'}") as engine:
            yield engine
        return
    require_postgres()
    with postgres_schema() as url, _catalog(url) as engine:
        yield engine


@contextmanager
def _catalog(url: str) -> Iterator[Engine]:
    engine = create_engine(url)
    metadata.create_all(engine, tables=list(CODE_TABLES))
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write `text` as a file the way CMS downloads come: optionally with a BOM and CRLF line ends."""

    def write(
        name: str, text: str, *, bom: bool = False, crlf: bool = False, encoding: str = "utf-8"
    ) -> Path:
        if crlf:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        data = text.encode(encoding)
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return write
