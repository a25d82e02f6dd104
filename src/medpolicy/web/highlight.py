"""Document text as HTML with every extracted fact wrapped in a `<mark>` at its span.

Spans may nest (a code inside a coverage statement) or cross. Crossing marks are split
where they cross, so the HTML stays well formed: the first piece of a span carries the
anchor id, later pieces only `data-fact`, which ties them together for styling.
All document text is escaped.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    fact: str  # the fact this span belongs to (shared by all its spans)
    anchor: str | None  # the element id; None for a continuation piece
    css_class: str


def mark_up(text: str, marks: list[Mark]) -> Markup:
    """`text` escaped, with `marks` as (possibly nested) `<mark>` elements."""
    queue: list[tuple[int, int, int, Mark]] = []
    for order, mark in enumerate(marks):
        start, end = max(0, mark.start), min(len(text), mark.end)
        if start < end:
            heapq.heappush(queue, (start, -end, order, _clip(mark, start, end)))
    pieces: list[str] = []
    open_marks: list[Mark] = []
    position = 0

    def advance(to: int) -> None:
        nonlocal position
        if to > position:
            pieces.append(str(escape(text[position:to])))
            position = to

    def close_until(limit: int) -> None:
        while open_marks and open_marks[-1].end <= limit:
            advance(open_marks[-1].end)
            pieces.append("</mark>")
            open_marks.pop()

    order = len(marks)
    while queue:
        _, _, _, mark = heapq.heappop(queue)
        close_until(mark.start)
        advance(mark.start)
        if open_marks and mark.end > open_marks[-1].end:
            boundary = open_marks[-1].end
            order += 1
            heapq.heappush(
                queue, (boundary, -mark.end, order, Mark(boundary, mark.end, mark.fact, None, mark.css_class))
            )
            mark = _clip(mark, mark.start, boundary)
        pieces.append(_open_tag(mark))
        open_marks.append(mark)
    close_until(len(text))
    advance(len(text))
    return Markup("".join(pieces))


def _clip(mark: Mark, start: int, end: int) -> Mark:
    return Mark(start, end, mark.fact, mark.anchor, mark.css_class)


def _open_tag(mark: Mark) -> str:
    anchor = f' id="{escape(mark.anchor)}"' if mark.anchor else ""
    return f'<mark{anchor} class="{escape(mark.css_class)}" data-fact="{escape(mark.fact)}">'
