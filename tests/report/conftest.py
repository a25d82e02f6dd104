"""Stores for the report tests: empty, hand-built sample policies, the demo corpus, the shared dev corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import medpolicy
from medpolicy.api import Store
from report.documents import ASPEN, BIRCH, CEDAR_V1, CEDAR_V2, CODE_PAGE, build
from shared_corpus import DEV_DOCS
from store.backends import (  # noqa: F401  (fixtures)
    postgres_session_url,
    sqlite_store,
    store,
    store_url,
)

DEV_CORPUS = DEV_DOCS

FALLBACK_POLICIES = {
    "birchwood-nk.txt": """Birchwood Mutual
Medical Policy

Natural Killer Cell Assays

Policy Number: BM-12
Effective Date: 2024-09-01

Policy Coverage Criteria
Natural killer cell assays are considered medically necessary for suspected hemophagocytic syndrome.

Coding
CPT codes:
86357  Natural killer cells, total count
86356  Mononuclear cell antigen
""",
    "cedar-nk.txt": """Cedar Valley Health
Medical Policy

Lymphocyte Subset Testing

Policy Number: CV-31
Effective Date: 2025-02-01

Policy Coverage Criteria
Lymphocyte subset testing is considered experimental and investigational.

Coding
CPT codes:
86357  Natural killer cells, total count
""",
}


def fill_sample(target: Store) -> dict[str, int]:
    """Store the hand-built sample policies; their policy ids by name."""
    ids = {}
    for name, policy in (
        ("aspen", ASPEN),
        ("birch", BIRCH),
        ("cedar", CEDAR_V1),
        ("cedar", CEDAR_V2),
        ("code_page", CODE_PAGE),
    ):
        ids[name] = target.add(*build(policy)).policy_id or 0
    return ids


@pytest.fixture
def sample(store: Store) -> Store:  # noqa: F811
    """The sample policies, on SQLite and on PostgreSQL."""
    fill_sample(store)
    return store


@pytest.fixture
def sample_sqlite(sqlite_store: Store) -> Store:  # noqa: F811
    fill_sample(sqlite_store)
    return sqlite_store


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo corpus (or, before it exists, a few policies written here), plus a policy carrying markup."""
    corpus = _demo_corpus()
    if corpus is None:
        corpus = tmp_path_factory.mktemp("demo-docs")
        for name, text in FALLBACK_POLICIES.items():
            (corpus / name).write_text(text)
    with medpolicy.open(tmp_path_factory.mktemp("demo-store") / "demo.db") as opened:
        summary = opened.ingest([corpus])
        assert not summary.failed, [item.reason for item in summary.failed]
        opened.add(*build(BIRCH))
        yield opened


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    if not DEV_CORPUS.is_dir():
        pytest.skip(f"the shared dev corpus is not at {DEV_CORPUS}")
    with medpolicy.open(tmp_path_factory.mktemp("dev-store") / "dev.db") as opened:
        opened.ingest([DEV_CORPUS])
        yield opened


def _demo_corpus() -> Path | None:
    try:
        from medpolicy.demo import corpus_dir, list_documents
    except ImportError:
        return None
    return corpus_dir() if list_documents() else None
