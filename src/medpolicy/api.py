"""The Python API: `medpolicy.open(db)` → a `Store` that ingests documents and answers questions.

    >>> import medpolicy
    >>> with medpolicy.open("policies.db") as store:        # doctest: +SKIP
    ...     store.ingest(["downloads/"], jobs=2)
    ...     store.code("86357").policies
    ...     store.matrix(["86357", "0537T"]).to_csv()

The CLI, the HTTP API and the web pages are thin shells over this object.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError

from medpolicy.model import Extraction, Source, Text
from medpolicy.query import (
    coverage_matrix,
    list_policies,
    lookup_code,
    payer_counts,
    policy_changes,
    policy_detail,
    search_policies,
    store_stats,
)
from medpolicy.query.results import (
    CodeLookup,
    Matrix,
    PayerCount,
    PolicyChange,
    PolicyDetail,
    PolicySummary,
    SearchResult,
    Stats,
)
from medpolicy.store.engine import (
    StoreUnavailable,
    create_store_engine,
    display_url,
    read_transaction,
    store_url,
    write_transaction,
)
from medpolicy.store.ingest import IngestItem, IngestSummary, ProgressCallback
from medpolicy.store.ingest import ingest as ingest_paths
from medpolicy.store.migrations import ensure_schema
from medpolicy.store.schema import versions
from medpolicy.store.writer import store_document

if TYPE_CHECKING:
    from medpolicy.ask import Answer
    from medpolicy.check import ClaimLine, Determination
    from medpolicy.mcd import McdImportSummary
    from medpolicy.report import CodeReport

T = TypeVar("T")
PathLike = str | os.PathLike[str]


class Store:
    """An open store. Safe to share between threads; close it (or use `with`) when done."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy Engine, for callers running their own queries (tables: `medpolicy.store.schema`)."""
        return self._engine

    @property
    def backend(self) -> str:
        """The backend: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @property
    def url(self) -> str:
        """Where the store lives (password hidden)."""
        return display_url(self._engine.url)

    def _read(self, question: Callable[[Connection], T]) -> T:
        with read_transaction(self._engine) as conn:
            return question(conn)

    def ingest(
        self,
        paths: PathLike | Iterable[PathLike],
        *,
        jobs: int = 1,
        progress: ProgressCallback | None = None,
    ) -> IngestSummary:
        """Read, extract and store the documents at `paths` (files or folders, walked recursively).

        One transaction per document; content already stored is skipped as unchanged;
        a document that fails is reported in the summary and the rest go on.
        `progress(item, done, total)` is called after each file.
        """
        given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
        return ingest_paths(self._engine, given, jobs=jobs, progress=progress)

    def add(self, text: Text, source: Source, extraction: Extraction) -> IngestItem:
        """Store one document already read and extracted (e.g. by an importer), in one transaction.

        The item's outcome is "new", "updated" or "unchanged", with its policy id and version number.
        """
        with write_transaction(self._engine) as conn:
            stored = store_document(conn, text, source, extraction)
        return IngestItem(
            source.path, stored.outcome, policy_id=stored.policy_id, version_no=stored.version_no
        )

    def code(self, code: str) -> CodeLookup:
        """The code's system, its descriptions in documents, and every current policy naming it."""
        return self._read(lambda conn: lookup_code(conn, code))

    def matrix(self, codes: Iterable[str], payers: Iterable[str] | None = None) -> Matrix:
        """Codes × payers, each cell the payer's current status for the code (or why there is none)."""
        code_list, payer_list = list(codes), None if payers is None else list(payers)
        return self._read(lambda conn: coverage_matrix(conn, code_list, payer_list))

    def search(
        self,
        query: str,
        *,
        payer: str | None = None,
        doc_type: str | None = None,
        status: str | None = None,
        limit: int = 20,
    ) -> SearchResult:
        """Ranked full-text search of current policies (a code is looked up instead).

        Syntax: words, "phrases", prefix*, OR, -excluded (see `medpolicy.store.search_syntax`);
        a query that cannot be read raises QueryError saying why.
        """
        return self._read(
            lambda conn: search_policies(
                conn, query, payer=payer, doc_type=doc_type, status=status, limit=limit
            )
        )

    def policy(
        self,
        id_or_number: int | str,
        *,
        payer: str | None = None,
        version: int | None = None,
        text: bool = False,
    ) -> PolicyDetail:
        """One policy by id or number: the facts of its current version (or `version`), and its versions."""
        return self._read(
            lambda conn: policy_detail(conn, id_or_number, payer=payer, version=version, include_text=text)
        )

    def policies(self, *, payer: str | None = None, doc_type: str | None = None) -> list[PolicySummary]:
        """Every stored policy, optionally one payer's or one document type's."""
        return self._read(lambda conn: list_policies(conn, payer=payer, doc_type=doc_type))

    def changes(self, *, since: str | None = None, payer: str | None = None) -> list[PolicyChange]:
        """What changed between consecutive versions of each policy, newest first."""
        return self._read(lambda conn: policy_changes(conn, since=since, payer=payer))

    def payers(self) -> list[PayerCount]:
        """Canonical payers with their counts."""
        return self._read(payer_counts)

    def revision(self) -> int:
        """A number that changes whenever a document version is stored (0 for an empty store):
        answers computed from the documents stay valid while it does not change."""
        return self._read(lambda conn: int(conn.scalar(select(func.max(versions.c.id))) or 0))

    def stats(self) -> Stats:
        """Counts of policies, versions, codes and payers."""
        return self._read(store_stats)

    # The features built on the store, as methods, so the Python API mirrors the CLI.
    # Their modules load on first use: opening a store stays cheap.

    def report(self, code: str, *, payer: str | None = None) -> CodeReport:
        """A per-code coverage report; render it with `medpolicy.report.render(report, "html"|"pdf"|"md"|"json")`."""
        from medpolicy.report import code_report

        return code_report(self, code, payer=payer)

    def ask(self, question: str, *, today: date | None = None, rephrase: bool | None = None) -> Answer:
        """A plain question answered from the stored policies, every part with its citation."""
        from medpolicy.ask import ask

        return ask(self, question, today=today, rephrase=rephrase)

    def check(self, lines: ClaimLine | Iterable[ClaimLine]) -> list[Determination]:
        """Will these claim lines be covered, and why: one determination per line, edits across a claim."""
        from medpolicy.check import ClaimLine, check_claims

        return check_claims(self, [lines] if isinstance(lines, ClaimLine) else list(lines))

    def import_mcd(self, path: PathLike) -> McdImportSummary:
        """Import a Medicare Coverage Database download (folder or zip): LCDs, billing articles, NCDs."""
        from medpolicy.mcd import import_mcd

        return import_mcd(self, path)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<medpolicy.Store {self.url}>"


def open(db: PathLike | None = None) -> Store:
    """Open (creating or upgrading if needed) the store at `db`: a SQLite path, a SQLAlchemy URL
    (e.g. "postgresql+psycopg://user@host/dbname"), ":memory:", or None for ./medpolicy.db."""
    url = store_url(None if db is None else os.fspath(db))
    engine = create_store_engine(url)
    try:
        ensure_schema(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreUnavailable(f"{display_url(url)}: cannot open the store: {exc.orig}") from None
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
