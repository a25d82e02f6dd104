"""DOCX: body paragraphs and tables in document order, as lines.

Headings get a line of their own with blank lines around; numbered and bulleted
paragraphs get their list label ("3.", "•"); table rows become one line each with cells
joined by " | ". The first page's header comes first and the footer last, as a PDF of
the same document would show them once. Segments name the body element: "p[12]",
"table[2]/row[3]", "header", "footer".
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from medpolicy.errors import UnreadableDocument
from medpolicy.read.builder import BlockLine, FormatReading, assemble_lines

_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
_MAX_REASON_LENGTH = 200
_HEADING_STYLE_NAMES = ("heading", "title", "subtitle")
_STYLE_CHAIN_LIMIT = 10

_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_VAL = qn("w:val")
_R = qn("w:r")
# Runs under these are not part of the paragraph's current text (deletions, moved-away text)
# or belong to a nested paragraph (a text box).
_RUN_EXCLUDING_ANCESTORS = frozenset({qn("w:del"), qn("w:moveFrom"), _P})


def read_docx(data: bytes, name: str) -> FormatReading:
    _check_archive(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = _DocumentLines(document).lines()
    except UnreadableDocument:
        raise
    except Exception as exc:  # python-docx and lxml raise many types on malformed packages
        raise UnreadableDocument(name, f"DOCX is corrupt: {_one_line(exc)}") from exc
    if not any(line.text.strip() for line in lines):
        raise UnreadableDocument(name, "DOCX has no text")
    return FormatReading(assemble_lines(lines))


def _check_archive(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableDocument(name, "DOCX is corrupt (not a zip)") from exc
    if "[Content_Types].xml" not in names:
        raise UnreadableDocument(name, "zip archive is not a DOCX (no [Content_Types].xml)")
    if unpacked > _MAX_UNPACKED_BYTES:
        limit = _MAX_UNPACKED_BYTES // 2**20
        raise UnreadableDocument(name, f"DOCX unpacks to {unpacked / 2**20:.0f} MB; the limit is {limit} MB")


def _one_line(exc: Exception) -> str:
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return detail[:_MAX_REASON_LENGTH]


def _blocks(container: Any) -> Iterator[Any]:
    """The w:p and w:tbl children of a body/header/footer, looking through content controls."""
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(paragraph: Any) -> str:
    """The paragraph's text, with the runs python-docx skips: tracked insertions, fields, content controls."""
    pieces = []
    for run in paragraph.iter(_R):
        ancestor = run.getparent()
        while ancestor is not paragraph and ancestor.tag not in _RUN_EXCLUDING_ANCESTORS:
            ancestor = ancestor.getparent()
        if ancestor is paragraph:
            pieces.append(run.text)
    return "".join(pieces)


def _child_val(element: Any, *path: str) -> str | None:
    for tag in path:
        if element is None:
            return None
        element = element.find(qn(tag))
    return None if element is None else element.get(_VAL)


class _DocumentLines:
    """Turns one python-docx Document into lines, tracking list counters as Word would."""

    def __init__(self, document: Any) -> None:
        self._document = document
        self._styles = document.styles.element
        numbering_part = self._numbering_part(document)
        self._numbering: Any = numbering_part.element if numbering_part is not None else None
        self._counters: dict[str, list[int]] = {}
        self._level_definitions: dict[tuple[str, int], Any] = {}
        self._paragraphs = 0
        self._tables = 0

    @staticmethod
    def _numbering_part(document: Any) -> Any:
        try:
            return document.part.numbering_part
        except (KeyError, NotImplementedError):
            return None

    def lines(self) -> list[BlockLine]:
        lines = self._furniture("header")
        for block in _blocks(self._document.element.body):
            if block.tag == _P:
                self._paragraphs += 1
                line = self._paragraph_line(block, f"p[{self._paragraphs}]")
                if line is not None:
                    lines.append(line)
            else:
                self._tables += 1
                lines.extend(self._table_lines(block, f"table[{self._tables}]"))
        lines.extend(self._furniture("footer"))
        return lines

    def _furniture(self, kind: str) -> list[BlockLine]:
        """The first section's first-page header or footer, when the document defines one."""
        sections = self._document.sections
        if len(sections) == 0:
            return []
        section = sections[0]
        first_page = section.different_first_page_header_footer
        part = getattr(section, f"first_page_{kind}" if first_page else kind)
        if part.is_linked_to_previous:
            return []
        lines = []
        for block in _blocks(part._element):
            if block.tag == _P:
                line = self._paragraph_line(block, kind)
                if line is not None:
                    lines.append(line)
            else:
                lines.extend(self._table_lines(block, kind))
        return lines

    def _paragraph_line(self, paragraph: Any, element: str) -> BlockLine | None:
        text = _paragraph_text(paragraph)
        if not text.strip():
            return None
        style = self._style_chain(paragraph.style)
        label = self._list_label(paragraph, style)
        heading = self._is_heading(paragraph, style)
        return BlockLine(f"{label} {text}" if label else text, element, heading=heading)

    def _style_chain(self, style_id: str | None) -> list[Any]:
        chain: list[Any] = []
        while style_id and len(chain) < _STYLE_CHAIN_LIMIT:
            style = self._styles.get_by_id(style_id)
            if style is None:
                break
            chain.append(style)
            style_id = style.basedOn_val
        return chain

    @staticmethod
    def _is_heading(paragraph: Any, style: list[Any]) -> bool:
        if _child_val(paragraph, "w:pPr", "w:outlineLvl") is not None:
            return True
        return any((s.name_val or "").lower().startswith(_HEADING_STYLE_NAMES) for s in style)

    def _list_label(self, paragraph: Any, style: list[Any]) -> str:
        num_id = _child_val(paragraph, "w:pPr", "w:numPr", "w:numId")
        level_value = _child_val(paragraph, "w:pPr", "w:numPr", "w:ilvl")
        for s in style:
            if num_id is not None:
                break
            num_id = _child_val(s, "w:pPr", "w:numPr", "w:numId")
            level_value = level_value or _child_val(s, "w:pPr", "w:numPr", "w:ilvl")
        if num_id is None or num_id == "0" or self._numbering is None:
            return ""
        level = int(level_value) if level_value and level_value.isdigit() else 0
        definition = self._level_definition(num_id, level)
        if definition is None:
            return ""
        number_format = _child_val(definition, "w:numFmt") or "decimal"
        if number_format in ("bullet", "none"):
            return "•" if number_format == "bullet" else ""
        counters = self._counters.setdefault(num_id, [])
        while len(counters) <= level:
            counters.append(0)
        start = _child_val(definition, "w:start")
        first = int(start) if start and start.isdigit() else 1
        counters[level] = counters[level] + 1 if counters[level] else first
        del counters[level + 1 :]
        template = _child_val(definition, "w:lvlText") or f"%{level + 1}."
        for index, value in enumerate(counters):
            template = template.replace(f"%{index + 1}", str(value or 1))
        return template.strip()

    def _level_definition(self, num_id: str, level: int) -> Any:
        key = (num_id, level)
        if key not in self._level_definitions:
            self._level_definitions[key] = self._find_level_definition(num_id, level)
        return self._level_definitions[key]

    def _find_level_definition(self, num_id: str, level: int) -> Any:
        numbering = self._numbering
        num = next((n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == num_id), None)
        abstract_id = _child_val(num, "w:abstractNumId") if num is not None else None
        if abstract_id is None:
            return None
        abstract = next(
            (
                a
                for a in numbering.iterchildren(qn("w:abstractNum"))
                if a.get(qn("w:abstractNumId")) == abstract_id
            ),
            None,
        )
        if abstract is None:
            return None
        levels = abstract.iterchildren(qn("w:lvl"))
        return next((lvl for lvl in levels if lvl.get(qn("w:ilvl")) == str(level)), None)

    @staticmethod
    def _table_lines(table: Any, path: str) -> list[BlockLine]:
        lines = []
        for number, row in enumerate(table.iterchildren(_TR), start=1):
            cells = [_cell_text(cell) for cell in row.iterchildren(_TC)]
            if any(cells):
                element = path if path in ("header", "footer") else f"{path}/row[{number}]"
                lines.append(BlockLine(" | ".join(cells), element))
        return lines


def _cell_text(cell: Any) -> str:
    """A cell's text on one line; empty for the continuation of a vertically merged cell."""
    merge = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if merge is not None and merge.get(_VAL) != "restart":
        return ""
    texts = (" ".join(_paragraph_text(paragraph).split()) for paragraph in cell.iter(_P))
    return " ".join(text for text in texts if text)
