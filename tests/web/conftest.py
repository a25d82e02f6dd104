"""Fixtures for the web tests: a sample store, the app over it, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import medpolicy
from medpolicy.api import Store
from medpolicy.web import create_app
from web.sample import fill

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A SQLite store of the sample policies, built once per test module."""
    path = tmp_path_factory.mktemp("web") / "sample.db"
    with medpolicy.open(path) as store:
        ids = fill(store)
    return path, ids


@pytest.fixture(scope="module")
def ids(sample_db: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return sample_db[1]


@pytest.fixture(scope="module")
def sample_store(sample_db: tuple[Path, dict[str, int]]) -> Iterator[Store]:
    with medpolicy.open(sample_db[0]) as store:
        yield store


@pytest.fixture(scope="module")
def client(sample_store: Store) -> Iterator[TestClient]:
    """A client of the app over the sample store, uploads disabled (no token)."""
    with TestClient(create_app(sample_store)) as test_client:
        yield test_client


@pytest.fixture
def writable_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store for tests that upload."""
    with medpolicy.open(tmp_path / "uploads.db") as store:
        yield store


@pytest.fixture
def writer(writable_store: Store) -> Iterator[TestClient]:
    """A client of an app that accepts uploads with TOKEN, capped at 64 kB."""
    app = create_app(writable_store, token=TOKEN, max_upload_bytes=64 * 1024)
    with TestClient(app) as test_client:
        yield test_client
