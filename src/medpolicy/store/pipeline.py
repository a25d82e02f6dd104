"""Turning one file into what the store keeps: read it, then extract its facts.

`read_and_extract` is the unit of work `ingest` spreads over worker processes: it
takes a path, does no database I/O, and returns a picklable result (never raises
for a bad document).
"""

from __future__ import annotations

from dataclasses import dataclass

from medpolicy.errors import UnreadableDocument
from medpolicy.extract import extract
from medpolicy.model import Extraction, Source, Text
from medpolicy.read import read_path


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A document ready to store, or the reason it could not be read."""

    path: str
    text: Text | None = None
    source: Source | None = None
    extraction: Extraction | None = None
    error: str | None = None


def read_and_extract(path: str) -> ReadDocument:
    """Read `path` and extract its facts; reader warnings join the extraction's warnings."""
    try:
        result = read_path(path)
    except UnreadableDocument as exc:
        return ReadDocument(path, error=exc.reason)
    except Exception as exc:  # a reader bug must not stop the batch
        return ReadDocument(path, error=f"could not read: {type(exc).__name__}: {exc}")
    try:
        extraction = extract(result.text)
    except Exception as exc:  # an extractor bug must not stop the batch
        return ReadDocument(path, error=f"could not extract: {type(exc).__name__}: {exc}")
    extraction.warnings.extend(w for w in result.warnings if w not in extraction.warnings)
    return ReadDocument(path, result.text, result.source, extraction)
