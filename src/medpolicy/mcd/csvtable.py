"""Reading one MCD table from its CSV file: CMS's encoding quirks, quoting, and errors that say where.

The files are mostly UTF-8, but cells pasted from word processors carry Windows-1252
bytes (curly quotes, ™, ®); each byte that is not valid UTF-8 is read as Windows-1252,
so a file mixing both still reads right. A byte-order mark is dropped; CRLF or LF line
ends and line breaks inside quoted cells are fine. The header must name every required
column of the table; unknown columns are ignored. A quote that is never closed (a
truncated file), a row with the wrong number of cells or NUL bytes raise
ImportFormatError naming the file, the line the record starts on and the column.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from medpolicy.errors import ImportFormatError
from medpolicy.mcd.archive import READ_ERRORS, TableSource
from medpolicy.mcd.tables import TableSpec

FIELD_LIMIT = 64 << 20  # the largest cell accepted; CMS's longest HTML cells are far below this
SHARED_CELL_CHARS = 256  # shorter cells are shared between rows (ids, versions, code descriptions)
_FALLBACK_ERRORS = "medpolicy-mcd-cp1252"


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return "\ufffd"


_CP1252 = tuple(_cp1252_char(b) for b in range(256))


def _read_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_CP1252[b] for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(_FALLBACK_ERRORS, _read_as_cp1252)


def decode(data: bytes) -> str:
    """Bytes of an MCD file as text: UTF-8 (BOM dropped), any invalid byte read as Windows-1252."""
    return data.decode("utf-8-sig", errors=_FALLBACK_ERRORS)


class Row:
    """One record: the table's columns by name, the file and line it starts on."""

    __slots__ = ("_index", "_values", "line", "source")

    def __init__(self, index: dict[str, int], values: tuple[str, ...], line: int, source: str) -> None:
        self._index = index
        self._values = values
        self.line = line
        self.source = source

    def __getitem__(self, column: str) -> str:
        """The cell, stripped ('' for an optional column the file does not have)."""
        return self._values[self._index[column]]

    def key(self) -> tuple[str, ...]:
        """Every cell: two rows with equal keys say the same thing."""
        return self._values

    def where(self) -> str:
        return f"{self.source}, line {self.line}"


@dataclass(slots=True)
class Table:
    """A table's rows from one or more files (the same table can come from several downloads)."""

    spec: TableSpec
    labels: list[str] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # columns some file has
    rows: list[Row] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.present


def read_table(source: TableSource, spec: TableSpec, into: Table, shared: dict[str, str]) -> None:
    """Append the rows of `source` to `into`; short cells are deduplicated through `shared`."""
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    into.labels.append(source.label)
    try:
        with source.open() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors=_FALLBACK_ERRORS, newline="")
            _read_rows(source, spec, into, shared, text)
    except READ_ERRORS as exc:
        raise ImportFormatError(source.label, f"cannot be read ({exc})") from None


def _read_rows(
    source: TableSource, spec: TableSpec, into: Table, shared: dict[str, str], text: Iterator[str]
) -> None:
    records = _records(source, text)
    header_line, header = next(records, (1, []))
    if not header:
        raise ImportFormatError(source.label, "the file is empty: no header row")
    names = [cell.strip().strip('"').lstrip("\ufeff").strip().lower() for cell in header]
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        positions.setdefault(name, position)
    for column in spec.required:
        if column not in positions:
            raise ImportFormatError(
                source.label,
                f"the header has no {column!r} column, which a {spec.name} table needs "
                f"(it has: {', '.join(n for n in names if n) or 'no names'})",
                header_line,
                column,
            )
    wanted = [positions.get(column) for column in spec.columns]
    into.present.update(
        column for column, position in zip(spec.columns, wanted, strict=True) if position is not None
    )
    index = {column: i for i, column in enumerate(spec.columns)}
    width = len(header)
    for line, cells in records:
        if not cells:
            continue
        if len(cells) != width:
            _wrong_width(source, line, cells, names)
        values = tuple(_shared(cells[p].strip(), shared) if p is not None else "" for p in wanted)
        into.rows.append(Row(index, values, line, source.label))


def _records(source: TableSource, text: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, cells) for every record; a broken record raises ImportFormatError."""
    reader = csv.reader(text, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _broken_record(source, start, exc) from None
        yield start, cells
        start = reader.line_num + 1


def _wrong_width(source: TableSource, line: int, cells: list[str], names: list[str]) -> None:
    if len(cells) < len(names):
        column = names[len(cells)] or f"field {len(cells) + 1}"
        reason = f"the row has {len(cells)} cells but the header has {len(names)} (is the file cut short?)"
    else:
        column = f"field {len(names) + 1}"
        reason = f"the row has {len(cells)} cells but the header has {len(names)} (a stray comma or quote?)"
    raise ImportFormatError(source.label, reason, line, column)


def _broken_record(source: TableSource, start: int, exc: csv.Error) -> ImportFormatError:
    message = str(exc)
    if "end of data" in message or "field larger" in message:
        reason = "a quoted cell is never closed (is the file truncated?)"
    else:
        reason = f"badly quoted cell ({message})"
    return ImportFormatError(source.label, reason, start, _broken_column(source, start))


def _broken_column(source: TableSource, start: int) -> str | None:
    """The header name of the cell where a broken record goes wrong, found by reading it again."""
    try:
        with source.open() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors=_FALLBACK_ERRORS, newline="")
            header = next(csv.reader(text), [])
            for _ in range(start - 2):
                text.readline()
            index = _failing_cell(char for line in text for char in line)
    except READ_ERRORS:
        return None
    except csv.Error:
        return None
    name = header[index].strip().lower() if index < len(header) else ""
    return name or f"field {index + 1}"


def _failing_cell(chars: Iterator[str]) -> int:
    """The index of the cell where a record's quoting breaks: a quote never closed, or text after one."""
    cell, quoted, closing, at_start = 0, False, False, True
    for char in chars:
        if quoted:
            if closing:
                if char == '"':
                    closing = False  # a doubled quote inside the cell
                    continue
                if char != ",":
                    return cell  # text after the closing quote (or the record's end)
                quoted = closing = False
                cell, at_start = cell + 1, True
            elif char == '"':
                closing = True
            continue
        if char == '"' and at_start:
            quoted, at_start = True, False
        elif char == ",":
            cell, at_start = cell + 1, True
        elif char in "\r\n":
            return cell
        else:
            at_start = False
    return cell


def _shared(cell: str, shared: dict[str, str]) -> str:
    if len(cell) > SHARED_CELL_CHARS:
        return cell
    return shared.setdefault(cell, cell)
