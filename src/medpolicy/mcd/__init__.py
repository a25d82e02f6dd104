"""Medicare Coverage Database downloads: LCDs, billing and coding articles and NCDs as documents.

    >>> import medpolicy
    >>> from medpolicy.mcd import import_mcd
    >>> with medpolicy.open("policies.db") as store:                 # doctest: +SKIP
    ...     summary = import_mcd(store, "downloads/current_lcd.zip")
    ...     store.code("A9900").policies                            # LCD L33312 among them

CMS publishes the MCD as zips of CSV tables. `import_mcd` reads a folder, a zip (zips
inside zips too) or a single table, builds one document per LCD, article and NCD at its
latest version (text composed from the tables, facts with spans into that text), and
stores them in one transaction. `load_documents` does the same without a store.
"""

from __future__ import annotations

import os

from medpolicy.mcd.archive import open_download
from medpolicy.mcd.compose import ComposedDocument, compose
from medpolicy.mcd.documents import assemble
from medpolicy.mcd.importer import McdImportSummary, import_mcd, load_tables
from medpolicy.mcd.model import ContractorFacts, GroupFacts, McdExtraction, McdFacts

__all__ = [
    "ComposedDocument",
    "ContractorFacts",
    "GroupFacts",
    "McdExtraction",
    "McdFacts",
    "McdImportSummary",
    "import_mcd",
    "load_documents",
]


def load_documents(path: str | os.PathLike[str]) -> list[ComposedDocument]:
    """The documents of the download at `path`, composed but not stored (LCDs, then articles, then NCDs)."""
    with open_download(path) as download:
        tables = load_tables(download)
    assembly = assemble(tables)
    return [
        compose(document, assembly.documents)
        for kind in ("lcd", "article", "ncd")
        for document in assembly.of_kind(kind)
    ]
