"""A format-neutral document: a list of blocks that each output format renders its own way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Items:
    """A list; `markers` gives each item's own marker ("A.", "1.") or None for bullets."""

    items: tuple[str, ...]
    markers: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


FieldStyle = Literal["colon", "leaders", "stacked"]


@dataclass(frozen=True, slots=True)
class Fields:
    """Label/value pairs: "Label: value", dot leaders ("Label ..... value") or label, value on own lines."""

    pairs: tuple[tuple[str, str], ...]
    style: FieldStyle = "colon"


Block = Heading | Paragraph | Items | Table | Fields


@dataclass(slots=True)
class Document:
    """One generated document before it is written in a format."""

    title: str
    running_header: str  # repeated on every page of paged output
    footer: str
    paged: bool  # text output carries page furniture ("Page 3 of 12"), as text exported from PDFs does
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def block_chars(block: Block) -> int:
    """About how many characters a block adds to the plain-text rendering (for sizing documents)."""
    if isinstance(block, Heading | Paragraph):
        return len(block.text) + 2
    if isinstance(block, Items):
        return sum(len(item) + 4 for item in block.items) + 1
    if isinstance(block, Table):
        return sum(sum(len(cell) + 1 for cell in row) for row in (block.header, *block.rows)) + 1
    return sum(len(label) + len(value) + 3 for label, value in block.pairs) + 1
