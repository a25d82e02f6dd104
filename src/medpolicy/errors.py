"""Errors medpolicy raises on purpose: each says which input and what is wrong."""

from __future__ import annotations


class MedpolicyError(Exception):
    """Base class: a problem the user can act on (the CLI prints it on one line)."""


class UnreadableDocument(MedpolicyError):
    """A document could not be read: corrupt, encrypted, empty, too large, unknown format."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ImportFormatError(MedpolicyError):
    """A reference-data file (CMS download, CPT table) is not in the expected layout."""

    def __init__(self, path: str, reason: str, line: int | None = None, column: str | None = None) -> None:
        where = path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column


class QueryError(MedpolicyError):
    """A query the store cannot answer as written (bad search syntax, unknown id)."""
