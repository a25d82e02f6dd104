"""How results look on the pages: status and document-type labels, and a policy's facts as marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from medpolicy.model import Span
from medpolicy.query.results import MIXED, NO_DATA, NO_POLICY, NOT_STATED, VersionDetail
from medpolicy.web.highlight import Mark, mark_up

# Badge colour families: positive, caution, negative, neutral, absent (no answer).
STATUS_TONES: dict[str, str] = {
    "medically_necessary": "positive",
    "investigational": "caution",
    "not_medically_necessary": "negative",
    "not_covered": "negative",
    "cosmetic": "other",
    MIXED: "mixed",
    NOT_STATED: "neutral",
    NO_POLICY: "absent",
    NO_DATA: "absent",
}
# Claim-check outcomes (medpolicy.check) and answer statuses (medpolicy.ask), as labels and tones.
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "likely_covered": ("Likely covered", "positive"),
    "criteria_apply": ("Covered when criteria are met", "positive"),
    "investigational": ("Investigational", "caution"),
    "not_medically_necessary": ("Not medically necessary", "negative"),
    "not_covered": ("Not covered", "negative"),
    "no_policy_found": ("No policy found", "absent"),
    "conflicting": ("Conflicting policies", "mixed"),
    "edit_denial": ("Denied by a coding edit", "negative"),
    "error": ("Line could not be checked", "negative"),
    "answered": ("Answered", "positive"),
    "not_understood": ("Question not understood", "absent"),
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def status_tone(status: str | None) -> str:
    return STATUS_TONES.get(status or NOT_STATED, "neutral")


def outcome_label(outcome: str | None) -> str:
    key = outcome or "error"
    return OUTCOME_LABELS.get(key, (key.replace("_", " ").capitalize(), "neutral"))[0]


def outcome_tone(outcome: str | None) -> str:
    return OUTCOME_LABELS.get(outcome or "error", ("", "neutral"))[1]


def human_date(value: str | None) -> str:
    """ "2026-02-01" → "1 Feb 2026", "2026-02" → "Feb 2026"; anything else as given."""
    if not value:
        return ""
    found = _ISO_DATE.match(value[:10])
    if not found:
        return value
    year, month, day = found.groups()
    try:
        when = date(int(year), int(month), int(day or 1))
    except ValueError:
        return value
    month_name = _MONTHS[when.month - 1]
    return f"{when.day} {month_name} {when.year}" if day else f"{month_name} {when.year}"


@dataclass(slots=True)
class Fact:
    """One extracted fact of a policy, with the anchors of its spans in the marked-up text."""

    key: str
    kind: str  # "position" | "code" | "range"
    label: str
    status: str | None
    detail: str | None
    spans: list[Span]
    anchors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MarkedDocument:
    facts: list[Fact]
    html: Markup


def marked_document(version: VersionDetail, text: str, extra: Mark | None = None) -> MarkedDocument:
    """The version's coverage positions, codes and code ranges, and `text` with each marked at its spans
    (and `extra`, e.g. the statement a link pointed at, around them)."""
    facts: list[Fact] = []
    for position in version.coverage:
        facts.append(
            Fact(
                f"position-{len(facts) + 1}",
                "position",
                position.statement,
                position.status,
                position.applies_to,
                list(position.spans),
            )
        )
    for code in version.codes:
        facts.append(
            Fact(f"code-{len(facts) + 1}", "code", code.code, code.status, code.description, list(code.spans))
        )
    for code_range in version.code_ranges:
        facts.append(
            Fact(
                f"range-{len(facts) + 1}",
                "range",
                f"{code_range.start}–{code_range.end}",
                code_range.status,
                code_range.system,
                list(code_range.spans),
            )
        )
    marks: list[Mark] = [] if extra is None else [extra]
    for fact in facts:
        for n, (start, end) in enumerate(sorted(fact.spans), 1):
            if not 0 <= start < end <= len(text):
                continue
            anchor = f"fact-{fact.key}" if n == 1 else f"fact-{fact.key}-{n}"
            fact.anchors.append(anchor)
            marks.append(
                Mark(start, end, fact.key, anchor, f"fact fact-{fact.kind} tone-{status_tone(fact.status)}")
            )
    return MarkedDocument(facts, mark_up(text, marks))
