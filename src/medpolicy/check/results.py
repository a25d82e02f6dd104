"""What a claim check answers: one `Determination` per claim line, with its evidence.

`outcome` is the answer for the line: the policy outcome, turned into "edit_denial"
when an NCCI or MUE edit denies a line the policies would pay. Every answer names
what it rests on: the document version in force on the date of service, the statement
quoted with its span, the diagnosis list entries matched, the edits that fired; and
"no_policy_found" says what was searched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medpolicy.check.claims import ClaimLine
from medpolicy.check.facts import Citation
from medpolicy.model import Span

COVERED_OUTCOMES = ("likely_covered", "criteria_apply")
DENIED_OUTCOMES = ("investigational", "not_medically_necessary", "not_covered")
POLICY_OUTCOMES = (*COVERED_OUTCOMES, *DENIED_OUTCOMES, "no_policy_found", "conflicting")
OUTCOMES = (*POLICY_OUTCOMES, "edit_denial", "error")


def _span_list(span: Span | None) -> list[int] | None:
    return None if span is None else [span[0], span[1]]


@dataclass(frozen=True, slots=True)
class DxMatch:
    """A claim diagnosis found on (or missing from) one of a document's ICD-10-CM lists."""

    dx: str
    listed: bool
    entry: str | None  # the listed code or range it falls under
    coverage: str | None  # the status the document ties to that entry
    section: str | None  # the heading the entry sits under
    span: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dx": self.dx,
            "listed": self.listed,
            "entry": self.entry,
            "coverage": self.coverage,
            "section": self.section,
            "span": _span_list(self.span),
        }


@dataclass(slots=True)
class DocumentFinding:
    """What one document (in the version in force) says about the line; outcome None: nothing."""

    policy_id: int
    citation: Citation | None  # None when no version was in force on the date of service
    outcome: str | None
    reason: str
    basis: str  # "code", "diagnosis" or "none"
    matched: str | None = None  # "code", or "range 86355-86357"
    statement: str | None = None
    statement_span: Span | None = None
    criteria: list[str] = field(default_factory=list)
    diagnoses: list[DxMatch] = field(default_factory=list)
    related: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_id": self.policy_id,
            "document": None if self.citation is None else self.citation.to_dict(),
            "outcome": self.outcome,
            "reason": self.reason,
            "basis": self.basis,
            "matched": self.matched,
            "statement": self.statement,
            "statement_span": _span_list(self.statement_span),
            "criteria": list(self.criteria),
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "related": list(self.related),
        }


@dataclass(frozen=True, slots=True)
class EditFinding:
    """An NCCI procedure-to-procedure or MUE edit that applies to the line."""

    kind: str  # "ncci_ptp" or "mue"
    denies: bool
    reason: str
    setting: str
    source_file: str
    rationale: str | None = None
    column1: str | None = None
    column2: str | None = None
    other_line: int | None = None
    modifier_indicator: int | None = None
    bypass_modifier: str | None = None
    effective: str | None = None
    deletion: str | None = None
    mue: int | None = None
    units: int | None = None
    adjudication_indicator: int | None = None
    adjudication: str | None = None

    def to_dict(self) -> dict[str, Any]:
        base: dict[str, Any] = {
            "kind": self.kind,
            "denies": self.denies,
            "reason": self.reason,
            "setting": self.setting,
            "source_file": self.source_file,
            "rationale": self.rationale,
        }
        if self.kind == "ncci_ptp":
            base.update(
                column1=self.column1,
                column2=self.column2,
                other_line=self.other_line,
                modifier_indicator=self.modifier_indicator,
                bypass_modifier=self.bypass_modifier,
                effective=self.effective,
                deletion=self.deletion,
            )
        else:
            base.update(
                mue=self.mue,
                units=self.units,
                adjudication_indicator=self.adjudication_indicator,
                adjudication=self.adjudication,
            )
        return base


@dataclass(slots=True)
class Determination:
    """The answer for one claim line."""

    line: ClaimLine
    outcome: str
    policy_outcome: str
    reason: str
    payer: str | None = None  # the payer as the store names it
    code: str | None = None  # canonical procedure code
    system: str | None = None
    date_of_service: str | None = None
    policy: Citation | None = None  # the deciding document version
    statement: str | None = None
    statement_span: Span | None = None
    criteria: list[str] = field(default_factory=list)
    diagnoses: list[DxMatch] = field(default_factory=list)
    edits: list[EditFinding] = field(default_factory=list)
    documents: list[DocumentFinding] = field(default_factory=list)
    searched: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def denied_by_edit(self) -> bool:
        return any(edit.denies for edit in self.edits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.line.claim_id,
            "line_no": self.line.line_no,
            "line": self.line.to_dict(),
            "outcome": self.outcome,
            "policy_outcome": self.policy_outcome,
            "reason": self.reason,
            "payer": self.payer,
            "code": self.code,
            "system": self.system,
            "date_of_service": self.date_of_service,
            "policy": None if self.policy is None else self.policy.to_dict(),
            "citation": None if self.policy is None else self.policy.cite(),
            "statement": self.statement,
            "statement_span": _span_list(self.statement_span),
            "criteria": list(self.criteria),
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "edits": [e.to_dict() for e in self.edits],
            "documents": [d.to_dict() for d in self.documents],
            "searched": dict(self.searched),
            "notes": list(self.notes),
        }

    def to_row(self) -> dict[str, Any]:
        """One flat row for CSV output (see `ROW_COLUMNS`)."""
        line = self.line.to_dict()
        return {
            "claim_id": line["claim_id"],
            "line_no": line["line_no"],
            "payer": line["payer"],
            "code": line["code"],
            "dx": " ".join(line["dx"]),
            "modifiers": " ".join(line["modifiers"]),
            "date": line["date"],
            "units": line["units"],
            "outcome": self.outcome,
            "policy_outcome": self.policy_outcome,
            "reason": self.reason,
            "policy_id": None if self.policy is None else self.policy.policy_id,
            "version_no": None if self.policy is None else self.policy.version_no,
            "citation": None if self.policy is None else self.policy.cite(),
            "statement": self.statement,
            "statement_span": ""
            if self.statement_span is None
            else f"{self.statement_span[0]}-{self.statement_span[1]}",
            "criteria": " | ".join(self.criteria),
            "edits": " | ".join(e.reason for e in self.edits),
            "notes": " | ".join(self.notes),
        }

    def to_text(self) -> str:
        """A few lines for a person: the outcome, why, and what it rests on."""
        out = [f"{self.outcome.replace('_', ' ').upper()}: {self.reason}"]
        if self.outcome != self.policy_outcome and self.policy_outcome != "error":
            out.append(f"  policy outcome: {self.policy_outcome.replace('_', ' ')}")
        if self.policy is not None:
            out.append(
                f"  document: {self.policy.cite()} (policy id {self.policy.policy_id}, "
                f"version {self.policy.version_no})"
            )
        if self.statement:
            where = f" [{self.statement_span[0]}-{self.statement_span[1]}]" if self.statement_span else ""
            out.append(f'  statement{where}: "{self.statement}"')
        out.extend(f"  criterion: {criterion}" for criterion in self.criteria)
        for match in self.diagnoses:
            entry = f"listed as {match.entry}" if match.listed else "not listed"
            under = f" under {match.section!r}" if match.section else ""
            out.append(f"  diagnosis {match.dx}: {entry}{under}")
        out.extend(f"  edit: {edit.reason}" for edit in self.edits)
        heading = "document" if self.policy is None else "also considered"
        for finding in self.documents:
            if finding.citation is not None and finding.citation is self.policy:
                continue
            if finding.outcome is None:
                if self.policy_outcome != "no_policy_found":  # else the reason already says why
                    out.append(f"  {heading}: {finding.reason}")
                continue
            label = finding.citation.cite() if finding.citation else f"policy id {finding.policy_id}"
            out.append(f"  {heading}: {label}: {finding.outcome.replace('_', ' ')} ({finding.reason})")
        out.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(out)


ROW_COLUMNS = (
    "claim_id",
    "line_no",
    "payer",
    "code",
    "dx",
    "modifiers",
    "date",
    "units",
    "outcome",
    "policy_outcome",
    "reason",
    "policy_id",
    "version_no",
    "citation",
    "statement",
    "statement_span",
    "criteria",
    "edits",
    "notes",
)
