"""Reading reference-data files (CMS downloads, licensed tables) with errors that say where.

CMS files put a few preamble lines (title, copyright notice) above the header, spell
column names a little differently from year to year and sometimes split a header over
two rows ("NON-FAC" above "PE RVU"). `read_table` finds the header by the columns it
needs, matching names by their words (case, punctuation and word order ignored), and
reports every problem as an ImportFormatError naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from medpolicy.errors import ImportFormatError

HEADER_SEARCH_ROWS = 60
NUMBER_LIMIT = Decimal(10) ** 8  # above any fee or RVU; keeps values inside the store's NUMERIC columns

_WORD_SYNONYMS = {
    "NONFACILITY": "NONFAC",
    "FACILITY": "FAC",
    "RVUS": "RVU",
    "CONVERSION": "CONV",
    "MODIFIER": "MOD",
    "DESC": "DESCRIPTION",
    "DESCRIPTOR": "DESCRIPTION",
    "CODES": "CODE",
}
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
# Tags that sit inside a word or sentence ("<b>Cane</b>, ..."): dropped without a space.
_INLINE_TAGS = frozenset(
    ["a", "abbr", "b", "big", "code", "em", "font", "i", "mark", "small", "span", "strong", "sub", "sup", "u"]
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # physical line (1-based) the record starts on
    cells: list[str]

    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True, slots=True)
class Field:
    """A column an importer reads: its display label and the names CMS files give it."""

    key: str
    label: str
    names: tuple[str, ...]

    def matches(self, header_name: str) -> bool:
        words = name_words(header_name)
        return any(words == name_words(name) for name in self.names)


@dataclass(frozen=True, slots=True)
class ParsedTable:
    path: str
    header_line: int
    columns: dict[str, int]  # Field.key -> cell index
    labels: dict[str, str]  # Field.key -> label, for messages
    preamble: list[Row]
    rows: list[Row]  # data rows after the header, blank rows left out

    def has(self, key: str) -> bool:
        return key in self.columns

    def cell(self, row: Row, key: str, required: bool = False) -> str:
        """The stripped cell of `key` in `row` ('' when the column is absent or the row is short)."""
        index = self.columns.get(key)
        if index is None or index >= len(row.cells):
            if required:
                raise ImportFormatError(
                    self.path,
                    "the row ends before this column (is the file truncated?)",
                    row.line,
                    self.labels[key],
                )
            return ""
        return row.cells[index].strip()


def name_words(name: str) -> frozenset[str]:
    """The words of a column name, upper case, with CMS's spelling variants merged."""
    text = re.sub(r"NON[\s\-_]*FAC(?:ILITY)?", "NONFAC", name.upper())
    return frozenset(_WORD_SYNONYMS.get(word, word) for word in re.findall(r"[A-Z0-9]+", text))


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    label = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(label, "no such file") from None
    except IsADirectoryError:
        raise ImportFormatError(label, "is a folder, not a file") from None
    except OSError as exc:
        raise ImportFormatError(label, f"cannot be read ({exc.strerror})") from None
    if data.startswith(b"PK\x03\x04"):
        raise ImportFormatError(
            label, "is a ZIP archive or an Excel workbook; unzip it, or save the sheet as CSV"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFormatError(label, "starts like UTF-16 text but is not valid UTF-16") from None
    elif b"\x00" in data:
        raise ImportFormatError(label, "contains NUL bytes: not a text file")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise ImportFormatError(label, "the file is empty")
    return text


def csv_rows(path: str, text: str, delimiter: str = ",", names: Sequence[str] = ()) -> list[Row]:
    """Every record of `text` with the line it starts on; a broken quote raises with its line and column.

    `names` labels the cells for messages; without them a cell is called "field N".
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise _broken_record(path, text, start, delimiter, names or _header_guess(rows), exc) from None
        rows.append(Row(start, cells))
        start = reader.line_num + 1


def read_table(
    path: str,
    rows: list[Row],
    fields: Sequence[Field],
    is_header: Callable[[set[str]], bool],
    required: Sequence[str],
    looking_for: str,
) -> ParsedTable:
    """Find the header among the first rows and check it names every required column.

    `is_header` decides, from the keys of the fields a row names, whether it is the
    header; `looking_for` describes the header for the error when none is found.
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        above = rows[index - 1] if index > 0 else None
        columns = _match_header(row, above, fields)
        if not is_header(set(columns)):
            continue
        labels = {f.key: f.label for f in fields}
        for key in required:
            if key not in columns:
                raise ImportFormatError(path, "the header has no such column", row.line, labels[key])
        data = [r for r in rows[index + 1 :] if not r.blank()]
        return ParsedTable(path, row.line, columns, labels, rows[:index], data)
    raise ImportFormatError(
        path, f"no header row found in the first {HEADER_SEARCH_ROWS} rows ({looking_for})"
    )


def clean_text(text: str) -> str:
    """Cell text fit to store: HTML tags dropped, entities decoded, whitespace collapsed."""
    if "<" in text:
        text = _TAG.sub(lambda tag: "" if tag.group(1).lower() in _INLINE_TAGS else " ", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def parse_number(table: ParsedTable, row: Row, key: str, required: bool = False) -> Decimal | None:
    """The cell as a Decimal ("$1,234.50" → 1234.50); None when blank; an error naming the cell otherwise.

    `required` means the row must reach the column (a blank cell is still None).
    """
    raw = table.cell(row, key, required=required)
    text = raw.replace("$", "").replace(",", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) >= NUMBER_LIMIT:
        raise ImportFormatError(table.path, f"expected an amount, found {raw!r}", row.line, table.labels[key])
    return value


def _match_header(row: Row, above: Row | None, fields: Sequence[Field]) -> dict[str, int]:
    """Field key → column index for the fields `row` names, reading a two-row header where it helps."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        candidates = [cell]
        if above is not None and index < len(above.cells) and above.cells[index].strip():
            candidates.insert(0, f"{above.cells[index]} {cell}")
        for candidate in candidates:
            field = next((f for f in fields if f.key not in columns and f.matches(candidate)), None)
            if field is not None:
                columns[field.key] = index
                break
    return columns


def _header_guess(rows: list[Row]) -> list[str]:
    """Names for a record's cells before the header is known: the widest row so far, if any."""
    return max((row.cells for row in rows[:HEADER_SEARCH_ROWS]), key=len, default=[])


def _broken_record(
    path: str, text: str, start: int, delimiter: str, names: Sequence[str], exc: csv.Error
) -> ImportFormatError:
    if "NUL" in str(exc):
        return ImportFormatError(path, "contains NUL bytes: not a text file", start)
    # Re-read the record leniently to see which cell the stray quote opened.
    rest = io.StringIO(text, newline="")
    for _ in range(start - 1):
        rest.readline()
    partial = next(csv.reader(rest, delimiter=delimiter), [])
    index = max(len(partial) - 1, 0)
    column = names[index].strip() if index < len(names) and names[index].strip() else f"field {index + 1}"
    message = str(exc)
    if "end of data" in message or "field larger" in message:
        reason = "a quoted field is never closed (is the file truncated?)"
    else:
        reason = f"badly quoted field ({message})"
    return ImportFormatError(path, reason, start, column)
