"""Ingest: walking folders, each document stored whole, failures reported, re-runs idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import medpolicy
from medpolicy.api import Store
from medpolicy.store import ingest as ingest_module
from medpolicy.store.ingest import IngestItem, find_documents, ingest
from medpolicy.store.schema import versions
from store.consistency import assert_consistent
from store.documents import policy_text, write_corpus
from store.workers import die_on_crash_files, raise_on_everything


def _policy(path: Path, number: str, statement: str = "Test therapy is investigational.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        policy_text(
            "Premera Blue Cross",
            number,
            f"Therapy {number}",
            "2024-01-01",
            statement,
            [("86357", "NK cells")],
        )
    )
    return path


def test_folders_are_walked_for_supported_files_skipping_hidden_ones(tmp_path: Path) -> None:
    a = _policy(tmp_path / "a.txt", "1")
    b = _policy(tmp_path / "deep" / "er" / "b.md", "2")
    _policy(tmp_path / ".hidden.txt", "3")
    _policy(tmp_path / ".git" / "c.txt", "4")
    _policy(tmp_path / "notes.csv", "5")
    named = _policy(tmp_path / "explicit.csv", "6")
    files, problems = find_documents([tmp_path, named, tmp_path / "a.txt", tmp_path / "nowhere"])
    assert files == [a.resolve(), b.resolve(), named.resolve()]
    assert [(p.path, p.outcome, p.reason) for p in problems] == [
        (str(tmp_path / "nowhere"), "failed", "no such file or folder")
    ]


def test_ingest_stores_each_document_and_a_rerun_changes_nothing(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 12)
    first = store.ingest(tmp_path / "corpus")
    assert first.counts() == {"new": 12, "updated": 0, "unchanged": 0, "failed": 0}
    assert all(item.policy_id and item.version_no == 1 for item in first.items)
    again = store.ingest([tmp_path / "corpus"])
    assert again.counts() == {"new": 0, "updated": 0, "unchanged": 12, "failed": 0}
    assert {i.policy_id for i in again.items} == {i.policy_id for i in first.items}
    assert store.stats().versions == 12
    assert_consistent(store.engine)


def test_a_changed_file_becomes_a_new_version(store: Store, tmp_path: Path) -> None:
    path = _policy(tmp_path / "p.txt", "8.01.01")
    store.ingest(path)
    _policy(path, "8.01.01", "Test therapy is medically necessary.")
    (item,) = store.ingest(path).items
    assert (item.outcome, item.version_no) == ("updated", 2)
    (change,) = store.changes()
    assert [(s.subject, s.before, s.after) for s in change.code_status_changes] == [
        ("86357", "investigational", "medically_necessary")
    ]


def test_a_failing_document_is_reported_and_the_batch_goes_on(store: Store, tmp_path: Path) -> None:
    _policy(tmp_path / "good.txt", "1")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    (tmp_path / "empty.txt").write_bytes(b"")
    summary = store.ingest(tmp_path)
    assert summary.counts()["new"] == 1
    failed = {Path(i.path).name: i.reason for i in summary.failed}
    assert set(failed) == {"broken.pdf", "empty.txt"}
    assert all(reason for reason in failed.values())
    assert_consistent(store.engine)


def test_worker_processes_give_the_same_result(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 8)
    summary = store.ingest(tmp_path / "corpus", jobs=2)
    assert summary.counts()["new"] == 8
    with medpolicy.open(tmp_path / "one_process.db") as reference:
        reference.ingest(tmp_path / "corpus", jobs=1)
        expected = sorted((p.payer, p.policy_number, p.title, p.codes) for p in reference.policies())
    assert sorted((p.payer, p.policy_number, p.title, p.codes) for p in store.policies()) == expected
    assert_consistent(store.engine)


def test_a_worker_that_dies_fails_only_its_own_document(sqlite_store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path, 6)
    _policy(tmp_path / "crash.txt", "99")
    summary = ingest(sqlite_store.engine, [tmp_path], jobs=2, process=die_on_crash_files)
    assert [(Path(i.path).name, i.reason) for i in summary.failed] == [
        ("crash.txt", "the worker process reading it died (crash or out of memory)")
    ]
    assert summary.counts()["new"] == 6
    assert sqlite_store.stats().policies == 6


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_the_pipeline_fails_only_that_document(
    sqlite_store: Store, tmp_path: Path, jobs: int
) -> None:
    write_corpus(tmp_path, 3)
    summary = ingest(sqlite_store.engine, [tmp_path], jobs=jobs, process=raise_on_everything)
    assert summary.counts()["failed"] == 3
    assert all("RuntimeError: cannot handle" in (i.reason or "") for i in summary.items)


def test_progress_is_reported_after_each_file(store: Store, tmp_path: Path) -> None:
    write_corpus(tmp_path, 3)
    seen: list[tuple[str, int, int]] = []

    def progress(item: IngestItem, done: int, total: int) -> None:
        seen.append((item.outcome, done, total))

    store.ingest([tmp_path, tmp_path / "missing"], progress=progress)
    assert [(done, total) for _, done, total in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(outcome for outcome, _, _ in seen) == ["failed", "new", "new", "new"]


def test_a_document_is_reported_once_it_is_committed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "BATCH_DOCUMENTS", 4)
    monkeypatch.setattr(ingest_module, "BATCH_SECONDS", 3600.0)
    write_corpus(tmp_path, 13)
    committed_when_reported: list[int] = []

    def progress(item: IngestItem, done: int, total: int) -> None:
        with store.engine.connect() as other:  # not the writer's connection: sees only committed rows
            committed_when_reported.append(
                int(other.scalar(sa.select(sa.func.count()).select_from(versions)) or 0)
            )

    store.ingest(tmp_path, progress=progress)
    # batches of 1, 2, 4, then at most 4 documents
    assert committed_when_reported == [1, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 13, 13]


def test_an_ingest_that_stores_documents_refreshes_planner_statistics(
    sqlite_store: Store, tmp_path: Path
) -> None:
    def analysed() -> bool:
        with sqlite_store.engine.connect() as conn:
            return bool(
                conn.exec_driver_sql(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
                ).scalar()
            )

    write_corpus(tmp_path, 3)
    assert not analysed()
    sqlite_store.ingest(tmp_path)
    assert analysed()


def test_a_document_failing_to_store_leaves_no_trace_and_its_batch_is_stored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "BATCH_SECONDS", 3600.0)
    paths = sorted(write_corpus(tmp_path, 9))
    real_store = ingest_module.store_document

    def fails_after_writing(conn: sa.Connection, text: Any, source: Any, extraction: Any) -> Any:
        stored = real_store(conn, text, source, extraction)  # its rows are written, then the store fails
        if source.path == str(paths[5].resolve()):
            raise sa.exc.OperationalError("INSERT ...", {}, Exception("disk I/O error"))
        return stored

    monkeypatch.setattr(ingest_module, "store_document", fails_after_writing)
    summary = store.ingest(tmp_path)
    failed = summary.failed
    assert [Path(item.path).name for item in failed] == [paths[5].name]
    assert "could not store" in (failed[0].reason or "") and "disk I/O error" in (failed[0].reason or "")
    assert len(summary.new) == 8 and store.stats().versions == 8
    assert_consistent(store.engine)


def test_an_empty_folder_ingests_nothing(store: Store, tmp_path: Path) -> None:
    assert store.ingest(tmp_path).items == []
