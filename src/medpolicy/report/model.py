"""What reports hold: plain dataclasses of facts, each fact with where it came from.

A statement read from a document carries a `Citation` (policy, version, section, page,
character span, and its number in the report's Sources list). Facts from reference data
(imported CMS files, the offline code sets) carry a `source` string naming that data.
An empty list means the store holds nothing for that part; renderers print
`NOT_AVAILABLE` there, never a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from medpolicy.model import Span

NOT_AVAILABLE = "Data not available"
REPORT_SCHEMA_VERSION = 1


class _Serialisable:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class Citation(_Serialisable):
    """Where a statement was read: a version of a stored policy, and the words' place in its text."""

    source: int  # the number of the document in the report's Sources list
    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    version_no: int
    section: str | None  # the heading of the section holding the span, when the document has one
    page: int | None  # PDF page holding the span
    span: Span | None  # character offsets into the version's stored text
    label: str  # the citation as one line, e.g. "Aetna, policy 0999, version 2, section “Policy”, p. 3"


@dataclass(frozen=True, slots=True)
class SourceDocument(_Serialisable):
    """One document version a report cites."""

    number: int
    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    version_no: int
    is_current: bool
    effective: str | None
    last_revised: str | None
    ingested_at: str
    source_path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Fact(_Serialisable):
    """A labelled fact about a code and the data it comes from (`value` is NOT_AVAILABLE when none)."""

    label: str
    value: str
    source: str | None


@dataclass(frozen=True, slots=True)
class DescriptionEntry(_Serialisable):
    """A description of the code: from an imported catalog, the offline code sets, or documents."""

    text: str
    kind: str  # 'official' | 'long' | 'short' | 'lay' (catalogs, code sets); 'document' (as one gives it)
    source: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BillingOverview(_Serialisable):
    system: str | None
    code: str
    facts: list[Fact]
    descriptions: list[DescriptionEntry]


@dataclass(frozen=True, slots=True)
class ClinicalStatement(_Serialisable):
    """A coverage position a policy states, quoted with its criteria."""

    status: str
    applies_to: str | None
    statement: str
    criteria: list[str]
    citation: Citation


@dataclass(frozen=True, slots=True)
class ModifierNote(_Serialisable):
    code: str
    system: str
    meaning: str
    when: str


@dataclass(frozen=True, slots=True)
class ClinicalSpecifications(_Serialisable):
    statements: list[ClinicalStatement]
    modifiers: list[ModifierNote]
    modifiers_source: str


@dataclass(frozen=True, slots=True)
class CoverageRow(_Serialisable):
    """One policy naming the code: what it says about it, and where."""

    payer: str | None
    payer_label: str  # the payer, or what identifies a policy whose payer is not stated
    policy_id: int
    policy_number: str | None
    title: str | None
    doc_type: str
    status: str  # a contract status, "mixed" or "not stated"
    effective: str | None
    matched: str  # "code" (named) or "range" (inside a range the policy lists)
    code_range: str | None
    role: str | None
    statement: str | None
    applies_to: str | None
    criteria: list[str]
    citation: Citation


@dataclass(frozen=True, slots=True)
class PayerStatus(_Serialisable):
    """One payer's overall status on the code (its policies agreeing, or "mixed")."""

    payer_label: str
    status: str
    policies: int
    by_status: dict[str, int]  # how many of its policies state each status for the code


@dataclass(frozen=True, slots=True)
class PayerCoverage(_Serialisable):
    rows: list[CoverageRow]
    by_payer: list[PayerStatus]
    other_documents: list[
        CoverageRow
    ]  # code pages, summaries and other documents that are not payer policies


@dataclass(frozen=True, slots=True)
class FeeRow(_Serialisable):
    """One imported fee-schedule row; money and RVUs as decimal strings."""

    schedule: str
    year: int
    modifier: str | None
    locality: str | None
    amount: str | None
    facility_amount: str | None
    status: str | None
    effective_date: str | None
    work_rvu: str | None
    total_rvu_nonfacility: str | None
    total_rvu_facility: str | None
    conversion_factor: str | None
    source_file: str


@dataclass(frozen=True, slots=True)
class RelatedCode(_Serialisable):
    """A code (or range) listed in the same policies as the report's code."""

    system: str
    code: str  # a code, or "start-end" for a range
    is_range: bool
    policies: int  # how many of the policies naming the report's code also list this one
    description: str | None  # as the first of those documents gives it
    citation: Citation | None


@dataclass(frozen=True, slots=True)
class HierarchyCode(_Serialisable):
    relation: str  # 'parent' | 'child'
    code: str
    description: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ChangeEntry(_Serialisable):
    """A change between two versions of a policy that touches the code."""

    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    from_version: int
    to_version: int
    from_effective: str | None
    to_effective: str | None
    when: str  # the newer version's effective date, else the day it was stored
    changes: list[str]
    citation: Citation


@dataclass(frozen=True, slots=True)
class StoreSummary(_Serialisable):
    backend: str
    policies: int
    payers: int


@dataclass(frozen=True, slots=True)
class CodeReport(_Serialisable):
    """Everything the store knows about one code, arranged as a report."""

    code: str
    system: str | None
    title: str
    generated_at: str  # ISO 8601, UTC
    payer_filter: str | None
    store: StoreSummary
    summary: list[str]
    overview: BillingOverview
    clinical: ClinicalSpecifications
    coverage: PayerCoverage
    fees: list[FeeRow]
    related: list[RelatedCode]
    hierarchy: list[HierarchyCode]
    changes: list[ChangeEntry]
    sources: list[SourceDocument]
    reference_data: list[str]  # the reference data (imported files, shipped code sets) the report used
    kind: str = "code"


@dataclass(frozen=True, slots=True)
class PolicyCode(_Serialisable):
    system: str
    code: str  # a code, or "start-end" for a range
    is_range: bool
    description: str | None
    role: str | None
    status: str
    citation: Citation | None


@dataclass(frozen=True, slots=True)
class PolicyReport(_Serialisable):
    """One policy's current version: positions, codes, related policies, references, history, versions."""

    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str
    doc_type: str
    generated_at: str
    store: StoreSummary
    summary: list[str]
    facts: list[Fact]
    positions: list[ClinicalStatement]
    codes: list[PolicyCode]
    related_policies: list[Fact]  # label: number, value: title
    references: list[str]
    history: list[Fact]  # label: date, value: entry
    versions: list[SourceDocument]
    changes: list[ChangeEntry]
    sources: list[SourceDocument]
    kind: str = "policy"


@dataclass(frozen=True, slots=True)
class ComparisonCell(_Serialisable):
    code: str
    payer: str
    status: str  # a status, "mixed", "not stated", "no policy found" or "data not available"
    citations: list[Citation]


@dataclass(frozen=True, slots=True)
class ComparedCode(_Serialisable):
    code: str
    system: str | None
    category: str | None
    category_source: str | None


@dataclass(frozen=True, slots=True)
class ComparisonReport(_Serialisable):
    """Codes × payers, each cell a status with the policies behind it."""

    title: str
    generated_at: str
    store: StoreSummary
    summary: list[str]
    codes: list[ComparedCode]
    payers: list[str]
    rows: list[list[ComparisonCell]]  # rows[i][j]: codes[i] at payers[j]
    sources: list[SourceDocument]
    kind: str = "comparison"


Report = CodeReport | PolicyReport | ComparisonReport
