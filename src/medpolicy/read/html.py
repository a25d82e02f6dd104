"""HTML: the page's readable text, one line per block, without the site around it.

Scripts, styles, navigation and page-level headers/footers/asides are dropped. Headings
get a line of their own with blank lines around, list items a "• " (or "3. ") prefix,
data tables one line per row with cells joined by " | ". Each line's segment names the
element it came from ("h2", "p", "li", "table[2]/tr[3]").
"""

from __future__ import annotations

import codecs
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from medpolicy.errors import UnreadableDocument
from medpolicy.read.builder import BlockLine, FormatReading, assemble_lines
from medpolicy.read.plaintext import byte_order_mark, looks_like_utf16

_DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "nav",
        "aside",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "button",
        "input",
        "textarea",
        "head",
    }
)
# Page furniture, unless it belongs to an article (where <header> holds the article's title).
_PAGE_FURNITURE = frozenset({"header", "footer"})
_CONTENT_CONTAINERS = frozenset({"article", "main"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "menu",
        "dir",
        *_HEADINGS,
    }
)
# Phrasing elements: unwrapped before the walk, so their text joins the text around them.
_INLINE = (
    "a",
    "abbr",
    "acronym",
    "b",
    "bdi",
    "bdo",
    "big",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "ins",
    "kbd",
    "label",
    "mark",
    "nobr",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
)
_CELLS = frozenset({"td", "th"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_WHITESPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
# WHATWG: these labels mean windows-1252; a UTF-16 label without a BOM means UTF-8.
_WINDOWS_1252_LABELS = frozenset({"ascii", "latin_1", "iso8859_1", "cp1252"})


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """Decode HTML bytes: BOM, then `<meta charset>`, then UTF-8, then Windows-1252."""
    announced = byte_order_mark(data)
    if announced is not None:
        encoding, bom_length = announced
        return _decode(data[bom_length:], encoding, "its byte order mark")
    utf16 = looks_like_utf16(data)
    if utf16 is not None:
        return _decode(data, utf16, "its byte pattern")
    declared = _declared_encoding(data[:_SNIFF_BYTES])
    if declared is not None:
        return _decode(data, declared, "its <meta charset>")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return (
            data.decode("cp1252", errors="replace"),
            ["HTML declares no charset and is not UTF-8; decoded as Windows-1252"],
        )


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        return "utf-8"
    if encoding.replace("-", "_") in _WINDOWS_1252_LABELS:
        return "cp1252"
    return encoding


def _decode(data: bytes, encoding: str, evidence: str) -> tuple[str, list[str]]:
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError:
        return (
            data.decode(encoding, errors="replace"),
            [f"HTML is not valid {encoding} as {evidence} says; bad bytes were replaced with U+FFFD"],
        )


def read_html(data: bytes, name: str) -> FormatReading:
    markup, warnings = decode_html(data)
    tree = LexborHTMLParser(markup)
    title = tree.css_first("head > title")
    title_text = _collapse(title.text()) if title is not None else ""
    _prune(tree)
    lines = _LineCollector().collect(tree.body) if tree.body is not None else []
    if not any(line.text for line in lines):
        raise UnreadableDocument(name, "HTML has no body text")
    if title_text:
        lines.insert(0, BlockLine(title_text, "title", heading=True))
    return FormatReading(assemble_lines(lines), warnings)


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _attribute(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    return (value or "").strip().lower()


def _prune(tree: LexborHTMLParser) -> None:
    """Remove what is not read and unwrap phrasing elements (in lexbor, far faster than a Python walk)."""
    tree.strip_tags(list(_DROPPED), recursive=True)
    unwanted = [
        node
        for node in tree.css('header, footer, [role="navigation" i], [hidden]')
        if node.tag not in _PAGE_FURNITURE or not _in_content_container(node)
    ]
    for node in reversed(unwanted):  # descendants before their ancestors
        node.decompose()
    tree.unwrap_tags(list(_INLINE))
    tree.merge_text_nodes()


def _in_content_container(node: LexborNode) -> bool:
    ancestor = node.parent
    while ancestor is not None:
        if ancestor.tag in _CONTENT_CONTAINERS:
            return True
        ancestor = ancestor.parent
    return False


def _children(node: LexborNode) -> list[LexborNode]:
    children = []
    child = node.first_child
    while child is not None:
        children.append(child)
        child = child.next
    return children


def _has_descendant(node: LexborNode, selector: str) -> bool:
    """Whether an element below `node` matches (selectolax's own `css` also matches the node itself)."""
    return any(
        child.css_first(selector) is not None
        for child in _children(node)
        if not (child.tag or "-").startswith("-")
    )


def _table_rows(table: LexborNode) -> list[LexborNode]:
    rows = []
    for child in _children(table):
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in _ROW_GROUPS:
            rows.extend(row for row in _children(child) if row.tag == "tr")
    return rows


def _is_layout_table(table: LexborNode, rows: list[LexborNode]) -> bool:
    """Tables used to lay a page out (nested tables, headings in cells, one column) read as blocks."""
    if _attribute(table, "role") in ("presentation", "none"):
        return True
    if _has_descendant(table, "table, h1, h2, h3, h4, h5, h6"):
        return True
    widest = max((sum(1 for cell in _children(row) if cell.tag in _CELLS) for row in rows), default=0)
    return widest <= 1


def _flat_text(node: LexborNode) -> str:
    """All text under `node` on one line: block boundaries and line breaks become spaces."""
    pieces: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        tag = current.tag or ""
        if tag == "-text":
            pieces.append(current.text(deep=False))
            continue
        if tag.startswith("-"):
            continue
        if tag == "br" or tag in _BLOCKS:
            pieces.append(" ")
        stack.extend(reversed(_children(current)))
    return _collapse("".join(pieces))


class _LineCollector:
    """Walks the body once (iteratively, so deep nesting cannot overflow the stack) and emits lines."""

    def __init__(self) -> None:
        self.lines: list[BlockLine] = []
        self._fragments: list[str] = []
        self._blocks: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [is_ordered, next number]
        self._pending_prefix = ""
        self._preformatted = 0
        self._tables = 0

    def collect(self, body: LexborNode) -> list[BlockLine]:
        stack: list[tuple[bool, LexborNode]] = [(True, body)]
        while stack:
            entering, node = stack.pop()
            if entering:
                if self._enter(node):
                    stack.append((False, node))
                    stack.extend((True, child) for child in reversed(_children(node)))
            else:
                self._exit(node)
        self._flush()
        return self.lines

    def _enter(self, node: LexborNode) -> bool:
        """Handle the start of `node`; True when its children should be walked."""
        tag = node.tag or ""
        if tag == "-text":
            self._fragments.append(node.text(deep=False))
            return False
        if tag.startswith("-"):
            return False
        if tag == "br":
            self._flush()
            return False
        if tag == "table" and self._read_data_table(node):
            return False
        if tag in _BLOCKS:
            self._flush()
            self._blocks.append(tag)
        if tag in _LISTS:
            start = node.attributes.get("start") or "1"
            self._lists.append([tag == "ol", int(start) if start.strip().isdigit() else 1])
        elif tag == "li":
            self._pending_prefix = self._list_marker(node)
        elif tag == "pre":
            self._preformatted += 1
        return True

    def _exit(self, node: LexborNode) -> None:
        tag = node.tag or ""
        if tag not in _BLOCKS:
            return
        self._flush()
        self._blocks.pop()
        if tag in _LISTS:
            self._lists.pop()
        elif tag == "li":
            self._pending_prefix = ""
        elif tag == "pre":
            self._preformatted -= 1

    def _list_marker(self, item: LexborNode) -> str:
        indent = "  " * max(len(self._lists) - 1, 0)
        if not self._lists or not self._lists[-1][0]:
            return indent + "• "
        context = self._lists[-1]
        value = (item.attributes.get("value") or "").strip()
        if value.isdigit():
            context[1] = int(value)
        number = context[1]
        context[1] += 1
        return f"{indent}{number}. "

    def _flush(self) -> None:
        raw = "".join(self._fragments)
        self._fragments.clear()
        block = self._blocks[-1] if self._blocks else "body"
        if self._preformatted:
            texts = [line.rstrip() for line in raw.strip("\n").split("\n")] if raw.strip() else []
        else:
            collapsed = _collapse(raw)
            texts = [collapsed] if collapsed else []
        for text in texts:
            element = block
            if self._pending_prefix:
                text, element = self._pending_prefix + text, "li"
                self._pending_prefix = ""
            self.lines.append(BlockLine(text, element, heading=block in _HEADINGS))

    def _read_data_table(self, table: LexborNode) -> bool:
        """Emit a data table as one line per row; False when it is a layout table to walk as blocks."""
        rows = _table_rows(table)
        if _is_layout_table(table, rows):
            return False
        self._flush()
        self._tables += 1
        path = f"table[{self._tables}]"
        caption = next((child for child in _children(table) if child.tag == "caption"), None)
        caption_text = _flat_text(caption) if caption is not None else ""
        if caption_text:
            self.lines.append(BlockLine(caption_text, f"{path}/caption"))
        for number, row in enumerate(rows, start=1):
            cells = [_flat_text(cell) for cell in _children(row) if cell.tag in _CELLS]
            if any(cells):
                self.lines.append(BlockLine(" | ".join(cells), f"{path}/tr[{number}]"))
        return True
