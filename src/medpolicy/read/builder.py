"""Assemble a `Text` piece by piece, recording where each piece landed."""

from __future__ import annotations

from dataclasses import dataclass, field

from medpolicy.model import Segment, Text
from medpolicy.read.normalize import normalize


@dataclass(slots=True)
class FormatReading:
    """What one format reader hands back before the source is attached."""

    text: Text
    warnings: list[str] = field(default_factory=list)
    page_count: int | None = None


class TextBuilder:
    """Appends normalised pieces and records a `Segment` for each, so offsets are exact by construction."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._segments: list[Segment] = []

    def add(self, text: str, *, page: int | None = None, element: str | None = None) -> None:
        """Append `text` (normalised here) and record it as one segment."""
        text = normalize(text)
        if not text:
            return
        start = self._length
        self._append(text)
        self._segments.append(Segment(start, self._length, page=page, element=element))

    def separate(self, separator: str) -> None:
        """Append layout text (newlines, page breaks) that belongs to no segment."""
        self._append(separator)

    def build(self) -> Text:
        return Text("".join(self._parts), list(self._segments))

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)


@dataclass(slots=True)
class BlockLine:
    """One line of a markup document (a paragraph, list item, table row or heading) and its element."""

    text: str
    element: str
    heading: bool = False


def assemble_lines(lines: list[BlockLine]) -> Text:
    """Lines joined by newlines, with a blank line around headings so they stand as headings."""
    builder = TextBuilder()
    previous: BlockLine | None = None
    for line in lines:
        if previous is not None:
            builder.separate("\n\n" if line.heading or previous.heading else "\n")
        builder.add(line.text, element=line.element)
        previous = line
    builder.separate("\n")
    return builder.build()
