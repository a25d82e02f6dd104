"""Plain text from the HTML CMS puts in MCD cells (`<p>`, `<br />`, lists, tables, `&#174;`, `&nbsp;`).

Cells are parsed with a real HTML parser, so entities, unclosed tags and attributes
with quotes in them come out right. Paragraphs, line breaks, list items and table rows
become lines (list items start with "• ", table cells are joined with " | "); spaces
are collapsed within a line and blank lines dropped.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

BULLET = "• "
CELL_SEPARATOR = " | "
_BREAK_TAGS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    )
)
_SKIP_TAGS = frozenset(["script", "style", "head", "title", "template", "noscript", "iframe", "object"])
_CELL_TAGS = frozenset(("td", "th"))
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def html_to_text(cell: str) -> str:
    """The cell's text, one line per paragraph, break, list item or table row."""
    if "<" not in cell and "&" not in cell:
        return _tidy_lines(cell.splitlines())
    body = LexborHTMLParser(cell).body
    if body is None:
        return ""
    return _tidy_lines(_lines(body))


def html_to_line(cell: str) -> str:
    """The cell's text on one line (titles, code descriptions, names)."""
    return " ".join(html_to_text(cell).splitlines())


def _lines(root: LexborNode) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def break_line() -> None:
        if current:
            lines.append("".join(current))
            current.clear()

    stack: list[tuple[LexborNode, bool]] = [
        (child, False) for child in reversed(list(root.iter(include_text=True)))
    ]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in _BREAK_TAGS:
                break_line()
            continue
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag in _SKIP_TAGS or tag.startswith(("_", "!")):
            continue
        if tag in _BREAK_TAGS:
            break_line()
        if tag == "li":
            current.append(BULLET)
        elif tag in _CELL_TAGS and "".join(current).strip():
            current.append(CELL_SEPARATOR)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    break_line()
    return lines


def _tidy_lines(lines: list[str]) -> str:
    tidy = (_SPACE.sub(" ", _CONTROL.sub("", line)).strip() for line in lines)
    return "\n".join(line for line in tidy if line and line != BULLET.strip())
