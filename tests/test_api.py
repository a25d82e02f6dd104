"""The Python API: `medpolicy.open` → Store, end to end through reading and extraction, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

import medpolicy
from medpolicy.api import Store
from store import backends
from store.documents import PolicySpec, policy_document, policy_text

# the store fixtures, on both backends
postgres_session_url = backends.postgres_session_url
store_url = backends.store_url
store = backends.store
sqlite_store = backends.sqlite_store


def _write(
    folder: Path,
    name: str,
    payer: str,
    number: str,
    effective: str,
    statement: str,
    codes: list[tuple[str, str]],
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(policy_text(payer, number, f"Therapy {number}", effective, statement, codes))
    return path


def test_open_and_store_are_exported_from_the_package() -> None:
    assert medpolicy.open is medpolicy.api.open
    assert medpolicy.Store is Store
    assert medpolicy.__version__


def test_open_without_a_target_uses_medpolicy_db_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with medpolicy.open() as store:
        assert store.backend == "sqlite"
        assert store.url.endswith("/medpolicy.db")
        assert repr(store) == f"<medpolicy.Store {store.url}>"
    assert (tmp_path / "medpolicy.db").exists()


def test_end_to_end_ingest_and_questions(store: Store, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(
        docs,
        "premera.txt",
        "Premera Blue Cross",
        "8.01.01",
        "2024-01-01",
        "Natural killer cell therapy is considered investigational.",
        [("86357", "NK cells, total count")],
    )
    _write(
        docs / "aetna",
        "aetna.txt",
        "Aetna",
        "0999",
        "2023-03-01",
        "Natural killer cell therapy is medically necessary when criteria are met.",
        [("86357", "NK cells, total count"), ("0537T", "CAR-T cell harvest")],
    )
    summary = store.ingest(docs)
    assert summary.counts() == {"new": 2, "updated": 0, "unchanged": 0, "failed": 0}

    lookup = store.code("86357")
    assert {p.payer for p in lookup.policies} == {"Premera Blue Cross", "Aetna"}
    assert all(p.matched == "code" and p.span is not None for p in lookup.policies)
    matrix = store.matrix(["86357", "0537T"], ["Aetna", "Premera"])
    assert matrix.cell("0537T", "Premera Blue Cross").status == "no policy found"
    assert [h.payer for h in store.search("natural killer", payer="Premera").hits] == ["Premera Blue Cross"]

    for found in lookup.policies:
        detail = store.policy(found.policy_id, text=True)
        text = detail.version.text or ""
        for code in detail.version.codes:
            for start, end in code.spans:
                assert 0 <= start < end <= len(text)


def test_a_revised_file_is_a_new_version_with_its_changes(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "p.txt",
        "Aetna",
        "0999",
        "2023-03-01",
        "Natural killer cell therapy is investigational.",
        [("86357", "NK cells"), ("0537T", "CAR-T")],
    )
    store.ingest(str(path))
    _write(
        tmp_path,
        "p.txt",
        "Aetna",
        "0999",
        "2024-03-01",
        "Natural killer cell therapy is investigational.",
        [("86357", "NK cells"), ("0538T", "CAR-T preparation")],
    )
    (item,) = store.ingest([path]).items
    assert (item.outcome, item.version_no) == ("updated", 2)
    (change,) = store.changes()
    assert ([c.code for c in change.codes_added], [c.code for c in change.codes_removed]) == (
        ["0538T"],
        ["0537T"],
    )
    assert store.ingest(path).counts()["unchanged"] == 1


def test_add_stores_a_document_read_elsewhere(store: Store) -> None:
    item = store.add(*policy_document(PolicySpec()))
    assert (item.outcome, item.version_no) == ("new", 1)
    assert store.policy(item.policy_id or 0).policy_number == "8.01.01"


def test_results_serialise_to_plain_dicts(sqlite_store: Store) -> None:
    sqlite_store.add(*policy_document(PolicySpec()))
    for result in (
        sqlite_store.code("86357"),
        sqlite_store.matrix(["86357"]),
        sqlite_store.search("killer"),
        sqlite_store.policy("8.01.01"),
        sqlite_store.stats(),
    ):
        assert isinstance(result.to_dict(), dict)
    assert isinstance(sqlite_store.payers()[0].to_dict(), dict)


def test_close_is_safe_to_repeat(tmp_path: Path) -> None:
    store = medpolicy.open(tmp_path / "s.db")
    store.close()
    store.close()
