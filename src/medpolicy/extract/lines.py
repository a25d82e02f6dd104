"""Lines of the normalised text with their offsets, and the page furniture among them.

Every extractor works on `Line`s so that each fact it finds keeps exact offsets into
the text. Furniture is what a PDF repeats on every page (banner, policy number,
"Page 3 of 15", "-- 3 of 15 --"): it is never a heading, a title or a list entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_PAGE_MARK = re.compile(
    r"^(?:--\s*\d+\s+of\s+\d+\s*--|page\s+\d+(?:\s+of\s+\d+)?|\d+\s+of\s+\d+|\d{1,3}|-\s*\d+\s*-)$", re.I
)
_PAGE_FOOTER = re.compile(r"^(?:--\s*\d+\s+of\s+\d+\s*--|(?i:page)\s+\d+\s+(?i:of)\s+\d+)$")
_DIGITS = re.compile(r"\d+")
_TAGS = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


@dataclass(slots=True)
class Line:
    index: int
    start: int  # offset of the first character of the line in the text
    end: int  # offset just past the last character (newline excluded)
    raw: str
    text: str = ""  # the line without surrounding blanks, HTML tags or form feeds
    furniture: bool = False

    @property
    def blank(self) -> bool:
        return not self.text

    def span_of(self, fragment: str) -> tuple[int, int]:
        """Offsets of `fragment` within this line (the whole line if it is not found verbatim)."""
        pos = self.raw.find(fragment)
        if pos < 0:
            stripped = self.raw.strip(" \t\f\r")
            lead = self.raw.find(stripped) if stripped else 0
            return (self.start + max(lead, 0), self.start + max(lead, 0) + len(stripped))
        return (self.start + pos, self.start + pos + len(fragment))


def clean_inline(s: str) -> str:
    """Tags dropped, tabs and runs of blanks folded to one space, ends trimmed."""
    if "<" in s:
        s = _TAGS.sub(" ", s)
    return " ".join(s.replace("\f", " ").split())


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw, clean_inline(raw)))
        pos += len(raw) + 1
    _mark_furniture(lines)
    return lines


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _mark_furniture(lines: list[Line]) -> None:
    """Flag page markers, and short lines repeated near page breaks three times or more."""
    breaks = [ln.index for ln in lines if "\f" in ln.raw or _PAGE_MARK.match(ln.text or "x")]
    if not breaks:
        return  # no page breaks: nothing repeats at a page edge
    near_break: set[int] = set()
    for b in breaks:
        near_break.update(range(max(0, b - 3), min(len(lines), b + 12)))
    keys = [_furniture_key(ln.text) if ln.text and len(ln.text) < 140 else None for ln in lines]
    counts = Counter(key for key in keys if key is not None)
    counts_near = Counter(keys[i] for i in near_break if keys[i] is not None)
    for ln in lines:
        t = ln.text
        if not t:
            continue
        key = keys[ln.index]
        if _PAGE_FOOTER.match(t) or (
            ln.index in near_break
            and key is not None
            and counts[key] >= 3
            and counts_near[key] * 3 >= counts[key] * 2
            and (any(c.isalpha() for c in t) or _PAGE_MARK.match(t))
        ):
            ln.furniture = True


def block_text(lines: list[Line]) -> str:
    """Join wrapped lines into one string (single spaces)."""
    return " ".join(t for t in (ln.text for ln in lines) if t)
