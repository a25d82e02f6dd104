#!/usr/bin/env python3
"""Build the demo corpus from its sources.

Each source in ``src/medpolicy/demo/sources/NAME.mpdoc`` is a fictional policy written in a small
line-based markup (described in ``src/medpolicy/demo/sources/README.md``). This script renders it
into ``src/medpolicy/demo/corpus/NAME.<pdf|html|docx|txt>`` and writes ``NAME.expected.json``
beside it: the facts the source states by construction (codes from its coding tables and code
markers, coverage statements, dates, references, history), in the gold format that
``score_extraction.py`` reads.

Usage::

    python tools/build_demo_corpus.py                  # render every source
    python tools/build_demo_corpus.py --check          # parse and lint only, write nothing
    python tools/build_demo_corpus.py --only NAME ...  # render some sources
    python tools/build_demo_corpus.py --eval-dir DIR   # also write DIR/docs and DIR/gold for scoring

Before writing anything, every source is linted: each code-shaped token of its text must be a
listed code, a mentioned code, a range end or a declared distractor, and the title, payer, policy
number, dates and coverage statements must appear in the text.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "src" / "medpolicy" / "demo" / "sources"
CORPUS_DIR = ROOT / "src" / "medpolicy" / "demo" / "corpus"

FORMATS = ("pdf", "html", "docx", "txt")
DATE_FIELDS = ("effective", "last_revised", "original_effective", "published", "next_review")
STATUSES = ("medically_necessary", "investigational", "not_medically_necessary", "not_covered", "cosmetic")
DOC_TYPES = (
    "medical_policy",
    "clinical_policy_bulletin",
    "lcd",
    "ncd",
    "billing_article",
    "code_page",
    "coverage_summary",
    "other",
)
SCALAR_KEYS = {
    "name",
    "family",
    "format",
    "payer",
    "doc_type",
    "policy_number",
    "title",
    "notes",
    "table_style",
    "page_header",
    "page_header_right",
    "page_footer",
    "page_footer_right",
    "payer_in_text",
    *DATE_FIELDS,
}
LIST_KEYS = {"chrome_top", "chrome_bottom", "distractors"}
REQUIRED_KEYS = ("name", "family", "format", "payer", "doc_type", "policy_number", "title")

# Fixed timestamp for DOCX core properties so rebuilding does not change the files needlessly.
BUILD_TIMESTAMP = datetime(2026, 1, 2, 9, 0, 0)


class SourceError(Exception):
    """A problem in a source file, reported with its path and line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path.name}:{line}" if line else path.name
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- code shapes

CODE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CPT", re.compile(r"^\d{5}$", re.ASCII)),
    ("CPT", re.compile(r"^\d{4}[FTU]$", re.ASCII)),
    ("CDT", re.compile(r"^D\d{4}$", re.ASCII)),
    ("HCPCS", re.compile(r"^[A-CEGHJ-MP-V]\d{4}$", re.ASCII)),
    ("ICD-10-CM", re.compile(r"^[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?$", re.ASCII)),
)
RANGE = re.compile(r"^(?P<start>[A-Z0-9.]+)\s*[–—-]\s*(?P<end>[A-Z0-9.]+)$")
# Tokens in rendered text that a code extractor could take for a code.
CODE_SHAPED = re.compile(
    r"(?<!\w)(?:\d{5}|\d{4}[FTU]|[A-Z]\d{4}|[A-TV-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}|[A-TV-Z]\d\d)(?!\w)", re.ASCII
)
PMID = re.compile(r"PMID:?\s*(\d{6,9})")


def code_system(code: str) -> str | None:
    """The system a code string belongs to by its shape, or None."""
    for system, pattern in CODE_PATTERNS:
        if pattern.match(code):
            return system
    return None


def normalise_range(text: str) -> str | None:
    """'C18.0 – C18.9' → 'C18.0-C18.9' when both ends are codes of one system, else None."""
    match = RANGE.match(text.strip())
    if not match:
        return None
    start, end = match["start"], match["end"]
    if code_system(start) is None or code_system(start) != code_system(end):
        return None
    return f"{start}-{end}"


def icd10_description(code: str) -> str:
    import simple_icd_10_cm as icd

    if not icd.is_valid_item(code):
        raise ValueError(f"{code} is not an ICD-10-CM code")
    return str(icd.get_description(code))


# --------------------------------------------------------------------------- document model


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Paragraph:
    text: str
    style: str | None = None


@dataclass
class ListItem:
    marker: str
    text: str
    level: int


@dataclass
class ListBlock:
    items: list[ListItem]


@dataclass
class Row:
    cells: list[str]
    subhead: bool = False


@dataclass
class Table:
    header: list[str] | None
    rows: list[Row]


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | ListBlock | Table | PageBreak


@dataclass
class Facts:
    """What a source states, collected while it is parsed."""

    codes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    mentioned: dict[tuple[str, str], None] = field(default_factory=dict)
    ranges: list[str] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    has_references: bool = False
    history_count: int | None = None
    rendered_dates: set[str] = field(default_factory=set)

    def add_code(self, system: str, code: str, description: str | None, coverage: str | None) -> None:
        key = (system, code)
        if key not in self.codes:
            self.codes[key] = {
                "system": system,
                "code": code,
                "description": description,
                "coverage": coverage,
            }
        elif self.codes[key]["description"] is None:
            self.codes[key]["description"] = description

    def add_range(self, text: str) -> None:
        if text not in self.ranges:
            self.ranges.append(text)


@dataclass
class Source:
    path: Path
    meta: dict[str, Any]
    blocks: list[Block]
    facts: Facts

    @property
    def name(self) -> str:
        return str(self.meta["name"])

    @property
    def fmt(self) -> str:
        return str(self.meta["format"])


# --------------------------------------------------------------------------- parsing

MARK = re.compile(r"\{\{([LMRPD]):([^{}]*)\}\}")
COVER_MARK = re.compile(r"\{\{C:([a-z_]+):([^|{}]*)\|(.*?)\}\}")
LIST_LINE = re.compile(r"^(?P<indent> *)(?P<marker>[-•]|\d{1,2}\.|[a-z]\.|[ivx]{1,4}\.)\s+(?P<text>\S.*)$")
HEADING_LINE = re.compile(r"^(?P<hashes>#{1,4})\s+(?P<text>.+)$")
DIRECTIVE_LINE = re.compile(r"^@(?P<name>[a-z]+)\b(?P<args>.*)$")
SUBHEAD_STATUS = re.compile(r"^\|=\((?P<status>[a-z_]+)\)\s*(?P<text>.*)$")


def parse_date(value: str) -> date:
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return date.fromisoformat(value + "-01")
    return date.fromisoformat(value)


def plain(text: str) -> str:
    """Text without bold markers or soft breaks, whitespace collapsed."""
    return " ".join(text.replace("**", "").replace("<br>", " ").split())


class Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.facts = Facts()
        self.meta: dict[str, Any] = {}
        self.line = 0

    def error(self, message: str) -> SourceError:
        return SourceError(self.path, self.line, message)

    # ---- front matter

    def parse_meta(self, head: str) -> None:
        meta: dict[str, Any] = {key: [] for key in LIST_KEYS}
        for self.line, raw in enumerate(head.splitlines(), start=1):
            if not raw.strip() or raw.startswith("#"):
                continue
            key, sep, value = raw.partition(":")
            key, value = key.strip(), value.strip()
            if not sep:
                raise self.error(f"front matter line without 'key:': {raw!r}")
            if key in LIST_KEYS:
                if key == "distractors":
                    meta[key].extend(v.strip() for v in value.split(";") if v.strip())
                else:
                    meta[key].append(value)
            elif key in SCALAR_KEYS:
                meta[key] = value or None
            else:
                raise self.error(f"unknown front-matter key {key!r}")
        for key in REQUIRED_KEYS:
            if key not in meta:
                raise self.error(f"front matter lacks {key!r}")
        if meta["name"] != self.path.stem:
            raise self.error(f"name {meta['name']!r} differs from the file name")
        if meta["format"] not in FORMATS:
            raise self.error(f"format must be one of {FORMATS}")
        if meta["doc_type"] not in DOC_TYPES:
            raise self.error(f"doc_type must be one of {DOC_TYPES}")
        for key in DATE_FIELDS:
            meta.setdefault(key, None)
            if meta[key]:
                try:
                    parse_date(meta[key])
                except ValueError as exc:
                    raise self.error(f"{key}: {exc}") from exc
        meta["payer"] = None if meta["payer"] in (None, "null") else meta["payer"]
        meta["policy_number"] = None if meta["policy_number"] in (None, "null") else meta["policy_number"]
        self.meta = meta

    # ---- inline markers

    def expand(self, text: str) -> str:
        """Replace code, range, policy and date markers, then coverage markers, recording facts."""
        text = MARK.sub(self._expand_mark, text)
        return COVER_MARK.sub(self._expand_coverage, text)

    def _expand_mark(self, match: re.Match[str]) -> str:
        kind, body = match.group(1), match.group(2)
        if kind == "L":
            code, _, status = body.partition(":")
            self._check_status(status or None)
            self.facts.add_code(self._system(code), code, None, status or None)
            return code
        if kind == "M":
            self.facts.mentioned[(self._system(body), body)] = None
            return body
        if kind == "R":
            normal = normalise_range(body)
            if normal is None:
                raise self.error(f"not a code range: {body!r}")
            self.facts.add_range(normal)
            return body
        if kind == "P":
            if body not in self.facts.related:
                self.facts.related.append(body)
            return body
        field_name, _, fmt = body.partition(":")
        value = self.meta.get(field_name)
        if field_name not in DATE_FIELDS or not value:
            raise self.error(f"date marker for {field_name!r}, which the front matter does not set")
        self.facts.rendered_dates.add(field_name)
        return parse_date(value).strftime(fmt)

    def _expand_coverage(self, match: re.Match[str]) -> str:
        status, applies_to, statement = match.group(1), match.group(2).strip(), match.group(3)
        self._check_status(status)
        self.facts.coverage.append(
            {"statement_excerpt": plain(statement), "status": status, "applies_to": applies_to or None}
        )
        return statement

    def _check_status(self, status: str | None) -> None:
        if status is not None and status not in STATUSES:
            raise self.error(f"unknown status {status!r}")

    def _system(self, code: str) -> str:
        system = code_system(code)
        if system is None:
            raise self.error(f"{code!r} is not code-shaped")
        return system

    # ---- blocks

    def parse_body(self, body: str, first_line: int) -> list[Block]:
        blocks: list[Block] = []
        lines = body.splitlines()
        pending: dict[str, dict[str, str]] = {}
        index = 0
        while index < len(lines):
            self.line = first_line + index
            raw = lines[index].rstrip()
            if not raw.strip() or raw.startswith("//"):
                index += 1
                continue
            directive = DIRECTIVE_LINE.match(raw)
            if directive:
                name = directive["name"]
                args = dict(arg.split("=", 1) for arg in directive["args"].split())
                if name == "pagebreak":
                    blocks.append(PageBreak())
                elif name in {"codes", "references", "history", "style"}:
                    pending[name] = args
                else:
                    raise self.error(f"unknown directive @{name}")
                index += 1
                continue
            if raw.startswith("|"):
                end = index
                while end < len(lines) and lines[end].startswith("|"):
                    end += 1
                blocks.append(self.parse_table(lines[index:end], pending))
                index = end
                continue
            if LIST_LINE.match(raw):
                end = index
                while end < len(lines) and LIST_LINE.match(lines[end].rstrip()):
                    end += 1
                blocks.append(self.parse_list(lines[index:end], pending))
                index = end
                continue
            heading = HEADING_LINE.match(raw)
            if raw.startswith("> "):
                blocks.append(Paragraph(self.expand(raw[2:].strip()), "meta"))
            elif heading:
                blocks.append(Heading(len(heading["hashes"]), self.expand(heading["text"].strip())))
            else:
                style = pending.pop("style", {}).get("name")
                blocks.append(Paragraph(self.expand(raw.strip()), style))
            self._no_pending_table_directives(pending)
            index += 1
        self._no_pending_table_directives(pending)
        return blocks

    def _no_pending_table_directives(self, pending: dict[str, dict[str, str]]) -> None:
        for name in ("codes", "references", "history"):
            if name in pending:
                raise self.error(f"@{name} must be followed by a table or list")

    def parse_list(self, lines: list[str], pending: dict[str, dict[str, str]]) -> ListBlock:
        items = []
        for raw in lines:
            match = LIST_LINE.match(raw.rstrip())
            assert match is not None
            level = len(match["indent"]) // 2 + 1
            items.append(ListItem(match["marker"], self.expand(match["text"]), level))
            self.line += 1
        if pending.pop("references", None) is not None:
            self.facts.has_references = True
            self.facts.references.extend(plain(item.text) for item in items if item.level == 1)
        if pending.pop("history", None) is not None:
            self.facts.history_count = sum(1 for item in items if item.level == 1)
        if "codes" in pending:
            raise self.error("@codes applies to tables only")
        return ListBlock(items)

    def parse_table(self, lines: list[str], pending: dict[str, dict[str, str]]) -> Table:
        header: list[str] | None = None
        rows: list[Row] = []
        codes_args = pending.pop("codes", None)
        for raw in lines:
            stripped = raw.strip()
            if re.fullmatch(r"\|[-|: ]+", stripped):
                if not rows or header is not None:
                    raise self.error("a |--- line must follow the first row only")
                header = rows.pop().cells
            elif stripped.startswith("|="):
                switch = SUBHEAD_STATUS.match(stripped)
                if switch:
                    if codes_args is None:
                        raise self.error("a |=(status) row belongs in a @codes table")
                    codes_args = {**codes_args, "coverage": switch["status"]}
                    if switch["status"] == "none":
                        del codes_args["coverage"]
                    stripped = "|=" + switch["text"]
                rows.append(Row([self.expand(stripped[2:].strip())], subhead=True))
            else:
                cells = split_cells(stripped)
                if codes_args is None and "~" in cells:
                    raise self.error("a '~' description belongs in a @codes table")
                row = Row([self.expand(c) for c in cells])
                if codes_args is not None:
                    self._record_code_row(row, codes_args)
                rows.append(row)
            self.line += 1
        if pending.pop("history", None) is not None:
            self.facts.history_count = sum(1 for r in rows if not r.subhead)
        if "references" in pending:
            raise self.error("@references applies to lists only")
        return Table(header, rows)

    def _record_code_row(self, row: Row, args: dict[str, str]) -> None:
        first = plain(row.cells[0])
        status = args.get("coverage")
        self._check_status(status)
        desc_column = int(args.get("desc", "2")) - 1
        forced = args.get("system")
        normal = normalise_range(first)
        if normal:
            self.facts.add_range(normal)
            return
        codes = [c.strip() for c in first.split(",")]
        shaped = (
            all(re.fullmatch(r"[0-9A-Z.]{3,8}", c) for c in codes) if forced else all(map(code_system, codes))
        )
        if not shaped:
            return
        description: str | None = None
        if 0 <= desc_column < len(row.cells) and len(codes) == 1:
            description = plain(row.cells[desc_column]) or None
            if description == "~":
                try:
                    description = icd10_description(codes[0])
                except ValueError as exc:
                    raise self.error(str(exc)) from exc
                row.cells[desc_column] = description
        for code in codes:
            self.facts.add_code(forced or self._system(code), code, description, status)


def split_cells(row: str) -> list[str]:
    """The cells of a '| a | b |' row; a '|' inside a {{...}} marker does not split."""
    cells, current, depth = [], [], 0
    body = row.strip()[1:-1] if row.strip().endswith("|") else row.strip()[1:]
    position = 0
    while position < len(body):
        pair = body[position : position + 2]
        if pair in {"{{", "}}"}:
            depth += 1 if pair == "{{" else -1
            current.append(pair)
            position += 2
            continue
        if body[position] == "|" and depth == 0:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(body[position])
        position += 1
    cells.append("".join(current).strip())
    return cells


def parse_source(path: Path) -> Source:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    head, sep, body = text.partition("\n---\n")
    parser = Parser(path)
    if not sep:
        raise SourceError(path, None, "no '---' line between front matter and body")
    parser.parse_meta(head)
    parser.meta["chrome_top"] = [parser.expand(line) for line in parser.meta["chrome_top"]]
    parser.meta["chrome_bottom"] = [parser.expand(line) for line in parser.meta["chrome_bottom"]]
    blocks = parser.parse_body(body, head.count("\n") + 3)
    return Source(path, parser.meta, blocks, parser.facts)


# --------------------------------------------------------------------------- plain text


def list_marker(item: ListItem) -> str:
    return "•" if item.marker in {"-", "•"} else item.marker


def page_line(template: str | None, page: int, pages: int) -> str:
    return (template or "").replace("{page}", str(page)).replace("{pages}", str(pages))


def render_text(source: Source) -> str:
    """The document as plain text, as a PDF-to-text tool or a saved text page would give it."""
    meta = source.meta
    pages = 1 + sum(isinstance(b, PageBreak) for b in source.blocks)
    style = meta.get("table_style") or "tab"
    paged = bool(meta.get("page_header") or meta.get("page_footer")) and pages > 1
    out: list[str] = []

    def header(page: int) -> None:
        parts = [
            page_line(meta.get("page_header"), page, pages),
            page_line(meta.get("page_header_right"), page, pages),
        ]
        line = "    ".join(p for p in parts if p)
        if line:
            out.extend([line, ""])

    def footer(page: int) -> None:
        parts = [
            page_line(meta.get("page_footer"), page, pages),
            page_line(meta.get("page_footer_right"), page, pages),
        ]
        line = "    ".join(p for p in parts if p)
        if line:
            out.extend(["", line])

    page = 1
    last_was_meta = False
    if paged:
        header(page)
    for line in meta["chrome_top"]:
        out.append(plain(line))
    if meta["chrome_top"]:
        out.append("")
    for block in source.blocks:
        if isinstance(block, PageBreak):
            if paged:
                footer(page)
                out.append("\f")
                page += 1
                header(page)
            continue
        is_meta = isinstance(block, Paragraph) and block.style == "meta"
        if is_meta and last_was_meta and out and out[-1] == "":
            out.pop()
        last_was_meta = is_meta
        if isinstance(block, Heading | Paragraph):
            out.extend([plain(block.text), ""])
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.append("  " * (item.level - 1) + f"{list_marker(item)} {plain(item.text)}")
            out.append("")
        else:
            out.extend(table_text(block, style))
            out.append("")
    for line in meta["chrome_bottom"]:
        out.append(plain(line))
    if paged:
        footer(page)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def table_text(table: Table, style: str) -> list[str]:
    rows = ([table.header] if table.header else []) + [r.cells for r in table.rows]
    lines = []
    for cells in rows:
        texts = [plain(c) for c in cells]
        if style == "pipe":
            lines.append("| " + " | ".join(texts) + " |")
        elif style == "space":
            lines.append(" ".join(t for t in texts if t))
        else:
            lines.append("\t".join(texts))
    return lines


# --------------------------------------------------------------------------- HTML and PDF

BASE_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #1d1d1d; }
h1 { font-size: 17pt; margin: 0.3em 0 0.4em; } h2 { font-size: 13pt; margin: 1.1em 0 0.4em; }
h3 { font-size: 11.5pt; margin: 0.9em 0 0.3em; } h4 { font-size: 10.5pt; margin: 0.8em 0 0.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 0.9em; }
th, td { border: 1px solid #9a9a9a; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #e4e9ef; } tr.subhead td { background: #f1f1f1; font-weight: bold; }
p.meta { margin: 0.1em 0; } p.banner { font-size: 9pt; color: #555; border: 1px solid #bbb; padding: 4px; }
p.small { font-size: 8.5pt; color: #444; } ul.marked { list-style: none; padding-left: 1.2em; }
ul.marked li { padding-left: 1.6em; text-indent: -1.6em; }
ul.marked li > span.marker { display: inline-block; min-width: 1.6em; text-indent: 0; }
header.site, footer.site { font-size: 9pt; color: #333; border-bottom: 1px solid #ccc; margin-bottom: 1em; }
footer.site { border-top: 1px solid #ccc; border-bottom: none; margin-top: 2em; }
"""

FAMILY_CSS = {
    "bcbsa": "h1 { color: #0b4f8a; } h2 { border-bottom: 2px solid #0b4f8a; }",
    "aetna-cpb": "h1 { color: #7d3f98; } h2 { color: #7d3f98; }",
    "cigna": "h1 { color: #006d8f; } h2 { background: #eaf5f8; padding: 2px 4px; }",
    "uhc": "h1 { color: #002677; } h2 { color: #002677; border-bottom: 1px solid #002677; }",
    "medicare": "h1 { color: #1a4480; } h2 { color: #1a4480; }",
    "floridablue-mcg": "h2 { font-size: 11pt; text-transform: none; }",
    "humana": "h1 { color: #3a7a1c; } h2 { color: #3a7a1c; }",
    "anthem": "h1 { color: #1355a5; } h2 { color: #1355a5; }",
    "bcbs-minimal": "h1 { font-size: 14pt; }",
    "bulletin": "h1 { color: #0b4f8a; }",
    "code-page": "h1 { color: #333; }",
}

PRINT_CSS = """
@page { size: Letter; margin: 0.95in 0.7in 0.9in 0.7in;
  @top-left { content: %(top_left)s; font-size: 8pt; color: #444; }
  @top-right { content: %(top_right)s; font-size: 8pt; color: #444; }
  @bottom-left { content: %(bottom_left)s; font-size: 8pt; color: #444; }
  @bottom-right { content: %(bottom_right)s; font-size: 8pt; color: #444; } }
div.page-break { break-before: page; }
thead { display: table-header-group; } tr { break-inside: avoid; }
"""


def css_content(template: str | None) -> str:
    """A page-margin template ('Page {page} of {pages}') as a CSS content value."""
    if not template:
        return "none"
    parts = re.split(r"(\{page\}|\{pages\})", template)
    values = []
    for part in parts:
        if part == "{page}":
            values.append("counter(page)")
        elif part == "{pages}":
            values.append("counter(pages)")
        elif part:
            values.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(values) or "none"


def inline_html(text: str) -> str:
    escaped = html.escape(text, quote=False).replace("&lt;br&gt;", "<br>")
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def render_html(source: Source, for_print: bool) -> str:
    """Web page for .html; the same markup with page-margin boxes when rendered to PDF."""
    meta = source.meta
    family = str(meta["family"])
    css = BASE_CSS + FAMILY_CSS.get(family, "")
    if for_print:
        css += PRINT_CSS % {
            "top_left": css_content(meta.get("page_header")),
            "top_right": css_content(meta.get("page_header_right")),
            "bottom_left": css_content(meta.get("page_footer")),
            "bottom_right": css_content(meta.get("page_footer_right")),
        }
    title = html.escape(f"{meta['title']}" + (f" | {meta['payer']}" if meta["payer"] else ""))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        f'<head><meta charset="utf-8"><title>{title}</title><style>{css}</style>',
    ]
    if not for_print:
        parts.append(
            "<script>window.dataLayer = window.dataLayer || []; dataLayer.push({page: 'policy'});</script>"
        )
    parts.append(f'</head><body class="family-{html.escape(family)}">')
    if not for_print:
        parts.append('<a class="skip" href="#content">Skip to main content</a>')
    if meta["chrome_top"]:
        parts.append('<header class="site"><nav>')
        parts.extend(f"<div>{inline_html(line)}</div>" for line in meta["chrome_top"])
        parts.append("</nav></header>")
    parts.append('<main id="content"><article>')
    for block in source.blocks:
        parts.append(block_html(block, for_print))
    parts.append("</article></main>")
    if meta["chrome_bottom"]:
        parts.append('<footer class="site">')
        parts.extend(f"<p>{inline_html(line)}</p>" for line in meta["chrome_bottom"])
        parts.append("</footer>")
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"


def block_html(block: Block, for_print: bool) -> str:
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>' if for_print else ""
    if isinstance(block, Heading):
        return f"<h{block.level}>{inline_html(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        cls = f' class="{block.style}"' if block.style else ""
        return f"<p{cls}>{inline_html(block.text)}</p>"
    if isinstance(block, ListBlock):
        return list_html(block.items, for_print)
    return table_html(block)


def list_html(items: list[ListItem], for_print: bool) -> str:
    """Nested lists: <ul>/<ol> on web pages; in PDFs each marker is inline text, as in word-processor PDFs."""
    out: list[str] = []
    stack: list[str] = []

    def open_list(item: ListItem) -> None:
        if for_print:
            tag, attrs = "ul", ' class="marked"'
        elif item.marker in {"-", "•"}:
            tag, attrs = "ul", ""
        elif re.fullmatch(r"\d+\.", item.marker) and not for_print:
            tag, attrs = "ol", f' start="{item.marker[:-1]}"' if item.marker != "1." else ""
        else:
            tag, attrs = "ul", ' class="marked"'
        out.append(f"<{tag}{attrs}>")
        stack.append(tag)

    for item in items:
        while len(stack) > item.level:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == item.level:
            out.append("</li>")
        while len(stack) < item.level:
            open_list(item)
        semantic = item.marker in {"-", "•"} or re.fullmatch(r"\d+\.", item.marker)
        shown = "•" if item.marker == "-" else item.marker
        marker = "" if semantic and not for_print else f'<span class="marker">{html.escape(shown)}</span> '
        out.append(f"<li>{marker}{inline_html(item.text)}")
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "".join(out)


def table_html(table: Table) -> str:
    width = max([len(table.header or [])] + [len(r.cells) for r in table.rows])
    out = ["<table>"]
    if table.header:
        out.append(
            "<thead><tr>" + "".join(f"<th>{inline_html(c)}</th>" for c in table.header) + "</tr></thead>"
        )
    out.append("<tbody>")
    for row in table.rows:
        if row.subhead:
            out.append(f'<tr class="subhead"><td colspan="{width}">{inline_html(row.cells[0])}</td></tr>')
        else:
            out.append("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row.cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def write_pdf(source: Source, target: Path) -> None:
    from weasyprint import HTML

    HTML(string=render_html(source, for_print=True), base_url=str(target.parent)).write_pdf(
        target, pdf_identifier=source.name.encode()
    )


# --------------------------------------------------------------------------- DOCX


def write_docx(source: Source, target: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    meta = source.meta
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10.5)
    props = document.core_properties
    props.title = str(meta["title"])
    props.author = str(meta["payer"] or "")
    props.created = props.modified = BUILD_TIMESTAMP
    props.last_modified_by = ""
    props.revision = 1
    section = document.sections[0]
    header_text = "\t\t".join(p for p in (meta.get("page_header"), meta.get("page_header_right")) if p)
    footer_text = "\t\t".join(p for p in (meta.get("page_footer"), meta.get("page_footer_right")) if p)
    if header_text:
        add_field_text(section.header.paragraphs[0], header_text)
    if footer_text:
        add_field_text(section.footer.paragraphs[0], footer_text)
    for line in meta["chrome_top"]:
        add_runs(document.add_paragraph(), line)
    for block in source.blocks:
        if isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, Heading):
            add_runs(document.add_heading(level=min(block.level, 4)), block.text)
        elif isinstance(block, Paragraph):
            add_runs(document.add_paragraph(), block.text)
        elif isinstance(block, ListBlock):
            for item in block.items:
                if item.marker in {"-", "•"}:
                    style = "List Bullet" if item.level == 1 else f"List Bullet {min(item.level, 3)}"
                    add_runs(document.add_paragraph(style=style), item.text)
                else:
                    paragraph = document.add_paragraph()
                    paragraph.paragraph_format.left_indent = Pt(18 * item.level)
                    add_runs(paragraph, f"{item.marker} {item.text}")
        else:
            add_docx_table(document, block)
    for line in meta["chrome_bottom"]:
        add_runs(document.add_paragraph(), line)
    document.save(str(target))
    fix_zip_timestamps(target)


def fix_zip_timestamps(path: Path) -> None:
    """Rewrite a zip with fixed entry times, so that rebuilding an unchanged source gives the same bytes."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        stamp = BUILD_TIMESTAMP.timetuple()[:6]
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)


def add_runs(paragraph: Any, text: str) -> None:
    for position, piece in enumerate(text.split("**")):
        lines = piece.split("<br>")
        for line_no, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = position % 2 == 1 or None
            if line_no < len(lines) - 1:
                run.add_break()


def add_field_text(paragraph: Any, template: str) -> None:
    """Header/footer text with {page} and {pages} as Word PAGE / NUMPAGES fields."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for part in re.split(r"(\{page\}|\{pages\})", template):
        if part in {"{page}", "{pages}"}:
            fld = OxmlElement("w:fldSimple")
            fld.set(qn("w:instr"), "PAGE" if part == "{page}" else "NUMPAGES")
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            fld.append(run)
            paragraph._p.append(fld)
        elif part:
            paragraph.add_run(part)


def add_docx_table(document: Any, table: Table) -> None:
    width = max([len(table.header or [])] + [len(r.cells) for r in table.rows])
    rows = ([Row(table.header)] if table.header else []) + table.rows
    grid = document.add_table(rows=len(rows), cols=width)
    grid.style = "Table Grid"
    for row_index, row in enumerate(rows):
        cells = grid.rows[row_index].cells
        if row.subhead:
            merged = cells[0].merge(cells[-1]) if width > 1 else cells[0]
            add_runs(merged.paragraphs[0], f"**{row.cells[0]}**")
            continue
        for col, text in enumerate(row.cells):
            bold = table.header is not None and row_index == 0
            add_runs(cells[col].paragraphs[0], f"**{text}**" if bold and text else text)
    document.add_paragraph()


# --------------------------------------------------------------------------- facts and lint


def expected_facts(source: Source) -> dict[str, Any]:
    """The gold record for `source`, in the format of the development set's gold files."""
    meta, facts = source.meta, source.facts
    listed = list(facts.codes.values())
    mentioned = [{"system": s, "code": c} for (s, c) in facts.mentioned if (s, c) not in facts.codes]
    pmids: list[str] = []
    for ref in facts.references:
        pmids.extend(p for p in PMID.findall(ref) if p not in pmids)
    return {
        "source": f"medpolicy demo corpus: {source.name}.{source.fmt} (fictional document written for the "
        f"corpus; layout family {meta['family']})",
        "family": meta["family"],
        "format": source.fmt,
        "payer": meta["payer"],
        "policy_number": meta["policy_number"],
        "title": meta["title"],
        "doc_type": meta["doc_type"],
        "dates": {key: meta[key] for key in DATE_FIELDS},
        "codes": listed,
        "mentioned_codes": mentioned,
        "code_ranges": facts.ranges,
        "coverage": facts.coverage,
        "related_policies": facts.related,
        "references_count": len(facts.references) if facts.has_references else None,
        "pmids": pmids,
        "history_entries_count": facts.history_count,
        "distractors": meta["distractors"],
        "notes": meta.get("notes"),
    }


def range_ends(ranges: Iterable[str]) -> set[str]:
    ends: set[str] = set()
    for text in ranges:
        start, _, end = text.partition("-")
        ends.update((start, end))
    return ends


def lint(source: Source, text: str) -> list[str]:
    """Problems that would make the expected facts disagree with the document's text."""
    meta, facts = source.meta, source.facts
    problems = []
    flat = " ".join(text.split())
    known = {c for (_, c) in facts.codes} | {c for (_, c) in facts.mentioned} | range_ends(facts.ranges)
    declared = set(meta["distractors"])
    for token in sorted(set(CODE_SHAPED.findall(text))):
        if token not in known and token not in declared:
            problems.append(f"code-shaped token {token!r} is neither a code nor a declared distractor")
    for token in sorted(declared - set(CODE_SHAPED.findall(text))):
        problems.append(f"declared distractor {token!r} does not appear as a code-shaped token")
    for key in ("title", "payer", "policy_number"):
        value = meta.get("payer_in_text") or meta[key] if key == "payer" else meta[key]
        if value and " ".join(str(value).split()) not in flat:
            problems.append(f"{key} {value!r} does not appear in the text")
    for key in DATE_FIELDS:
        if meta[key] and key not in facts.rendered_dates:
            problems.append(f"date {key} is set but never rendered with a {{{{D:{key}:...}}}} marker")
    if "{{" in text or "}}" in text:
        problems.append("an unexpanded {{...}} marker is left in the text")
    for cov in facts.coverage:
        if cov["statement_excerpt"] not in flat:
            problems.append(f"coverage statement not found verbatim: {cov['statement_excerpt'][:60]!r}")
    if (
        meta["doc_type"] in {"medical_policy", "clinical_policy_bulletin", "billing_article"}
        and not facts.codes
    ):
        problems.append("a policy with no listed codes")
    return problems


# --------------------------------------------------------------------------- build


def load_sources(names: Iterable[str] | None = None) -> list[Source]:
    paths = sorted(SOURCES_DIR.glob("*.mpdoc"))
    if names:
        wanted = set(names)
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            raise SourceError(SOURCES_DIR, None, f"no sources named {sorted(missing)}")
    return [parse_source(p) for p in paths]


def render(source: Source, directory: Path) -> Path:
    target = directory / f"{source.name}.{source.fmt}"
    if source.fmt == "txt":
        target.write_text(render_text(source), encoding="utf-8")
    elif source.fmt == "html":
        target.write_text(render_html(source, for_print=False), encoding="utf-8")
    elif source.fmt == "pdf":
        write_pdf(source, target)
    else:
        write_docx(source, target)
    expected = directory / f"{source.name}.expected.json"
    expected.write_text(
        json.dumps(expected_facts(source), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target


def stale_outputs(sources: list[Source]) -> Iterator[Path]:
    """Rendered files whose source no longer exists."""
    names = {s.name for s in sources}
    for path in CORPUS_DIR.iterdir():
        stem = path.name.removesuffix(".expected.json") if path.name.endswith(".expected.json") else path.stem
        if stem not in names:
            yield path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="parse and lint only")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="sources to render")
    parser.add_argument(
        "--eval-dir", type=Path, help="also copy the corpus to DIR/docs and DIR/gold for scoring"
    )
    args = parser.parse_args(argv)
    try:
        sources = load_sources(args.only)
    except (SourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = False
    for source in sources:
        for problem in lint(source, render_text(source)):
            print(f"{source.name}: {problem}", file=sys.stderr)
            failed = True
    if failed:
        return 1
    if args.check:
        print(f"{len(sources)} sources parse and lint cleanly")
        return 0
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    for source in sources:
        print(f"rendered {render(source, CORPUS_DIR).relative_to(ROOT)}")
    if not args.only:
        for path in stale_outputs(sources):
            path.unlink()
            print(f"removed stale {path.relative_to(ROOT)}")
    if args.eval_dir:
        sys.path.insert(0, str(ROOT / "src"))
        from medpolicy.demo import write_evaluation_set

        docs, gold = write_evaluation_set(args.eval_dir)
        print(f"wrote {docs} and {gold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
