"""The facts medpolicy reads out of a document, shaped as `CONTRACT.md` describes.

Every fact carries `spans`: half-open character offsets into `Text.text`, the
normalised text that readers produce and the store keeps beside each version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from medpolicy.plain import plain

SCHEMA_VERSION = 1

Span = tuple[int, int]

Status = Literal[
    "medically_necessary", "investigational", "not_medically_necessary", "not_covered", "cosmetic"
]
STATUSES: tuple[str, ...] = (
    "medically_necessary",
    "investigational",
    "not_medically_necessary",
    "not_covered",
    "cosmetic",
)
DOC_TYPES: tuple[str, ...] = (
    "medical_policy",
    "clinical_policy_bulletin",
    "lcd",
    "ncd",
    "billing_article",
    "code_page",
    "coverage_summary",
    "other",
)
CODE_SYSTEMS: tuple[str, ...] = (
    "CPT",
    "HCPCS",
    "ICD-10-CM",
    "ICD-10-PCS",
    "ICD-9-CM",
    "CDT",
    "NDC",
    "REV",
)
DATE_FIELDS: tuple[str, ...] = ("effective", "last_revised", "original_effective", "published", "next_review")


@dataclass(slots=True)
class Segment:
    """A stretch of `Text.text` and where it came from: a PDF page or a markup element."""

    start: int
    end: int
    page: int | None = None
    element: str | None = None


@dataclass(slots=True)
class Text:
    """Normalised document text plus the map from offsets back to pages or elements."""

    text: str
    segments: list[Segment] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The 1-based PDF page holding `offset`, or None for formats without pages."""
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.page
        return None


@dataclass(slots=True)
class Source:
    path: str
    sha256: str
    media_type: str


@dataclass(slots=True)
class CodeFact:
    system: str
    code: str
    description: str | None = None
    role: Literal["listed", "mentioned"] = "mentioned"
    coverage: str | None = None
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class CodeRange:
    system: str
    start: str
    end: str
    spans: list[Span] = field(default_factory=list)
    coverage: str | None = None


@dataclass(slots=True)
class CoveragePosition:
    status: str
    statement: str
    applies_to: str | None = None
    criteria: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class RelatedPolicy:
    number: str | None
    title: str | None = None


@dataclass(slots=True)
class Reference:
    n: int
    text: str
    pmid: str | None = None
    doi: str | None = None


@dataclass(slots=True)
class HistoryEntry:
    date: str | None
    text: str


@dataclass(slots=True)
class Section:
    heading: str
    kind: str
    spans: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Dates:
    effective: str | None = None
    last_revised: str | None = None
    original_effective: str | None = None
    published: str | None = None
    next_review: str | None = None


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document (the contract's JSON, before the source is known)."""

    doc_type: str = "other"
    payer: str | None = None
    policy_number: str | None = None
    title: str | None = None
    dates: Dates = field(default_factory=Dates)
    codes: list[CodeFact] = field(default_factory=list)
    code_ranges: list[CodeRange] = field(default_factory=list)
    coverage: list[CoveragePosition] = field(default_factory=list)
    related_policies: list[RelatedPolicy] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_contract(self, source: Source) -> dict[str, Any]:
        """The JSON object `medpolicy extract --format json` prints for one file."""
        return {"schema_version": SCHEMA_VERSION, "source": plain(source), **plain(self)}

    @classmethod
    def from_contract(cls, data: dict[str, Any]) -> Extraction:
        """Rebuild an Extraction from its contract JSON (the store keeps that JSON)."""

        def spans(items: list[list[int]]) -> list[Span]:
            return [(int(a), int(b)) for a, b in items]

        return cls(
            doc_type=data.get("doc_type") or "other",
            payer=data.get("payer"),
            policy_number=data.get("policy_number"),
            title=data.get("title"),
            dates=Dates(**{k: (data.get("dates") or {}).get(k) for k in DATE_FIELDS}),
            codes=[
                CodeFact(
                    c["system"],
                    c["code"],
                    c.get("description"),
                    c.get("role", "mentioned"),
                    c.get("coverage"),
                    spans(c.get("spans", [])),
                )
                for c in data.get("codes", [])
            ],
            code_ranges=[
                CodeRange(r["system"], r["start"], r["end"], spans(r.get("spans", [])), r.get("coverage"))
                for r in data.get("code_ranges", [])
            ],
            coverage=[
                CoveragePosition(
                    p["status"],
                    p["statement"],
                    p.get("applies_to"),
                    list(p.get("criteria", [])),
                    spans(p.get("spans", [])),
                )
                for p in data.get("coverage", [])
            ],
            related_policies=[
                RelatedPolicy(r.get("number"), r.get("title")) for r in data.get("related_policies", [])
            ],
            references=[
                Reference(r["n"], r["text"], r.get("pmid"), r.get("doi")) for r in data.get("references", [])
            ],
            history=[HistoryEntry(h.get("date"), h["text"]) for h in data.get("history", [])],
            sections=[
                Section(s["heading"], s.get("kind", "other"), spans(s.get("spans", [])))
                for s in data.get("sections", [])
            ],
            warnings=list(data.get("warnings", [])),
        )
