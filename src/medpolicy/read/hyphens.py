"""Words split across PDF lines by a hyphen: join them, and drop the hyphen when it was only a line break.

A line ending in letter + hyphen, followed by a line starting with a letter, is one word
broken across lines, so the two lines become one. Whether the hyphen belongs to the word
is the hard part: policies are full of compounds ("long-term", "Roux-en-Y") that happen to
break at their hyphen. The hyphen goes only when the next line starts in lower case and
 - it is a soft hyphen (U+00AD), or
 - the document spells the word elsewhere without the hyphen and never with it, or
 - the document gives no evidence either way and the hyphen is U+2010, which typesetters
   insert when they hyphenate (an ASCII hyphen is what people type in compounds).
"""

from __future__ import annotations

import re
from itertools import pairwise

ASCII_HYPHEN = "-"
TYPESET_HYPHEN = "\u2010"
SOFT_HYPHEN = "\u00ad"
_LINE_END_HYPHENS = (ASCII_HYPHEN, TYPESET_HYPHEN, SOFT_HYPHEN)
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
_TRAILING_LETTERS = re.compile(r"[^\W\d_]+$")


def vocabulary(pages: list[list[str]]) -> set[str]:
    """Every word the pages spell within a line, lower-cased, and each hyphenated pair inside compounds."""
    words: set[str] = set()
    for lines in pages:
        for line in lines:
            for match in _WORD.finditer(line):
                parts = match.group().lower().replace(TYPESET_HYPHEN, ASCII_HYPHEN).split(ASCII_HYPHEN)
                words.update(parts)
                words.update(f"{left}-{right}" for left, right in pairwise(parts))
                words.add("-".join(parts))
    return words


def _drops_hyphen(hyphen: str, before: str, after: str, words: set[str]) -> bool:
    if hyphen == SOFT_HYPHEN:
        return True
    if not after[:1].islower():
        return False
    if f"{before}-{after}".lower() in words:
        return False
    if f"{before}{after}".lower() in words:
        return True
    return hyphen == TYPESET_HYPHEN


def join_hyphenated_lines(lines: list[str], words: set[str]) -> list[str]:
    """`lines` with every word broken at a line-end hyphen made whole again (see the module docstring)."""
    joined: list[str] = []
    for line in lines:
        if joined and (merged := _merge(joined[-1], line, words)) is not None:
            joined[-1] = merged
        else:
            joined.append(line)
    return joined


def _merge(first: str, second: str, words: set[str]) -> str | None:
    head = first.rstrip(" \t")
    tail = second.lstrip(" \t")
    if len(head) < 2 or head[-1] not in _LINE_END_HYPHENS or not head[-2].isalpha():
        return None
    after = _LEADING_LETTERS.match(tail)
    if after is None:
        return None
    before = _TRAILING_LETTERS.search(head[:-1])
    if before is None:
        return None
    if _drops_hyphen(head[-1], before.group(), after.group(), words):
        return head[:-1] + tail
    return head + tail
