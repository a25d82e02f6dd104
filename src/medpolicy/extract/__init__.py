"""Text in, facts out: `extract(text) -> Extraction`. Pure, no I/O, safe to run in parallel."""

from __future__ import annotations

import re

from medpolicy.extract.codes import find_codes
from medpolicy.extract.coverage import find_positions
from medpolicy.extract.history import history_in_section, history_without_heading
from medpolicy.extract.lines import Line, split_lines
from medpolicy.extract.metadata import (
    detect_dates,
    detect_doc_type,
    detect_payer,
    detect_policy_number,
    detect_title,
    is_index_or_bulletin,
)
from medpolicy.extract.references import references_in_section, references_without_heading
from medpolicy.extract.related import (
    reference_policy,
    related_flat,
    related_in_section,
    sectioned_numbers,
)
from medpolicy.extract.sections import SectionSpan, find_sections
from medpolicy.model import CoveragePosition, Extraction, RelatedPolicy, Section, Text

__all__ = ["extract"]

# Sections whose sentences state no coverage position of the document's own.
_NO_POSITION_KINDS = frozenset(
    {"history", "references", "rationale", "description", "related", "definitions", "boilerplate"}
)


def extract(text: Text | str) -> Extraction:
    """Every fact of the contract that the text states, each with its span."""
    body = text.text if isinstance(text, Text) else text
    lines = split_lines(body)
    sections = find_sections(lines)
    section_by_line: list[SectionSpan | None] = [None] * len(lines)
    for sp in sections:
        for i in range(sp.heading_line if sp.kind != "preamble" else sp.first, sp.last + 1):
            section_by_line[i] = sp
    kind_by_line = [sp.kind if sp else "preamble" for sp in section_by_line]
    out = Extraction()
    multi_policy = is_index_or_bulletin(body, lines)
    out.doc_type = detect_doc_type(body, lines, multi_policy)

    _read_references(out, lines, sections, kind_by_line)
    _read_history(out, lines, sections, kind_by_line)

    policy_lines = [i for i, k in enumerate(kind_by_line) if k in ("policy", "coding")]
    positions = find_positions(lines, policy_lines) if "policy" in kind_by_line else []
    if not positions:
        rest = [i for i, k in enumerate(kind_by_line) if k not in _NO_POSITION_KINDS]
        positions = find_positions(lines, rest)
    if out.doc_type in ("code_page", "coverage_summary"):
        positions = []  # publishers that are not payers state no position of their own
    out.coverage = positions
    doc_status = None if multi_policy else _policy_status(positions)

    findings = find_codes(body, lines, kind_by_line, section_by_line, doc_status)
    out.codes = findings.codes
    out.code_ranges = findings.ranges
    if out.doc_type in ("code_page", "coverage_summary"):
        _subject_code(out, lines)

    out.payer = detect_payer(body, out.doc_type)
    out.policy_number = None if multi_policy else detect_policy_number(body)
    out.title = _title(out, body, lines)
    out.dates = detect_dates(body, out.history, multi_policy)
    out.related_policies = _related(out, body, lines, sections, multi_policy)
    out.sections = [
        Section(sp.heading, sp.kind, [(sp.start, sp.end)]) for sp in sections if sp.kind != "preamble"
    ]
    _warn(out, body)
    return out


# "... investigational for all other indications": a fallback position, not the policy's own for its codes.
_OTHERWISE = re.compile(
    r"\b(?:any|all)\s+other\b|\bnot\s+(?:listed|described|addressed|meeting|included)\s+(?:above|here|in\s+this)|"
    r"\bother\s+than\s+(?:those|the\s+(?:indications|conditions))|\bnot\s+listed\s+above|\bcriteria\s+(?:above\s+)?"
    r"(?:are|is)\s+not\s+met|\bdo(?:es)?\s+not\s+meet\s+the\s+criteria",
    re.I,
)


def _policy_status(positions: list[CoveragePosition]) -> str | None:
    """The status a policy's listed codes take when no table ties one: the positions' single status,
    once 'for all other indications' fallbacks are set aside."""
    statuses = {p.status for p in positions}
    if len(statuses) == 1:
        return next(iter(statuses))
    primary = {p.status for p in positions if not _OTHERWISE.search(p.statement)}
    return next(iter(primary)) if len(primary) == 1 else None


def _indexes(sections: list[SectionSpan], kind: str) -> list[int]:
    return [i for sp in sections if sp.kind == kind for i in range(sp.first, sp.last + 1)]


def _read_references(
    out: Extraction, lines: list[Line], sections: list[SectionSpan], kind_by_line: list[str]
) -> None:
    idx = _indexes(sections, "references")
    if idx:
        out.references = references_in_section(lines, idx)
        return
    refs, used = references_without_heading(lines, list(range(len(lines))))
    out.references = refs
    for i in used:
        kind_by_line[i] = "references"


def _read_history(
    out: Extraction, lines: list[Line], sections: list[SectionSpan], kind_by_line: list[str]
) -> None:
    idx = _indexes(sections, "history")
    if idx:
        out.history = history_in_section(lines, idx)
        if out.history:
            return
    after = max((i for i, k in enumerate(kind_by_line) if k == "references"), default=len(lines) // 2)
    candidates = [i for i, k in enumerate(kind_by_line) if k not in ("references", "policy")]
    entries, used = history_without_heading(lines, candidates, after)
    if entries:
        out.history = entries
        for i in used:
            kind_by_line[i] = "history"


_SUBJECT = re.compile(r"\b(?:CPT|HCPCS)?®?\s*(?:Code\s+)?(\d{5}|\d{4}[FTU]|[A-Z]\d{4})\b")


def _subject_code(out: Extraction, lines: list[Line]) -> None:
    """A code page or coverage report is about one code: that code is listed, with its official description."""
    counts: dict[str, int] = {}
    for c in out.codes:
        counts[c.code] = len(c.spans)
    if not counts:
        return
    subject = max(counts, key=lambda k: counts[k])
    for c in out.codes:
        if c.code == subject:
            c.role = "listed"
            c.description = c.description or _official_description(lines)
        elif c.role == "listed":
            c.role = "mentioned"


def _official_description(lines: list[Line]) -> str | None:
    for i, ln in enumerate(lines):
        if re.fullmatch(r"(?:official|code)\s+descriptor?n?s?:?|official\s+description:?", ln.text, re.I):
            for nxt in lines[i + 1 : i + 4]:
                if nxt.text:
                    return nxt.text
    return None


def _title(out: Extraction, body: str, lines: list[Line]) -> str | None:
    if out.doc_type == "code_page":
        listed = [c for c in out.codes if c.role == "listed"]
        if listed:
            c = listed[0]
            own = next(
                (
                    ln.text
                    for ln in lines[:12]
                    if c.code in ln.text
                    and 3 <= len(ln.text.split()) <= 16
                    and not ln.text.rstrip().endswith((".", "?"))
                ),
                None,
            )
            return own or f"{c.system} Code {c.code}" + (f" - {c.description}" if c.description else "")
    return detect_title(body, lines, out.doc_type, out.payer)


def _related(
    out: Extraction, body: str, lines: list[Line], sections: list[SectionSpan], multi_policy: bool
) -> list[RelatedPolicy]:
    found: list[RelatedPolicy] = []
    idx = _indexes(sections, "related")
    if idx:
        found, _titles = related_in_section(lines, idx)
    if not found:
        found = related_flat(body)
    if multi_policy:
        found += sectioned_numbers(body)
        found += _index_rows(lines)
    ref = reference_policy(body[:6000])
    if ref and ref != out.policy_number:
        found.insert(0, RelatedPolicy(ref, None))
    seen: set[str] = set()
    unique: list[RelatedPolicy] = []
    for r in found:
        key = (r.number or r.title or "").upper()
        if key and key not in seen and r.number != out.policy_number:
            seen.add(key)
            unique.append(r)
    return unique


def _index_rows(lines: list[Line]) -> list[RelatedPolicy]:
    """Rows of a policy index table: '11.003.015 | Title | Last Review | ...'."""
    out = []
    for ln in lines:
        cells = [c.strip() for c in ln.text.strip("|").split("|")]
        if (
            len(cells) >= 3
            and re.fullmatch(r"[A-Z0-9][\w.\-]{3,20}", cells[0])
            and re.search(r"\d", cells[0])
        ):
            out.append(RelatedPolicy(cells[0], cells[1] or None))
    return out


def _warn(out: Extraction, body: str) -> None:
    if not body.strip():
        out.warnings.append("the document has no text")
        return
    if out.doc_type in ("medical_policy", "clinical_policy_bulletin", "lcd", "ncd") and not out.coverage:
        out.warnings.append("no coverage statement found")
    if out.title is None:
        out.warnings.append("no title found")
    if out.doc_type == "medical_policy" and not any(c.role == "listed" for c in out.codes):
        out.warnings.append("no listed codes found")
