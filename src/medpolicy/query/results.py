"""What queries return: plain dataclasses, each serialisable with `to_dict()` (JSON-ready values).

Spans are `(start, end)` character offsets into the text of the version named beside
them (`PolicyDetail.version.text`, or `Store.policy(id, version=n, text=True)`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from medpolicy.model import HistoryEntry, Reference, RelatedPolicy, Span
from medpolicy.plain import plain
from medpolicy.store.writer import MIXED as MIXED  # the payer's positions on the code disagree

NO_POLICY = "no policy found"  # the payer has policies in the store, none naming the code
NO_DATA = "data not available"  # the store holds no policy of this payer at all
NOT_STATED = "not stated"  # policies name the code but state no coverage position for it


class _Serialisable:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = plain(self)
        return found


@dataclass(frozen=True, slots=True)
class CodeDescription(_Serialisable):
    """A description of a code as one document gives it."""

    description: str
    payer: str | None
    policy_id: int
    policy_number: str | None
    title: str | None
    version_no: int
    span: Span | None


@dataclass(frozen=True, slots=True)
class CodePolicy(_Serialisable):
    """One current policy that names a code, directly or through a range it lists."""

    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    version_no: int
    effective: str | None
    system: str
    status: str | None  # a status from the contract vocabulary, "mixed", or None (not stated)
    matched: str  # "code" (the document names it) or "range" (inside a range the document lists)
    role: str | None  # "listed" | "mentioned" for direct matches; None via a range
    range: str | None  # "start-end" when matched via a range
    description: str | None
    statement: str | None  # the coverage statement behind `status`
    statement_span: Span | None
    span: Span | None  # where the code (or range) appears


@dataclass(frozen=True, slots=True)
class CodeLookup(_Serialisable):
    """Everything the store knows about one code."""

    code: str
    system: str | None
    descriptions: list[CodeDescription]
    policies: list[CodePolicy]


@dataclass(frozen=True, slots=True)
class MatrixCell(_Serialisable):
    code: str
    payer: str
    status: str  # a status, MIXED, NOT_STATED, NO_POLICY or NO_DATA
    policies: list[CodePolicy]


@dataclass(frozen=True, slots=True)
class Matrix(_Serialisable):
    """Codes × payers; `rows[i][j]` is code `codes[i]` at payer `payers[j]`."""

    codes: list[str]
    payers: list[str]
    rows: list[list[MatrixCell]]

    def cell(self, code: str, payer: str) -> MatrixCell:
        return self.rows[self.codes.index(code)][self.payers.index(payer)]

    def to_csv(self) -> str:
        """One row per code, one column per payer, each cell the status label."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["code", *self.payers])
        for code, row in zip(self.codes, self.rows, strict=True):
            writer.writerow([code, *(cell.status for cell in row)])
        return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class SearchHit(_Serialisable):
    policy_id: int
    version_no: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    effective: str | None
    score: float  # higher is better; comparable within one result list only
    snippet: str  # matched words between « and »
    snippet_parts: list[tuple[str, bool]]  # (text, highlighted) pieces of the snippet, for renderers


@dataclass(frozen=True, slots=True)
class SearchResult(_Serialisable):
    """Full-text hits, or, when the query is a billing code, that code's lookup instead."""

    query: str
    hits: list[SearchHit]
    code: CodeLookup | None = None

    @property
    def is_code_lookup(self) -> bool:
        return self.code is not None


@dataclass(frozen=True, slots=True)
class StoredCode(_Serialisable):
    system: str
    code: str
    description: str | None
    role: str
    coverage: str | None  # as the document ties it to the code
    status: str | None  # coverage, else the policy's single position status, else "mixed"/None
    statement: str | None
    statement_span: Span | None
    spans: list[Span]


@dataclass(frozen=True, slots=True)
class StoredRange(_Serialisable):
    system: str
    start: str
    end: str
    coverage: str | None
    status: str | None
    statement: str | None
    statement_span: Span | None
    spans: list[Span]


@dataclass(frozen=True, slots=True)
class StoredPosition(_Serialisable):
    status: str
    statement: str
    applies_to: str | None
    criteria: list[str]
    spans: list[Span]


@dataclass(frozen=True, slots=True)
class StoredSection(_Serialisable):
    heading: str
    kind: str
    spans: list[Span]


@dataclass(frozen=True, slots=True)
class VersionSummary(_Serialisable):
    version_no: int
    sha256: str
    title: str | None
    effective: str | None
    last_revised: str | None
    ingested_at: str  # ISO 8601, UTC
    source_path: str
    media_type: str
    is_current: bool


@dataclass(frozen=True, slots=True)
class VersionDetail(_Serialisable):
    """One version with every fact stored for it; `text` only when asked for."""

    summary: VersionSummary
    dates: dict[str, str | None]
    payer_as_written: str | None
    codes: list[StoredCode]
    code_ranges: list[StoredRange]
    coverage: list[StoredPosition]
    related_policies: list[RelatedPolicy]
    references: list[Reference]
    history: list[HistoryEntry]
    sections: list[StoredSection]
    warnings: list[str]
    text: str | None = None
    pages: list[tuple[int, int, int | None, str | None]] | None = (
        None  # (start, end, page, element) with text
    )


@dataclass(frozen=True, slots=True)
class PolicyDetail(_Serialisable):
    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    version: VersionDetail  # the current version, or the one asked for
    versions: list[VersionSummary]  # oldest first (by effective date, then by when stored)


@dataclass(frozen=True, slots=True)
class PolicySummary(_Serialisable):
    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    effective: str | None
    version_no: int  # of the current version
    versions: int
    codes: int  # codes the current version names


@dataclass(frozen=True, slots=True)
class VersionRef(_Serialisable):
    version_no: int
    effective: str | None
    sha256: str  # first 12 hex digits
    ingested_at: str


@dataclass(frozen=True, slots=True)
class CodeChange(_Serialisable):
    system: str
    code: str
    description: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class StatusChange(_Serialisable):
    """A status that differs between two versions, for a code (`subject` = the code) or a position."""

    subject: str
    before: str | None
    after: str | None
    statement_before: str | None = None
    statement_after: str | None = None


@dataclass(frozen=True, slots=True)
class FieldChange(_Serialisable):
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class PolicyChange(_Serialisable):
    """What changed from one version of a policy to the next."""

    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    before: VersionRef
    after: VersionRef
    codes_added: list[CodeChange] = field(default_factory=list)
    codes_removed: list[CodeChange] = field(default_factory=list)
    code_status_changes: list[StatusChange] = field(default_factory=list)
    positions_added: list[StoredPosition] = field(default_factory=list)
    positions_removed: list[StoredPosition] = field(default_factory=list)
    position_status_changes: list[StatusChange] = field(default_factory=list)
    date_changes: list[FieldChange] = field(default_factory=list)
    title_change: FieldChange | None = None

    @property
    def is_empty(self) -> bool:
        """True when the versions differ only in ways this comparison does not cover (wording)."""
        return not (
            self.codes_added
            or self.codes_removed
            or self.code_status_changes
            or self.positions_added
            or self.positions_removed
            or self.position_status_changes
            or self.date_changes
            or self.title_change
        )


@dataclass(frozen=True, slots=True)
class PayerCount(_Serialisable):
    payer: str
    policies: int
    versions: int
    codes: int  # distinct codes named by the payer's current versions


@dataclass(frozen=True, slots=True)
class Stats(_Serialisable):
    backend: str  # "sqlite" | "postgresql"
    schema_version: int
    policies: int
    versions: int
    codes: int  # distinct (system, code) named by current versions
    code_facts: int  # code rows across current versions
    payers: int
    by_doc_type: dict[str, int]
