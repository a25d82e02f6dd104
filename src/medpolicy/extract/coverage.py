"""Coverage positions: the sentences (or table cells) that state a status, with criteria.

Positions come from policy sections. A document without one (a bulletin, a plan that
prints no headings) is read whole, less its history, references, evidence review and
boilerplate. Disclaimers ("Each benefit plan defines which services are covered") state
no position and are skipped.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from medpolicy.extract.lines import Line, clean_inline
from medpolicy.extract.sections import heading_kind
from medpolicy.extract.status import classify_status, is_boilerplate
from medpolicy.model import CoveragePosition

_CODE_ROW = re.compile(r"^(?:\d{5}|\d{4}[FTU]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4})\b")
_SENTENCE_END = re.compile(
    # the stop comes first so the pattern scans fast; the look-behinds then rule out "e.g.", "et al." ...
    r"[.;?!](?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bal\.)(?<!\bNo\.)(?<!\bSt\.)(?<!\bDr\.)"
    r"(?<![A-Z][.;?!])\s+(?=[A-Z(\"“])"
)
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦\-*–]|\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)])\s+")
_SUBJECT_SPLIT = re.compile(
    r"\s+(?:is|are|was|were|may\s+be|will\s+be|shall\s+be|would\s+be|must\s+be|remains?|meets?)\s+"
    r"(?:considered|deemed|regarded|not|eligible|covered|experimental|investigational|medically|the\s+definition)",
    re.I,
)
_OBJECT_AFTER = re.compile(
    r"\b(?:considers?|covers?|will\s+(?:not\s+)?cover|(?:will|may)\s+(?:not\s+)?consider\s+reimbursement\s+(?:of|for)|"
    r"added|adding|does\s+not\s+cover)\s+(?:the\s+following\s+)?(?P<obj>.+?)"
    r"(?:\s+(?:as|to\s+be|to\s+policy\s+as|medically|experimental|investigational|not|when|for\s+individuals|for\s+members)\b|[.:;]|$)",
    re.I,
)


@dataclass(slots=True)
class _Unit:
    text: str
    start: int
    end: int
    line_index: int


def _units(lines: list[Line], indexes: list[int]) -> list[_Unit]:
    """Sentences and list items in the given lines, wrapped lines joined, each with its offsets."""
    units: list[_Unit] = []
    buf: list[Line] = []

    def flush() -> None:
        if not buf:
            return
        # the joined text, and where each line's piece of it starts in the document
        joined_starts: list[int] = []
        doc_starts: list[int] = []
        parts: list[str] = []
        length = 0
        for ln in buf:
            t = ln.raw.replace("\f", " ")
            piece = t.strip()
            if parts:
                length += 1  # the joining space
            joined_starts.append(length)
            doc_starts.append(ln.start + len(t) - len(t.lstrip()))
            parts.append(piece)
            length += len(piece)
        joined = " ".join(parts)

        def to_doc(pos: int) -> int:
            k = bisect.bisect_right(joined_starts, pos) - 1
            return doc_starts[k] + min(pos - joined_starts[k], len(parts[k]))

        marker = _LIST_ITEM.match(joined)  # "1. The member has ..." is one item, not the sentence "1."
        first_cut = marker.end() if marker else 0
        cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(joined) if m.end() > first_cut] + [len(joined)]
        for a, b in itertools.pairwise(cuts):
            seg = joined[a:b].strip()
            if not seg:
                continue
            lead = joined.find(seg, a)
            s_off = to_doc(lead)
            e_off = to_doc(lead + len(seg) - 1) + 1
            units.append(_Unit(clean_inline(seg), s_off, e_off, buf[0].index))
        buf.clear()

    lengths = sorted(len(lines[i].text) for i in indexes if lines[i].text)
    wrap = lengths[int(len(lengths) * 0.8)] if lengths else 0
    prev = -2
    for i in indexes:
        ln = lines[i]
        if ln.furniture:
            continue
        t = ln.text
        heading = bool(t) and heading_kind(t) is not None and len(t) < 60
        if (
            not t
            or heading
            or i != prev + 1
            or _LIST_ITEM.match(ln.raw)
            or "\t" in ln.raw.strip()
            or "|" in t
        ):
            flush()
        if t and not heading:
            buf.append(ln)
            if len(t) < 0.6 * wrap and not re.search(
                r"(?:[,(/-]|\b(?:and|or|of|the|to|for|with|in|a|an))$", t
            ):
                flush()  # a short line ends its paragraph (PDF text has no blank lines between them)
        prev = i
    flush()
    return units


def find_positions(lines: list[Line], indexes: list[int]) -> list[CoveragePosition]:
    """Coverage positions stated in the given lines (in order), criteria attached."""
    units = _units(lines, indexes)
    positions: list[CoveragePosition] = []
    seen: set[tuple[str, str]] = set()
    for i, u in enumerate(units):
        text = u.text
        if len(text) < 20 or len(text.split()) < 4:
            continue
        status = classify_status(text)
        if status is None or is_boilerplate(text) or _is_table_lead_in(text) or _CODE_ROW.match(text):
            continue
        key = (status, re.sub(r"\W+", " ", text.lower())[:160])
        if key in seen:
            continue
        seen.add(key)
        positions.append(
            CoveragePosition(status, text[:1000], _applies_to(text), _criteria(units, i), [(u.start, u.end)])
        )
    return positions


def _is_table_lead_in(text: str) -> bool:
    """'CPT codes not covered for indications listed in the CPB:' heads a code table; it is not a position.

    Nor is Cigna's 'Considered Not Covered when used to report …:': the codes under it carry that status.
    """
    if re.search(r"\bused\s+to\s+report\b", text, re.I):
        return True
    return (
        text.endswith(":")
        and len(text) < 220
        and bool(re.search(r"\bcodes?\b|^considered\b|^when\s+services\b", text, re.I))
    )


def _criteria(units: list[_Unit], i: int) -> list[str]:
    """List items that follow a statement ending in ':' ('... when ALL of the following are met:')."""
    if not units[i].text.rstrip().endswith(":"):
        return []
    out: list[str] = []
    for u in units[i + 1 : i + 40]:
        if classify_status(u.text) and not _LIST_ITEM.match(u.text):
            break
        m = _LIST_ITEM.match(u.text)
        if not m:
            if out:
                break
            continue
        item = u.text[m.end() :].strip()
        if item:
            out.append(item[:300])
        if len(out) >= 20:
            break
    return out


def _applies_to(text: str) -> str | None:
    """The service a statement is about, shortened: its subject, or the object of 'covers'/'considers'."""
    t = _LIST_ITEM.sub("", text).strip()
    m = _SUBJECT_SPLIT.search(t)
    if m and m.start() > 3:
        subject = t[: m.start()].strip(" ,:")
        subject = re.sub(r"^(?:[IVX]+\.|\d+\.)\s*", "", subject)
        return _shorten(subject)
    m2 = _OBJECT_AFTER.search(t)
    if m2:
        return _shorten(m2.group("obj"))
    return None


def _shorten(s: str, limit: int = 160) -> str | None:
    s = " ".join(s.split()).strip(" ,;:")
    if not s:
        return None
    return s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + "…"
