"""`import_mcd`: a Medicare Coverage Database download into the store, all or nothing.

Every table is read and checked before anything is written, so a malformed file raises
ImportFormatError and leaves the store as it was. The documents are then written in ONE
transaction: an interrupted or failing import stores none of them. Each document's text
is composed deterministically, and the store skips content it already holds (same
sha256), so importing the same download again reports every document "unchanged", and a
newer download adds new versions of the documents that changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from medpolicy.errors import ImportFormatError, MedpolicyError
from medpolicy.mcd.archive import Download, open_download
from medpolicy.mcd.compose import ComposedDocument, compose
from medpolicy.mcd.csvtable import Table, read_table
from medpolicy.mcd.documents import Assembly, assemble
from medpolicy.mcd.tables import SPEC_BY_NAME
from medpolicy.store.engine import write_transaction
from medpolicy.store.ingest import IngestItem, ProgressCallback
from medpolicy.store.writer import store_document

if TYPE_CHECKING:
    from medpolicy.api import Store


@dataclass(slots=True)
class McdImportSummary:
    """What an import read, stored and left out."""

    path: str
    lcds: int = 0
    articles: int = 0  # billing and coding articles and other article types
    ncds: int = 0
    codes: int = 0  # code facts over all documents (one per code per document)
    items: list[IngestItem] = field(default_factory=list)  # one per document: new, updated or unchanged
    skipped_rows: dict[str, int] = field(default_factory=dict)  # "table: reason" -> rows
    skipped_documents: dict[str, int] = field(default_factory=dict)  # reason -> documents
    first_skipped: dict[str, str] = field(default_factory=dict)  # reason -> "file, line N" of the first one
    tables: list[str] = field(default_factory=list)  # the files read
    ignored_files: list[str] = field(default_factory=list)  # files in the download that are no MCD table
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "new": self.new, "updated": self.updated, "unchanged": self.unchanged}

    def _relative(self, where: str) -> str:
        """A place inside the download, named from the download's root."""
        root = self.path.rstrip("/\\")
        for separator in ("/", "\\", "!"):
            if where.startswith(root + separator):
                return where[len(root) + 1 :]
        return where

    def lines(self) -> list[str]:
        """The summary as the CLI prints it."""
        out = [
            f"{self.path}: {self.lcds} LCDs, {self.articles} articles, {self.ncds} NCDs, {self.codes} codes",
            f"  documents: {self.new} new, {self.updated} updated, {self.unchanged} unchanged",
        ]
        for what, skipped in (("document", self.skipped_documents), ("row", self.skipped_rows)):
            for reason, count in sorted(skipped.items()):
                where = self.first_skipped.get(reason)
                first = f" (first: {self._relative(where)})" if where else ""
                out.append(f"  skipped {count} {what}{'s' if count != 1 else ''}: {reason}{first}")
        out.extend(f"  note: {note}" for note in self.notes)
        if self.ignored_files:
            count = len(self.ignored_files)
            out.append(f"  ignored {count} file{'s' if count != 1 else ''} that are no MCD tables it reads")
        return out


def import_mcd(
    store: Store, path: str | os.PathLike[str], *, progress: ProgressCallback | None = None
) -> McdImportSummary:
    """Import the LCDs, articles and NCDs of the MCD download at `path` (folder, .zip or one .csv table).

    Raises ImportFormatError (file, line, column) for a malformed download, before writing
    anything; MedpolicyError if the store fails while writing (then nothing is stored).
    `progress(item, done, total)` is called after each document is written.
    """
    summary = McdImportSummary(str(path))
    with open_download(path) as download:
        tables = load_tables(download)
        summary.tables = [label for table in tables.values() for label in table.labels]
        summary.ignored_files = list(download.ignored)
        summary.notes.extend(f"read once, same content: {d}" for d in download.duplicates)
    assembly = assemble(tables)
    del tables  # the rows no document uses can go before the documents are written
    if not assembly.documents and not assembly.skipped_documents.counts:
        raise ImportFormatError(
            str(path),
            "no LCD, article or NCD to import (found only: "
            + ", ".join(sorted({label.rsplit("!", 1)[-1].rsplit("/", 1)[-1] for label in summary.tables}))
            + ")",
        )
    _summarise(summary, assembly)
    total = len(assembly.documents)
    try:
        with write_transaction(store.engine) as conn:
            for done, composed in enumerate(_composed(assembly), start=1):
                stored = store_document(conn, composed.text, composed.source, composed.extraction)
                item = IngestItem(
                    composed.source.path,
                    stored.outcome,
                    policy_id=stored.policy_id,
                    version_no=stored.version_no,
                )
                summary.items.append(item)
                summary.codes += len(composed.extraction.codes)
                if progress is not None:
                    progress(item, done, total)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise MedpolicyError(
            f"{path}: the store failed while importing, nothing was imported ({detail})"
        ) from None
    return summary


def load_tables(download: Download) -> dict[str, Table]:
    """Every table of the download, read and checked (ImportFormatError on the first problem)."""
    tables: dict[str, Table] = {}
    shared: dict[str, str] = {}
    for source in download.sources:
        spec = SPEC_BY_NAME[source.table]
        read_table(source, spec, tables.setdefault(spec.name, Table(spec)), shared)
    return tables


def _composed(assembly: Assembly) -> Iterator[ComposedDocument]:
    for kind in ("lcd", "article", "ncd"):
        for document in assembly.of_kind(kind):
            yield compose(document, assembly.documents)


def _summarise(summary: McdImportSummary, assembly: Assembly) -> None:
    summary.lcds = len(assembly.of_kind("lcd"))
    summary.articles = len(assembly.of_kind("article"))
    summary.ncds = len(assembly.of_kind("ncd"))
    summary.skipped_rows = dict(assembly.skipped_rows.counts)
    summary.skipped_documents = dict(assembly.skipped_documents.counts)
    summary.first_skipped = {**assembly.skipped_rows.first, **assembly.skipped_documents.first}
    summary.notes.extend(assembly.notes)
