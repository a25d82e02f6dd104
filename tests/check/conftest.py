"""Stores for the claim-check tests: the fixture policies in `documents/`, ingested once per backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import medpolicy
from medpolicy.api import Store
from medpolicy.check import import_mue, import_ncci
from store.backends import postgres_schema, require_postgres

from .cms_files import MUE_CSV, PTP_TXT

DOCUMENTS = Path(__file__).parent / "documents"


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def policy_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Every fixture document ingested (read-only for the tests that use it), once per backend."""
    if request.param == "sqlite":
        with medpolicy.open(tmp_path_factory.mktemp("check") / "policies.db") as store:
            _fill(store)
            yield store
        return
    require_postgres()
    with postgres_schema() as url, medpolicy.open(url) as store:
        _fill(store)
        yield store


def _fill(store: Store) -> None:
    summary = store.ingest([DOCUMENTS])
    assert not summary.failed, summary.failed


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def edits_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The fixture documents plus the NCCI and MUE files of `cms_files`, imported, once per backend."""
    folder = tmp_path_factory.mktemp("edits")
    ptp, mue = folder / "ccipra-demo-f1.txt", folder / "mue-practitioner.csv"
    ptp.write_text(PTP_TXT, encoding="utf-8")
    mue.write_text(MUE_CSV, encoding="utf-8")
    if request.param == "sqlite":
        with medpolicy.open(folder / "edits.db") as store:
            _fill_with_edits(store, ptp, mue)
            yield store
        return
    require_postgres()
    with postgres_schema() as url, medpolicy.open(url) as store:
        _fill_with_edits(store, ptp, mue)
        yield store


def _fill_with_edits(store: Store, ptp: Path, mue: Path) -> None:
    _fill(store)
    import_ncci(store.engine, ptp)
    import_mue(store.engine, mue)
