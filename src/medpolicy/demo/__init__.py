"""The demo corpus: fictional medical policies in the layouts of real payer families.

Each document ``NAME.<pdf|html|docx|txt>`` in :func:`corpus_dir` comes with
``NAME.expected.json``: the facts the document states by construction (payer, policy number,
dates, listed and mentioned codes, code ranges, coverage statements, related policies,
reference and history counts), in the gold format that the extraction scorer reads. Plans,
studies, addresses and phone numbers are invented; code numbers are real.

>>> from medpolicy.demo import list_documents, expected_facts
>>> document = list_documents()[0]
>>> expected_facts(document)["payer"]
'Blue Heron Health'
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

DOCUMENT_SUFFIXES: tuple[str, ...] = (".pdf", ".html", ".docx", ".txt")
EXPECTED_SUFFIX = ".expected.json"


def corpus_dir() -> Path:
    """The directory holding the demo documents and their expected facts."""
    return Path(str(resources.files(__name__).joinpath("corpus")))


def list_documents() -> list[Path]:
    """Every demo document (not the ``.expected.json`` files), sorted by name."""
    return sorted(
        path
        for path in corpus_dir().iterdir()
        if path.suffix in DOCUMENT_SUFFIXES and not path.name.endswith(EXPECTED_SUFFIX)
    )


def expected_path(document: Path) -> Path:
    """Where the expected facts of `document` are kept."""
    return document.with_name(document.name.removesuffix(document.suffix) + EXPECTED_SUFFIX)


def expected_facts(document: Path) -> dict[str, Any]:
    """The facts `document` states by construction (its ``.expected.json``)."""
    loaded: dict[str, Any] = json.loads(expected_path(document).read_text(encoding="utf-8"))
    return loaded


def write_evaluation_set(target: Path) -> tuple[Path, Path]:
    """Copy the corpus into ``target/docs`` and its expected facts into ``target/gold/NAME.json``.

    That is the layout ``score_extraction.py --docs DOCS --gold GOLD`` expects: one gold file per
    document stem, and no other file sharing the stem in the documents directory.
    """
    docs, gold = target / "docs", target / "gold"
    docs.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    for document in list_documents():
        shutil.copyfile(document, docs / document.name)
        stem = document.name.removesuffix(document.suffix)
        shutil.copyfile(expected_path(document), gold / f"{stem}.json")
    return docs, gold
