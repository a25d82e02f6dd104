"""Fixtures for the MCD importer tests: the fictional download in fixtures/, CMS's real samples, stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shared_corpus import MCD_SAMPLE
from store.backends import postgres_session_url, sqlite_store, store, store_url  # noqa: F401  (fixtures)

FIXTURES = Path(__file__).parent / "fixtures"
DOWNLOAD = FIXTURES / "download"  # a small MCD download written for these tests (fictional documents)
SAMPLE = MCD_SAMPLE  # first records of real MCD tables, when present


@pytest.fixture
def download(tmp_path: Path) -> Path:
    """A writable copy of the fixture download."""
    copy = tmp_path / "download"
    shutil.copytree(DOWNLOAD, copy)
    return copy


@pytest.fixture
def sample() -> Path:
    if not SAMPLE.is_dir():
        pytest.skip(f"the real MCD samples are not at {SAMPLE}")
    return SAMPLE
