"""Find billing and diagnosis codes, right rather than greedy.

A candidate is anything shaped like a code; it becomes a code only when its context
says so. Five-digit numbers are the hard case (years are four digits, but ZIP codes,
transmittal numbers, counts and reference pages are five): outside code tables they
need a cue ("CPT", "code(s)", a list that has one). References are never searched.
Ranges ("C18.0 – C18.9", "86355-86357") become ranges, not two codes.

Each code gets a role (listed in a coding section, table or the policy's code list;
mentioned elsewhere) and, where the document ties one, a coverage status: the code's
own line, else the lead-in its table sits under ("Considered Experimental ... :"),
else the policy's single position when every position agrees.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from medpolicy.codes.systems import canonical, is_icd10cm
from medpolicy.extract.lines import Line, clean_inline
from medpolicy.extract.sections import SectionSpan, heading_kind
from medpolicy.extract.status import classify_status, is_boilerplate
from medpolicy.model import CodeFact, CodeRange

_CANDIDATE = re.compile(
    r"(?<![\w.\-/#@$§&])"
    r"(?P<code>\d{5}|\d{4}[FTU]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)"
    r"(?![\w]|\.\d|,\d{3}|-\d{4}\b|%)"
)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|through|thru)\s*$", re.I)
_CUE = re.compile(
    r"\b(?:cpt|hcpcs|codes?|procedures?|icd-?10(?:-cm)?|icd|diagnos[ie]s|dx|billed|report(?:ed)?|"
    r"add(?:ed)?|remov(?:ed)?|delet(?:ed)?)\b",
    re.I,
)
_NOT_A_CODE_BEFORE = re.compile(
    r"(?:transmittal|\btn|\bcr|zip|p\.?\s?o\.?\s+box|\bbox|suite|\bste|fax|phone|tel|pmid|nct|\bno\.|#|"
    r"\bnumber:?|\bid:?|page|pages|vol\.?|volume|issue|\$|usd|approximately|about|over|under|total\s+of|n\s*=)\s*$",
    re.I,
)
_EXAMPLE = re.compile(r"\b(?:example|e\.g\.|for instance|such as)\b", re.I)
_RETIRED = re.compile(
    r"\b(?:delet(?:ed|ion)|remov(?:ed|al)|terminat(?:ed|ion)|discontinued|retired|replaced\s+by|"
    r"no\s+longer|expired|archived|was\s+valid)\b",
    re.I,
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_LIST_SEP = re.compile(r"^\s*(?:,|;|/|and|or|,\s*and|,\s*or|\|)?\s*$", re.I)
_ICD_CONTEXT = re.compile(r"\bicd|\bdiagnos|\bdx\b", re.I)
_DENTAL = re.compile(r"\b(?:cdt|dental)\b", re.I)

_UNINFORMATIVE_LEAD_IN = re.compile(
    r"^(?:group\s+\d+\s+(?:codes|paragraph)|codes?|code\s+description|descriptions?|cpt/hcpcs\s+codes|"
    r"cpt\W*\s*codes?|hcpcs\s+codes?|icd-?10(?:-cm)?\s+codes?)\s*:?\s*\|?$",
    re.I,
)
LISTING_KINDS = frozenset({"coding", "policy"})
MENTION_KINDS = frozenset(
    {"history", "description", "rationale", "related", "definitions", "boilerplate", "guidance"}
)


@dataclass(slots=True)
class _Hit:
    system: str
    code: str
    line: Line
    start: int  # offset in text
    end: int
    col: int  # column in line.raw
    kind: str  # section kind
    section: SectionSpan | None


@dataclass(slots=True)
class CodeFindings:
    codes: list[CodeFact] = field(default_factory=list)
    ranges: list[CodeRange] = field(default_factory=list)


def _system_for(raw: str, context: str) -> str | None:
    """Which system a candidate string belongs to here, or None when it is no code here."""
    if raw.isdigit():
        return "CPT"
    if re.fullmatch(r"\d{4}[FTU]", raw):
        return "CPT"
    if re.fullmatch(r"[A-Z]\d{4}", raw):
        if raw[0] == "D":
            return "CDT" if _DENTAL.search(context) else None
        if _ICD_CONTEXT.search(context) and is_icd10cm(raw) and raw[0] not in "JQGS":
            return "ICD-10-CM"
        return "HCPCS" if raw[0] in "ABCEGHJKLMPQRSTV" else None
    if is_icd10cm(raw):
        return "ICD-10-CM"
    return None


def _has_list_cue(raw: str, col: int) -> bool:
    """A cue word earlier in the line, reached through a list of other codes ('codes 96365, 96367 and S2107')."""
    before = raw[:col]
    if not _CUE.search(before):
        return False
    # strip trailing codes and separators so the cue may sit before a list
    stripped = re.sub(
        r"(?:(?:\b[A-Z]?\d{4,5}[A-Z]?\b|\b[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)[\s,;/]*(?:and|or)?\s*)+$",
        "",
        before,
    )
    return bool(_CUE.search(stripped[-60:]))


def _line_is_code_row(line: Line, col: int) -> bool:
    """The code opens its line or a table cell (code tables, one-code-per-line lists)."""
    before = line.raw[:col]
    return not before.strip(" \t|•*-–·>[](") or before.rstrip().endswith(("|", "\t")) or "\t" in before[-2:]


def _accept(hit_raw: str, system: str, line: Line, col: int, kind: str, context: str) -> bool:
    raw = line.raw
    if ("http" in raw or "www." in raw) and any(url.start() <= col < url.end() for url in _URL.finditer(raw)):
        return False
    if _NOT_A_CODE_BEFORE.search(raw, max(0, col - 30), col):
        return False
    if system == "CPT" and hit_raw.isdigit():
        if int(hit_raw) < 100:
            return False
        if kind in LISTING_KINDS or kind == "preamble":
            return _line_is_code_row(line, col) or _has_list_cue(raw, col) or _all_tokens_are_codes(line)
        return _has_list_cue(raw, col) or (_line_is_code_row(line, col) and _all_tokens_are_codes(line))
    if system == "ICD-10-CM" and "." not in hit_raw:
        ctx = _ICD_CONTEXT.search(context) is not None
        if kind in LISTING_KINDS:
            return ctx or _line_is_code_row(line, col) or _has_list_cue(raw, col)
        return ctx and (_line_is_code_row(line, col) or _has_list_cue(raw, col))
    return True


def _all_tokens_are_codes(line: Line) -> bool:
    tokens = re.findall(r"[\w.]+", line.text)
    return bool(tokens) and all(_CANDIDATE.fullmatch(t) for t in tokens)


def _description_after(line: Line, end_col: int, next_lines: list[Line]) -> str | None:
    """The text following a code that opens its row: 'J9035 Injection, bevacizumab, 10 mg'."""
    rest = line.raw[end_col:]
    if "|" in rest:
        cells = [c.strip() for c in rest.split("|")]
        rest = next((c for c in cells if c), "")
    rest = clean_inline(rest).lstrip(":-–—\t †‡*§").strip()
    if not rest or (_CANDIDATE.match(rest) and len(rest.split()) <= 2):
        return None
    if _CANDIDATE.match(rest.split()[0]) or re.match(r"^(?:-|–|to|through|or|and|,|;)(?:\s|$)", rest):
        return None
    parts = [rest]
    for nxt in next_lines[:3]:
        t = nxt.text
        if not t or nxt.furniture or not t[0].islower():
            break
        parts.append(t)
    desc = " ".join(parts)
    return desc[:400] if len(desc) > 1 else None


def find_codes(
    text: str,
    lines: list[Line],
    kind_by_line: list[str],
    section_by_line: list[SectionSpan | None],
    doc_status: str | None,
) -> CodeFindings:
    """Every code and code range in the document, with role, description and coverage."""
    hits: list[_Hit] = []
    line_starts = [ln.start for ln in lines]
    # One pass over the whole text: no candidate spans a line break, so each falls in one line.
    for m in _CANDIDATE.finditer(text):
        ln = lines[bisect_right(line_starts, m.start()) - 1]
        kind = kind_by_line[ln.index]
        if kind == "references" or ln.furniture:
            continue
        raw = m.group("code")
        col = m.start() - ln.start
        context = ln.raw + " " + _section_heading(section_by_line[ln.index])
        system = _system_for(raw, context)
        if (
            system is None
            and kind == "coding"
            and "." in raw
            and _ICD_CONTEXT.search(context)
            and _line_is_code_row(ln, col)
        ):
            system = "ICD-10-CM"  # listed by the document though absent from the current code set
        if system is None or not _accept(raw, system, ln, col, kind, context):
            continue
        hits.append(
            _Hit(system, canonical(system, raw), ln, m.start(), m.end(), col, kind, section_by_line[ln.index])
        )

    if _REVENUE_LEAD_IN_HINT.search(text):
        hits.extend(_revenue_codes(lines, kind_by_line, section_by_line))
    hits.sort(key=lambda h: h.start)
    findings = CodeFindings()
    walks: dict[int, str | None] = {}
    in_range: set[int] = set()
    for i in range(len(hits) - 1):
        a, b = hits[i], hits[i + 1]
        if (
            a.line is b.line
            and a.system == b.system
            and _RANGE_JOIN.match(text[a.end : b.start])
            and a.code < b.code
        ):
            status = _code_status(a, lines, walks)
            findings.ranges.append(CodeRange(a.system, a.code, b.code, [(a.start, b.end)], status))
            in_range.update((i, i + 1))

    by_key: dict[tuple[str, str], CodeFact] = {}
    from_coding: set[tuple[str, str]] = set()
    for i, h in enumerate(hits):
        if i in in_range:
            continue
        role = _role(h)
        fact = by_key.get((h.system, h.code))
        if fact is None:
            fact = CodeFact(h.system, h.code, None, "listed" if role == "listed" else "mentioned", None, [])
            by_key[(h.system, h.code)] = fact
        fact.spans.append((h.start, h.end))
        if role != "listed":
            continue
        fact.role = "listed"
        # the coding section's row speaks for the code before any mention in the policy text
        authoritative = h.kind == "coding" and (h.system, h.code) not in from_coding
        if (fact.description is None or authoritative) and _line_is_code_row(h.line, h.col):
            desc = _description_after(
                h.line, h.end - h.line.start, lines[h.line.index + 1 : h.line.index + 4]
            )
            fact.description = desc or fact.description
        if fact.coverage is None or authoritative:
            fact.coverage = _code_status(h, lines, walks) or (None if authoritative else fact.coverage)
        if h.kind == "coding":
            from_coding.add((h.system, h.code))
    for fact in by_key.values():
        if fact.role == "listed" and fact.coverage is None and doc_status is not None:
            fact.coverage = doc_status
        if fact.role == "mentioned":
            fact.coverage = None
    findings.codes = list(by_key.values())
    for rng in findings.ranges:
        if rng.coverage is None:
            rng.coverage = doc_status
    return findings


# A code table under a heading the sectioniser does not know still is a code table.
_TABLE_KINDS = frozenset({"description", "rationale", "guidance", "boilerplate", "definitions"})


def _is_code_row_with_text(h: _Hit) -> bool:
    rest = h.line.raw[h.end - h.line.start :].strip(" \t|†‡*")
    return _line_is_code_row(h.line, h.col) and len(rest.split()) >= 2 and not _CANDIDATE.match(rest)


_REVENUE = re.compile(r"(?<![\w.\-/])(0\d{3})(?![\w.\-/])")
_REVENUE_LEAD_IN_HINT = re.compile(r"rev(?:enue|\.?\s)", re.I)  # every revenue-code lead-in has one
_REVENUE_CONTEXT = re.compile(r"\brevenue\s+codes?\b|\brev\.?\s+codes?\b", re.I)


def _revenue_codes(
    lines: list[Line], kind_by_line: list[str], section_by_line: list[SectionSpan | None]
) -> list[_Hit]:
    """Revenue codes (four digits, 0100-0999) in rows under a 'Revenue Codes' heading or lead-in."""
    hits: list[_Hit] = []
    active = False
    for ln in lines:
        t = ln.text
        if not t:
            continue
        if "rev" in t.lower() and _REVENUE_CONTEXT.search(t) and not _REVENUE.match(t):
            active = True
            continue
        if active and not _REVENUE.match(t):
            if heading_kind(t) or t.endswith(":"):
                active = False
            continue
        if active and kind_by_line[ln.index] not in ("references", "history"):
            m = _REVENUE.match(ln.raw.lstrip(" \t|"))
            if m:
                col = ln.raw.index(m.group(1))
                hits.append(
                    _Hit(
                        "REV",
                        m.group(1),
                        ln,
                        ln.start + col,
                        ln.start + col + 4,
                        col,
                        kind_by_line[ln.index],
                        section_by_line[ln.index],
                    )
                )
    return hits


def _section_heading(section: SectionSpan | None) -> str:
    return section.heading if section else ""


def _role(h: _Hit) -> str:
    if h.kind in MENTION_KINDS and not (h.kind in _TABLE_KINDS and _is_code_row_with_text(h)):
        return "mentioned"
    before = h.line.raw[: h.col]
    sentence_start = max(before.rfind(". "), before.rfind("? "), 0)
    lead = before[sentence_start:]
    if _EXAMPLE.search(lead) or _RETIRED.search(lead):
        return "mentioned"
    return "listed"


def _code_status(h: _Hit, lines: list[Line], walks: dict[int, str | None]) -> str | None:
    """The coverage a code's own line or its table's lead-in gives it.

    `walks` remembers, per code line, what the walk up from it found: the rows of one table
    share their lead-in, so a walk that reaches a remembered row stops there.
    """
    own = h.line.raw[h.end - h.line.start :]
    if _line_is_code_row(h.line, h.col):
        own += " " + _row_continuation(lines, h.line.index)
    status = classify_status(clean_inline(own))
    if status:
        return status
    if h.line.index not in walks:
        walks[h.line.index] = _lead_in_status(lines, h.line.index, walks)
    return walks[h.line.index]


def _lead_in_status(lines: list[Line], start: int, walks: dict[int, str | None]) -> str | None:
    """Walk up from a code row to the nearest lead-in: a heading, a line ending with ':' or
    a 'the following ... codes' line, and read the status it states."""
    for idx in range(start - 1, max(0, start - 120) - 1, -1):
        ln = lines[idx]
        t = ln.text
        if idx in walks:
            return walks[idx]
        if not t or ln.furniture or _CANDIDATE.match(t):
            continue
        kind = heading_kind(t)
        if kind is not None and kind not in ("coding", "description") and not _is_lead_in(t):
            return classify_status(
                t
            )  # a section heading ends the walk ('Investigational and Not Medically Necessary')
        if kind == "coding" and classify_status(t):
            return classify_status(t)  # 'ICD-10-CM Codes that Support Medical Necessity'
        if _UNINFORMATIVE_LEAD_IN.match(t):
            continue  # 'Group 1 Codes:' says nothing; the heading above it does
        if _is_lead_in(t):
            lead = _paragraph(lines, idx, stop=start)
            return None if is_boilerplate(lead) else classify_status(lead)
    return None


def _row_continuation(lines: list[Line], index: int) -> str:
    """The wrapped rest of a code-table row: description and comments lines up to the next row."""
    parts: list[str] = []
    for ln in lines[index + 1 : index + 7]:
        t = ln.text
        if (
            not t
            or ln.furniture
            or _CANDIDATE.match(t)
            or t.endswith(":")
            or t[0] in "†‡*"
            or t.lower().startswith("note")
            or heading_kind(t)
        ):
            break
        parts.append(t)
    return " ".join(parts)


def _paragraph(lines: list[Line], idx: int, stop: int) -> str:
    """The lead-in line with the wrapped lines of its sentence (stopping at blanks and code rows)."""
    first = idx
    while (
        first > 0
        and lines[first].text[:1].islower()
        and lines[first - 1].text
        and not _CANDIDATE.match(lines[first - 1].text)
        and idx - first < 4
    ):
        first -= 1
    last = idx
    while (
        last + 1 < stop
        and lines[last + 1].text
        and not _CANDIDATE.match(lines[last + 1].text)
        and last - idx < 4
    ):
        last += 1
    return " ".join(lines[i].text for i in range(first, last + 1))


def _is_lead_in(text: str) -> bool:
    if _CANDIDATE.match(text):
        return False
    if text.rstrip(" |").endswith(":"):
        return True
    return bool(re.search(r"\bthe\s+following\b.*\bcodes?\b|\bcodes?\b.*\bthe\s+following\b", text, re.I))
