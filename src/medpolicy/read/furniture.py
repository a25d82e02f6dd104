"""Running headers and footers: lines at the top or bottom of most pages of a PDF.

"Page 3 of 15", a payer banner or "Medical Coverage Policy: 0051" repeated on every page
would otherwise interrupt the body text (and a table) at each page break. A line counts
as running when, with its digits ignored, it sits among the first or last few lines of at
least half the pages. Its first occurrence stays, so the document still says it once.
"""

from __future__ import annotations

import re

EDGE_LINES = 4
"""How many non-blank lines at each end of a page can be a header or footer."""

_DIGITS = re.compile(r"\d+")


def furniture_key(line: str) -> str:
    """What a running line has in common across pages: case, spacing and numbers ignored."""
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if len(filled) <= 2 * EDGE_LINES:
        return filled
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def running_keys(pages: list[list[str]]) -> set[str]:
    """Keys of the lines found at a page edge on at least half the pages (and on two or more)."""
    counts: dict[str, int] = {}
    for lines in pages:
        for key in {furniture_key(lines[index]) for index in _edge_indexes(lines)}:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed}


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without their running headers and footers, except each one's first occurrence."""
    keys = running_keys(pages)
    if not keys:
        return [list(lines) for lines in pages]
    seen: set[str] = set()
    cleaned = []
    for lines in pages:
        drop = set()
        for index in _edge_indexes(lines):
            key = furniture_key(lines[index])
            if key in keys and key in seen:
                drop.add(index)
        seen.update(furniture_key(lines[index]) for index in _edge_indexes(lines))
        cleaned.append([line for index, line in enumerate(lines) if index not in drop])
    return cleaned
