"""Acceptance on the shared real documents: the extraction score and the code lookups users expect.

These run wherever `shared/` sits beside the repository (as on CI) and skip elsewhere.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import medpolicy
from shared_corpus import DEV_DOCS, DEV_GOLD, SHARED

pytestmark = pytest.mark.skipif(
    not DEV_DOCS.is_dir(), reason="shared/ (the real corpus) is not beside the repository"
)

SCORER = SHARED / "tools" / "score_extraction.py"


def test_extraction_score_on_the_real_documents() -> None:
    command = f"{sys.executable} -m medpolicy extract {{path}} --format json"
    proc = subprocess.run(
        [sys.executable, str(SCORER), "--docs", str(DEV_DOCS), "--gold", str(DEV_GOLD), "--cmd", command],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    summary = proc.stdout.strip().splitlines()[-1]
    overall = float(re.search(r"extraction score: ([\d.]+)", summary).group(1))  # type: ignore[union-attr]
    codes_f1 = float(re.search(r"codes_f1 ([\d.]+)", summary).group(1))  # type: ignore[union-attr]
    assert "FAILED" not in proc.stdout
    assert overall >= 0.90, summary
    assert codes_f1 >= 0.95, summary


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory: pytest.TempPathFactory) -> medpolicy.Store:
    store = medpolicy.open(tmp_path_factory.mktemp("dev") / "dev.db")
    summary = store.ingest([DEV_DOCS], jobs=2)
    assert not summary.failed
    return store


def _positions(store: medpolicy.Store, code: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(p.payer, p.title, p.status) for p in store.code(code).policies]


def test_nk_cell_code_names_the_montana_policy_as_investigational(dev_store: medpolicy.Store) -> None:
    assert (
        "Blue Cross and Blue Shield of Montana",
        "Natural Killer (NK) Cells",
        "investigational",
    ) in _positions(dev_store, "86357")


def test_apheresis_code_names_premera_adoptive_immunotherapy_as_investigational(
    dev_store: medpolicy.Store,
) -> None:
    assert ("Premera Blue Cross", "Adoptive Immunotherapy", "investigational") in _positions(
        dev_store, "36511"
    )


def test_every_real_document_is_stored_once(dev_store: medpolicy.Store) -> None:
    assert dev_store.stats().versions == len([p for p in Path(DEV_DOCS).iterdir() if p.is_file()])
