"""What `ask` returns: a direct sentence, the evidence behind it, a status and notes.

Every `Evidence` quotes words from a stored document (with the policy, version, section,
date and character span they come from) or, for code descriptions and modifier notes,
names the reference data it quotes (`source`). `to_text()` renders plain text with no
markup; `to_dict()` gives JSON-ready values.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from typing import Any

from medpolicy.model import Span

STATUS_ANSWERED = "answered"
STATUS_NO_POLICY = "no_policy_found"
STATUS_CONFLICTING = "conflicting"
STATUS_NOT_UNDERSTOOD = "not_understood"
ANSWER_STATUSES = (STATUS_ANSWERED, STATUS_NO_POLICY, STATUS_CONFLICTING, STATUS_NOT_UNDERSTOOD)

SOURCE_POLICY = "policy"  # words of a stored document
SOURCE_CODE_SET = "code set"  # the ICD-10-CM / ICD-10-PCS / ICD-9-CM data medpolicy ships
SOURCE_CATALOG = "code catalog"  # a description file the user imported into the store
SOURCE_MODIFIER_NOTES = "modifier notes"  # medpolicy's general notes on modifiers

QUOTE_WIDTH = 96


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted statement and where it comes from."""

    payer: str | None
    policy_id: int | None
    policy_number: str | None
    title: str | None
    version: int | None
    section: str | None
    effective: str | None  # the version's effective date, else its last revised or published date
    statement: str  # quoted as the source gives it
    span: Span | None  # character offsets into the version's stored text
    status: str | None = None  # the coverage status the statement states, where it states one
    code: str | None = None  # the code the statement is about, where there is one
    source: str = SOURCE_POLICY

    def reference(self) -> str:
        """One line naming the source: payer · number title · version · date."""
        if self.source != SOURCE_POLICY:
            return self.title or self.source
        parts = [self.payer or "payer not stated"]
        named = " ".join(p for p in (self.policy_number, self.title) if p)
        parts.append(named or f"policy id {self.policy_id}")
        if self.version is not None:
            parts.append(f"version {self.version}")
        parts.append(f"effective {self.effective}" if self.effective else "undated")
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the question was read as."""

    codes: list[str] = field(default_factory=list)  # canonical codes, e.g. "86357", "C34.90"
    payers: list[str] = field(default_factory=list)  # canonical payer names
    services: list[str] = field(default_factory=list)  # services or conditions, as written
    since: str | None = None  # ISO date
    until: str | None = None  # ISO date, when the question names a closed period
    statuses: list[str] = field(default_factory=list)  # the coverage statuses asked about
    policy_numbers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Answer:
    question: str
    intent: str
    answer: str  # the direct sentence (rephrased by a language model only when one is configured)
    evidence: list[Evidence]
    status: str  # one of ANSWER_STATUSES
    notes: list[str]
    parsed: Parsed
    original_answer: str | None = None  # the deterministic sentence, when `answer` was rephrased
    rephrased_by: str | None = None  # the language model that rephrased `answer`

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_text(self) -> str:
        """Plain text: the sentence, the status, numbered evidence with quotes, then notes."""
        lines = [f"Q: {self.question}", *_wrap(f"A: {self.answer}", "   ")]
        if self.rephrased_by and self.original_answer:
            lines.append(f"   (rephrased by {self.rephrased_by}; medpolicy's own answer:)")
            lines.extend(_wrap(self.original_answer, "   ", first="   "))
        lines.append(f"Status: {self.status.replace('_', ' ')}")
        if self.evidence:
            lines.append("Evidence:")
            for number, item in enumerate(self.evidence, start=1):
                lines.append(f"  [{number}] {item.reference()}")
                details = []
                if item.section:
                    details.append(f"section: {item.section}")
                if item.status:
                    details.append(f"status: {item.status.replace('_', ' ')}")
                if item.span is not None:
                    details.append(f"chars {item.span[0]}-{item.span[1]}")
                if item.source != SOURCE_POLICY:
                    details.append(f"source: {item.source}")
                if details:
                    lines.append("      " + "; ".join(details))
                lines.extend(_wrap(f"“{item.statement}”", "      ", first="      "))
        if self.notes:
            lines.append("Notes:")
            for note in self.notes:
                lines.extend(_wrap(f"- {note}", "    ", first="  "))
        return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str, first: str = "") -> list[str]:
    flat = " ".join(text.split())
    return textwrap.wrap(flat, QUOTE_WIDTH, initial_indent=first, subsequent_indent=indent) or [first]
