"""Ingesting files and folders: read and extract (in worker processes), store each document whole.

Only the main process writes. Documents are stored in batches, one transaction each:
committing once per document spent more on the commit (and the full-text index flush it
triggers) than on storing. Batches grow from one document to `BATCH_DOCUMENTS` (and end
after `BATCH_SECONDS` of work), so the first documents are visible at once. When storing a
document fails, its batch is rolled back and the others in it are stored again one by one,
so an interrupted run (Ctrl-C, a crash, SIGKILL) leaves every document either fully stored
or absent (Ctrl-C also commits the documents already stored), and running the same ingest
again stores what is missing: content whose sha256 is already stored is reported
"unchanged" without being read again. A document is reported once its batch is committed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from medpolicy.model import Extraction, Source, Text
from medpolicy.store.engine import begin_write, read_transaction, refresh_statistics, write_transaction
from medpolicy.store.pipeline import ReadDocument, read_and_extract
from medpolicy.store.schema import versions
from medpolicy.store.writer import StoredDocument, store_document

SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".html", ".htm", ".docx", ".txt", ".text", ".md")
IngestOutcome = Literal["new", "updated", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class IngestItem:
    """What happened to one file."""

    path: str
    outcome: IngestOutcome
    reason: str | None = None  # why it failed
    policy_id: int | None = None
    version_no: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class IngestSummary:
    """Every file an ingest looked at, in the order they finished."""

    items: list[IngestItem] = field(default_factory=list)

    def with_outcome(self, outcome: IngestOutcome) -> list[IngestItem]:
        return [item for item in self.items if item.outcome == outcome]

    @property
    def new(self) -> list[IngestItem]:
        return self.with_outcome("new")

    @property
    def updated(self) -> list[IngestItem]:
        return self.with_outcome("updated")

    @property
    def unchanged(self) -> list[IngestItem]:
        return self.with_outcome("unchanged")

    @property
    def failed(self) -> list[IngestItem]:
        return self.with_outcome("failed")

    def counts(self) -> dict[str, int]:
        return {
            outcome: len(self.with_outcome(outcome)) for outcome in ("new", "updated", "unchanged", "failed")
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.counts(), "items": [item.to_dict() for item in self.items]}


ProgressCallback = Callable[[IngestItem, int, int], None]
"""Called after each file with (what happened, files done, files in total)."""

Process = Callable[[str], ReadDocument]


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[IngestItem]]:
    """The files to ingest under `paths` and the paths that could not be used.

    Folders are walked recursively for supported files, skipping hidden files and
    folders; a file named explicitly is always tried, whatever its suffix.
    """
    found: dict[Path, None] = {}
    problems: list[IngestItem] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_file():
            found.setdefault(path.resolve())
        elif path.is_dir():
            for file in _walk(path):
                found.setdefault(file.resolve())
        elif path.exists():
            problems.append(IngestItem(str(given), "failed", "not a regular file or folder"))
        else:
            problems.append(IngestItem(str(given), "failed", "no such file or folder"))
    return list(found), problems


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith((".", "~$")) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root, name)


def ingest(
    engine: Engine,
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    process: Process = read_and_extract,
) -> IngestSummary:
    """Read, extract and store every document under `paths`; a failing document is reported, not fatal.

    `jobs` > 1 reads and extracts in that many worker processes. `process` turns one
    path into a `ReadDocument` (module-level, so worker processes can run it).
    """
    files, problems = find_documents(paths)
    summary = IngestSummary()
    total = len(files) + len(problems)

    def report(item: IngestItem) -> None:
        summary.items.append(item)
        if progress is not None:
            progress(item, len(summary.items), total)

    for problem in problems:
        report(problem)
    stored = _stored_hashes(engine)
    todo: list[str] = []
    for file in files:
        try:
            digest = _sha256(file)
        except OSError as exc:
            report(IngestItem(str(file), "failed", f"cannot read file: {exc.strerror or exc}"))
            continue
        if digest in stored:
            policy_id, version_no = stored[digest]
            report(IngestItem(str(file), "unchanged", policy_id=policy_id, version_no=version_no))
        else:
            todo.append(str(file))
    with _Batches(engine, report) as batches:
        for document in _read_all(process, todo, jobs):
            batches.store(document)
    if summary.new or summary.updated:
        with suppress(SQLAlchemyError):  # only plans suffer, and the next ingest tries again
            refresh_statistics(engine)
    return summary


BATCH_DOCUMENTS = 64
BATCH_SECONDS = 1.0
_Readable = tuple[str, Text, Source, Extraction]  # a document read and extracted: path, text, source, facts


class _Batches:
    """Documents stored in a write transaction committed every batch.

    Leaving the block (normally, on Ctrl-C, or on an error) commits the documents stored so
    far; a commit that fails turns its batch's documents into failures.
    """

    def __init__(self, engine: Engine, report: Callable[[IngestItem], None]) -> None:
        self._engine = engine
        self._report = report
        self._conn: Connection | None = None
        self._stored: list[tuple[IngestItem, _Readable]] = []  # in the open transaction
        self._pending: list[IngestItem] = []  # to report once the transaction ends
        self._started = 0.0
        self._batch_size = 1

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.commit()

    def store(self, document: ReadDocument) -> None:
        if (
            document.error is not None
            or document.extraction is None
            or document.text is None
            or document.source is None
        ):
            self._pending.append(IngestItem(document.path, "failed", document.error or "nothing was read"))
        else:
            try:
                if self._conn is None:
                    self._conn = begin_write(self._engine)
                    self._started = time.monotonic()
                readable = (document.path, document.text, document.source, document.extraction)
                stored = store_document(self._conn, *readable[1:])
            except SQLAlchemyError as exc:
                self._roll_back_and_store_alone()
                self._pending.append(IngestItem(document.path, "failed", f"could not store: {_detail(exc)}"))
            except BaseException:  # e.g. Ctrl-C halfway through a document: it must not be committed
                self._roll_back_and_store_alone()
                raise
            else:
                self._stored.append((_item(document.path, stored), readable))
        if len(self._pending) + len(self._stored) >= self._batch_size or (
            time.monotonic() - self._started >= BATCH_SECONDS
        ):
            self.commit()
            self._batch_size = min(2 * self._batch_size, BATCH_DOCUMENTS)

    def commit(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            stored, self._stored = self._stored, []
            try:
                conn.commit()
                self._pending += [item for item, _ in stored]
            except SQLAlchemyError as exc:
                reason = f"could not store: {_detail(exc)}"
                self._pending += [IngestItem(item.path, "failed", reason) for item, _ in stored]
            finally:
                conn.close()
        pending, self._pending = self._pending, []
        for item in pending:
            self._report(item)

    def _roll_back_and_store_alone(self) -> None:
        """Undo the open transaction, then store the documents it held again, each in its own."""
        if self._conn is not None:
            self._conn.rollback()
            self._conn.close()
            self._conn = None
        stored, self._stored = self._stored, []
        for _, (path, text, source, extraction) in stored:
            try:
                with write_transaction(self._engine) as conn:
                    again = store_document(conn, text, source, extraction)
                self._pending.append(_item(path, again))
            except SQLAlchemyError as exc:
                self._pending.append(IngestItem(path, "failed", f"could not store: {_detail(exc)}"))


def _item(path: str, stored: StoredDocument) -> IngestItem:
    return IngestItem(path, stored.outcome, policy_id=stored.policy_id, version_no=stored.version_no)


def _detail(exc: SQLAlchemyError) -> object:
    return getattr(exc, "orig", None) or exc


def _stored_hashes(engine: Engine) -> dict[str, tuple[int, int]]:
    with read_transaction(engine) as conn:
        rows = conn.execute(select(versions.c.sha256, versions.c.policy_id, versions.c.version_no))
        return {row.sha256: (row.policy_id, row.version_no) for row in rows}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers fork from a server process that has already imported the readers and the extractor:
    fast to start (also after a crash), and free of whatever threads the caller runs."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["medpolicy.store.pipeline"])
    return context


def _ignore_interrupts() -> None:
    """Ctrl-C is for the main process, which stops the batch; workers just finish or get cancelled."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _workers_can_start() -> bool:
    """False when the main module cannot be re-imported by a worker (e.g. a script piped to `python -`)."""
    main_file = getattr(sys.modules["__main__"], "__file__", None)
    return main_file is None or os.path.isfile(main_file)


def _read_all(process: Process, paths: Sequence[str], jobs: int) -> Iterator[ReadDocument]:
    """`process` over `paths`, in this process or a pool of `jobs` workers (results as they finish).

    When a worker process dies (a crash in a reader, out of memory), the documents it
    may have been reading are read again one at a time, so only the culprit fails.
    """
    if jobs <= 1 or len(paths) <= 1 or not _workers_can_start():
        for path in paths:
            try:
                document = process(path)
            except Exception as exc:  # a failing document must not stop the batch
                document = ReadDocument(path, error=f"could not read: {type(exc).__name__}: {exc}")
            yield document
        return
    queue = list(reversed(paths))
    suspects: list[str] = []
    while queue:
        yield from _read_with_pool(process, queue, min(jobs, len(queue)), 8 * jobs, suspects)
    while suspects:  # one document at a time, so a worker that dies again names its culprit
        yield from _read_with_pool(process, suspects, 1, 1, [])


_DIED = "the worker process reading it died (crash or out of memory)"


def _read_with_pool(
    process: Process, queue: list[str], jobs: int, window: int, suspects: list[str]
) -> Iterator[ReadDocument]:
    """Drain `queue` through one pool, at most `window` documents in flight. If a worker dies, the
    documents in flight join `suspects` (or fail, when only one was in flight) and the rest of
    `queue` is left for the next pool."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context(), initializer=_ignore_interrupts)
    in_flight: dict[Future[ReadDocument], str] = {}
    try:
        while queue or in_flight:
            while queue and len(in_flight) < window:
                path = queue.pop()
                in_flight[pool.submit(process, path)] = path
            wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in [f for f in in_flight if f.done()]:
                if isinstance(future.exception(), BrokenProcessPool):
                    broken = True
                else:
                    yield _result(future, in_flight.pop(future))
            if broken:
                # Any document still in flight may be the one that killed the worker.
                stranded = list(in_flight.values())
                in_flight.clear()
                if len(stranded) == 1:
                    yield ReadDocument(stranded[0], error=_DIED)
                else:
                    suspects.extend(stranded)
                return
    finally:
        pool.shutdown(wait=not in_flight, cancel_futures=True)


def _result(future: Future[ReadDocument], path: str) -> ReadDocument:
    try:
        return future.result()
    except Exception as exc:  # e.g. a result that cannot be sent back between processes
        return ReadDocument(path, error=f"could not read: {type(exc).__name__}: {exc}")
