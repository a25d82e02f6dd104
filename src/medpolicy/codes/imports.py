"""Importers for reference data: CMS HCPCS Level II, CLFS and PFS RVU files, and a user's CPT file.

Each importer reads the whole file first, so a bad file raises ImportFormatError (naming
file, line and column) before anything is written; then it writes in one transaction.
Rows are matched on their natural keys (see `medpolicy.codes.tables`), so importing the
same file again inserts nothing, and a newer release updates what changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Table, and_, false, insert, or_, select, update

from medpolicy.codes.sourcefile import (
    HEADER_SEARCH_ROWS,
    Field,
    ParsedTable,
    Row,
    clean_text,
    csv_rows,
    name_words,
    parse_number,
    read_table,
    read_text,
)
from medpolicy.codes.systems import classify
from medpolicy.codes.tables import code_descriptions, fee_schedule
from medpolicy.errors import ImportFormatError
from medpolicy.store.engine import write_transaction

HCPCS_SOURCE = "CMS HCPCS Level II file"
CLFS_SOURCE = "CMS Clinical Laboratory Fee Schedule"
PFS_SOURCE = "CMS Physician Fee Schedule RVU file"

_CENTS = Decimal("0.01")
_RVU = Decimal("0.001")
_FACTOR = Decimal("0.0001")
_FEE_CODE = re.compile(r"^[0-9A-Z]{5}$")
_HCPCS_LINE_WIDTH = 80  # the fixed-width long-description field; CSV exports keep the same chunks


@dataclass(frozen=True, slots=True)
class ImportSummary:
    rows: int  # records read from the file (codes for HCPCS and CPT files, fee rows otherwise)
    inserted: int  # records that added something to the store
    unchanged: int  # records the store already held as they are
    file: str
    updated: int = 0  # records that changed what the store held (a newer release)

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows} rows ({self.inserted} new, {self.updated} changed, "
            f"{self.unchanged} unchanged)"
        )


@dataclass(slots=True)
class _Entry:
    """What one record of a file contributes to the store."""

    descriptions: list[dict[str, Any]] = field(default_factory=list)
    fees: list[dict[str, Any]] = field(default_factory=list)


# --- HCPCS Level II ---------------------------------------------------------------------------------

_HCPCS_FIELDS = (
    Field("code", "HCPC", ("HCPC", "HCPCS", "HCPCS CODE")),
    Field("seq", "SEQNUM", ("SEQNUM", "SEQ NUM", "SEQUENCE NUMBER")),
    Field("recid", "RECID", ("RECID", "REC ID", "RECORD ID")),
    Field("long", "LONG DESCRIPTION", ("LONG DESCRIPTION",)),
    Field("short", "SHORT DESCRIPTION", ("SHORT DESCRIPTION",)),
)


@dataclass(slots=True)
class _HcpcsLine:
    line: int
    code: str
    seq: int
    recid: str
    long: str
    short: str


def import_hcpcs(engine: Engine, path: str | Path) -> ImportSummary:
    """Import the CMS HCPCS Level II annual file: the CSV export or the fixed-width TXT.

    Record 3 starts a code, 4 continues its long description (joined in SEQNUM order);
    modifier records (7, 8) are left out: `medpolicy.codes.modifiers` covers modifiers.
    """
    file = Path(path)
    text = read_text(file)
    if file.suffix.lower() == ".csv" or _has_hcpcs_header(text):
        lines = _hcpcs_csv_lines(str(file), text)
    else:
        lines = _hcpcs_fixed_width_lines(str(file), text)
    by_code: dict[str, list[_HcpcsLine]] = {}
    for line in lines:
        if line.recid in ("3", "4"):
            by_code.setdefault(line.code, []).append(line)
    entries = []
    for code, parts in by_code.items():
        system = _hcpcs_system(str(file), parts[0])
        ordered = sorted(parts, key=lambda p: p.seq)
        entry = _Entry()
        long_text = clean_text(_join_chunks([p.long for p in ordered]))
        short_text = clean_text(next((p.short for p in ordered if p.recid == "3"), ""))
        for kind, description in (("long", long_text), ("short", short_text)):
            if description:
                entry.descriptions.append(
                    {"system": system, "code": code, "kind": kind, "description": description}
                )
        entries.append(entry)
    if not entries:
        raise ImportFormatError(str(file), "no HCPCS code records (RECID 3) in the file")
    return _store(engine, file, HCPCS_SOURCE, entries)


def _has_hcpcs_header(text: str) -> bool:
    for raw_line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        words = [name_words(cell) for cell in raw_line.split(",")]
        if frozenset({"RECID"}) in words and any(w in ({"HCPC"}, {"HCPCS"}) for w in words):
            return True
    return False


def _hcpcs_csv_lines(path: str, text: str) -> list[_HcpcsLine]:
    table = read_table(
        path,
        csv_rows(path, text),
        _HCPCS_FIELDS,
        is_header=lambda keys: {"code", "recid"} <= keys,
        required=("code", "seq", "recid", "long"),
        looking_for="columns HCPC, SEQNUM, RECID and LONG DESCRIPTION",
    )
    lines = []
    for row in table.rows:
        recid = table.cell(row, "recid", required=True)
        seq = table.cell(row, "seq", required=True)
        _check_hcpcs_record(path, row.line, recid, seq)
        lines.append(
            _HcpcsLine(
                row.line,
                table.cell(row, "code", required=True).upper(),
                int(seq),
                recid,
                _raw_cell(table, row, "long"),
                table.cell(row, "short"),
            )
        )
    return lines


def _raw_cell(table: ParsedTable, row: Row, key: str) -> str:
    """A cell without stripping, so the spaces that separate continued lines survive."""
    index = table.columns[key]
    return row.cells[index] if index < len(row.cells) else ""


def _hcpcs_fixed_width_lines(path: str, text: str) -> list[_HcpcsLine]:
    """The record layout: HCPC 1-5, SEQNUM 6-10, RECID 11, long description 12-91, short 92-119."""
    lines = []
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.rstrip("\r")
        if not line.strip():
            continue
        if len(line) < 12:
            raise ImportFormatError(
                path,
                "line too short for the fixed-width HCPCS layout (is the file truncated?)",
                number,
                "RECID",
            )
        _check_hcpcs_record(path, number, line[10], line[5:10].strip())
        lines.append(
            _HcpcsLine(
                number, line[0:5].strip().upper(), int(line[5:10]), line[10], line[11:91], line[91:119]
            )
        )
    return lines


def _check_hcpcs_record(path: str, line: int, recid: str, seq: str) -> None:
    if recid not in ("3", "4", "7", "8"):
        raise ImportFormatError(
            path, f"record type {recid!r} is not 3, 4, 7 or 8 (not a HCPCS file?)", line, "RECID"
        )
    if not (seq.isascii() and seq.isdigit()):
        raise ImportFormatError(path, f"expected a sequence number, found {seq!r}", line, "SEQNUM")


def _hcpcs_system(path: str, first: _HcpcsLine) -> str:
    system = classify(first.code)
    if system not in ("HCPCS", "CDT", "CPT"):
        raise ImportFormatError(path, f"{first.code!r} is not a HCPCS code", first.line, "HCPC")
    return system


def _join_chunks(chunks: Sequence[str]) -> str:
    """Join a description CMS split into 80-character lines, which may break inside a word."""
    joined = ""
    for chunk in chunks:
        if (
            not joined
            or joined[-1].isspace()
            or chunk[:1].isspace()
            or len(joined.rstrip()) % _HCPCS_LINE_WIDTH == 0
        ):
            joined += chunk
        else:
            joined += " " + chunk
    return joined


# --- Clinical Laboratory Fee Schedule -----------------------------------------------------------------

_CLFS_FIELDS = (
    Field("year", "YEAR", ("YEAR",)),
    Field("code", "HCPCS", ("HCPCS", "HCPCS CODE", "CPT/HCPCS", "CODE")),
    Field("mod", "MOD", ("MOD",)),
    Field("effective", "EFF_DATE", ("EFF DATE", "EFFECTIVE DATE")),
    Field("indicator", "INDICATOR", ("INDICATOR", "IND")),
    Field("rate", "RATE", ("RATE", "PAYMENT RATE", "NATIONAL LIMIT")),
    Field("short", "SHORTDESC", ("SHORTDESC", "SHORT DESCRIPTION")),
    Field("long", "LONGDESC", ("LONGDESC", "LONG DESCRIPTION")),
)


def import_clfs(engine: Engine, path: str | Path, year: int | None = None) -> ImportSummary:
    """Import a Clinical Laboratory Fee Schedule CSV (national limit per code and modifier).

    The year comes from the YEAR column, else `year`, else the preamble or file name.
    """
    file = Path(path)
    label = str(file)
    table = read_table(
        label,
        csv_rows(label, read_text(file)),
        _CLFS_FIELDS,
        is_header=lambda keys: "code" in keys and ("rate" in keys or len(keys) >= 3),
        required=("code", "rate"),
        looking_for="columns HCPCS and RATE",
    )
    default_year = year if year is not None else _year_from(table, file)
    entries = []
    for row in table.rows:
        code = _fee_code(table, row)
        modifier = table.cell(row, "mod").upper()
        fee = {
            "schedule": "CLFS",
            "year": _row_year(table, row, default_year),
            "code": code,
            "modifier": modifier,
            "locality": "",
            "status": table.cell(row, "indicator") or None,
            "effective_date": _iso_date(table, row, "effective"),
            "amount": _quantize(parse_number(table, row, "rate", required=True), _CENTS),
        }
        entry = _Entry(fees=[fee])
        if not modifier:
            entry.descriptions = _descriptions(
                code, (("short", table.cell(row, "short")), ("long", table.cell(row, "long")))
            )
        entries.append(entry)
    return _store(engine, file, CLFS_SOURCE, entries)


# --- Physician Fee Schedule RVU file ----------------------------------------------------------------------

_PFS_FIELDS = (
    Field("code", "HCPCS", ("HCPCS", "HCPCS CODE", "CPT/HCPCS")),
    Field("mod", "MOD", ("MOD",)),
    Field("description", "DESCRIPTION", ("DESCRIPTION", "SHORT DESCRIPTION")),
    Field("status", "STATUS CODE", ("STATUS CODE", "STATUS", "STATUS INDICATOR")),
    Field("work", "WORK RVU", ("WORK RVU",)),
    Field("pe_nonfac", "NON-FAC PE RVU", ("NON-FAC PE RVU", "FULLY IMPLEMENTED NON-FAC PE RVU")),
    Field("pe_fac", "FACILITY PE RVU", ("FACILITY PE RVU", "FULLY IMPLEMENTED FACILITY PE RVU")),
    Field("mp", "MP RVU", ("MP RVU", "MALPRACTICE RVU", "PLI RVU")),
    Field("total_nonfac", "NON-FACILITY TOTAL", ("NON-FACILITY TOTAL", "NON-FACILITY TOTAL RVU")),
    Field("total_fac", "FACILITY TOTAL", ("FACILITY TOTAL", "FACILITY TOTAL RVU")),
    Field("factor", "CONV FACTOR", ("CONV FACTOR", "CONVERSION FACTOR")),
    Field("year", "YEAR", ("YEAR",)),
)
_RVU_KEYS = ("work", "pe_nonfac", "pe_fac", "mp", "total_nonfac", "total_fac")


def import_pfs(engine: Engine, path: str | Path, year: int | None = None) -> ImportSummary:
    """Import a Physician Fee Schedule relative value file (PPRRVU) saved as CSV.

    National payment = total RVUs × conversion factor, when the file has the factor.
    Totals missing from the file are the sum of work, practice expense and malpractice RVUs.
    """
    file = Path(path)
    label = str(file)
    table = read_table(
        label,
        csv_rows(label, read_text(file)),
        _PFS_FIELDS,
        is_header=lambda keys: "code" in keys and any(k in keys for k in _RVU_KEYS),
        required=("code", "work"),
        looking_for="columns HCPCS and WORK RVU",
    )
    default_year = year if year is not None else _year_from(table, file)
    entries = []
    for row in table.rows:
        code = _fee_code(table, row)
        modifier = table.cell(row, "mod").upper()
        rvu = {
            key: _quantize(parse_number(table, row, key, required=key == "work"), _RVU) for key in _RVU_KEYS
        }
        for total, pe in (("total_nonfac", "pe_nonfac"), ("total_fac", "pe_fac")):
            parts = (rvu["work"], rvu[pe], rvu["mp"])
            if rvu[total] is None and all(p is not None for p in parts):
                rvu[total] = sum((p for p in parts if p is not None), Decimal(0))
        factor = _quantize(parse_number(table, row, "factor"), _FACTOR)
        fee = {
            "schedule": "PFS",
            "year": _row_year(table, row, default_year),
            "code": code,
            "modifier": modifier,
            "locality": "",
            "status": table.cell(row, "status") or None,
            "effective_date": None,
            "amount": _payment(rvu["total_nonfac"], factor),
            "facility_amount": _payment(rvu["total_fac"], factor),
            "work_rvu": rvu["work"],
            "pe_rvu_nonfacility": rvu["pe_nonfac"],
            "pe_rvu_facility": rvu["pe_fac"],
            "mp_rvu": rvu["mp"],
            "total_rvu_nonfacility": rvu["total_nonfac"],
            "total_rvu_facility": rvu["total_fac"],
            "conversion_factor": factor,
        }
        entry = _Entry(fees=[fee])
        if not modifier:
            entry.descriptions = _descriptions(code, (("short", table.cell(row, "description")),))
        entries.append(entry)
    return _store(engine, file, PFS_SOURCE, entries)


def _payment(total: Decimal | None, factor: Decimal | None) -> Decimal | None:
    return _quantize(total * factor, _CENTS) if total is not None and factor is not None else None


# --- a user's licensed CPT file -------------------------------------------------------------------------

_CPT_FIELDS = (
    Field("code", "code", ("CODE", "CPT", "CPT CODE", "HCPCS", "HCPCS CODE", "CPT/HCPCS")),
    Field(
        "description",
        "description",
        ("DESCRIPTION", "LONG DESCRIPTION", "LONG DESCRIPTOR", "FULL DESCRIPTION", "DESCRIPTOR"),
    ),
)


def import_cpt(engine: Engine, path: str | Path) -> ImportSummary:
    """Import a licensed CPT descriptor table: CSV (or tab-separated) `code,description`, header optional."""
    file = Path(path)
    label = str(file)
    text = read_text(file)
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = "\t" if "\t" in first_line else ","
    rows = [row for row in csv_rows(label, text, delimiter, names=("code", "description")) if not row.blank()]
    if not rows:
        raise ImportFormatError(label, "the file has no rows")
    if classify(rows[0].cells[0].strip().upper()) in ("CPT", "HCPCS"):
        table = ParsedTable(label, 0, {"code": 0, "description": 1}, _labels(_CPT_FIELDS), [], rows)
    else:
        table = read_table(
            label,
            rows,
            _CPT_FIELDS,
            is_header=bool,
            required=("code", "description"),
            looking_for="a code and a description column, or no header at all",
        )
    entries = []
    for row in table.rows:
        code = table.cell(row, "code", required=True).upper()
        system = classify(code)
        if system not in ("CPT", "HCPCS"):
            raise ImportFormatError(label, f"{code!r} is not a CPT or HCPCS code", row.line, "code")
        description = clean_text(table.cell(row, "description", required=True))
        if not description:
            raise ImportFormatError(label, "the description is empty", row.line, "description")
        entries.append(
            _Entry(
                descriptions=[{"system": system, "code": code, "kind": "long", "description": description}]
            )
        )
    return _store(engine, file, f"user CPT file {file.name}", entries)


# --- shared ------------------------------------------------------------------------------------------------


def _labels(fields: Sequence[Field]) -> dict[str, str]:
    return {f.key: f.label for f in fields}


def _fee_code(table: ParsedTable, row: Row) -> str:
    code = table.cell(row, "code", required=True).upper()
    if not _FEE_CODE.match(code):
        raise ImportFormatError(
            table.path, f"{code!r} is not a HCPCS/CPT code", row.line, table.labels["code"]
        )
    return code


def _descriptions(code: str, texts: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Description rows for a fee-schedule code (digits first: CPT; a letter first: HCPCS Level II)."""
    system = classify(code) or ("CPT" if code[0].isdigit() else "HCPCS")
    found = []
    for kind, text in texts:
        cleaned = clean_text(text)
        if cleaned:
            found.append({"system": system, "code": code, "kind": kind, "description": cleaned})
    return found


def _quantize(value: Decimal | None, step: Decimal) -> Decimal | None:
    """Round to the column's scale, so a re-import compares equal to what the store kept."""
    return value.quantize(step, rounding=ROUND_HALF_UP) if value is not None else None


def _year_from(table: ParsedTable, file: Path) -> int | None:
    """The year a fee file is for: its title lines, else its name (PPRRVU25_JAN → 2025)."""
    for row in table.preamble:
        match = re.search(r"\b(20\d\d)\b", " ".join(row.cells))
        if match:
            return int(match.group(1))
    match = re.search(r"(20\d\d)", file.name) or re.search(r"(?:RVU|CLAB)(\d\d)", file.name.upper())
    if match:
        year = match.group(1)
        return int(year) if len(year) == 4 else 2000 + int(year)
    return None


def _row_year(table: ParsedTable, row: Row, default: int | None) -> int:
    text = table.cell(row, "year")
    if text:
        if not re.fullmatch(r"(19|20)\d\d", text):
            raise ImportFormatError(
                table.path, f"expected a year, found {text!r}", row.line, table.labels["year"]
            )
        return int(text)
    if default is None:
        raise ImportFormatError(
            table.path,
            "cannot tell which year the fees are for: no YEAR column or year in the title; pass the year",
        )
    return default


def _iso_date(table: ParsedTable, row: Row, key: str) -> str | None:
    """YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY as an ISO date."""
    text = table.cell(row, key)
    if not text:
        return None
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ImportFormatError(table.path, f"expected a date, found {text!r}", row.line, table.labels[key])


# --- writing ---------------------------------------------------------------------------------------------

_OUTCOME_RANK = {"unchanged": 0, "updated": 1, "inserted": 2}
_FEE_KEYS = ("schedule", "year", "code", "modifier", "locality")
_FEE_VALUES = tuple(c.name for c in fee_schedule.columns if c.name not in (*_FEE_KEYS, "id", "source_file"))


class _Upserter:
    """Insert-or-update rows of one table by natural key, remembering what each put did."""

    def __init__(
        self,
        conn: Connection,
        table: Table,
        keys: Sequence[str],
        values: Sequence[str],
        scope: ColumnElement[bool],
    ) -> None:
        self.conn, self.table, self.keys, self.values = conn, table, tuple(keys), tuple(values)
        self.known: dict[tuple[Any, ...], tuple[Any, ...]] = {
            tuple(row[k] for k in self.keys): tuple(row[v] for v in self.values)
            for row in conn.execute(select(table).where(scope)).mappings()
        }
        self.inserts: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.updates: dict[tuple[Any, ...], dict[str, Any]] = {}

    def put(self, row: dict[str, Any]) -> str:
        key = tuple(row[k] for k in self.keys)
        values = tuple(row.get(v) for v in self.values)
        before = self.known.get(key)
        self.known[key] = values
        if before is None:
            self.inserts[key] = row
            return "inserted"
        if before == values:
            return "unchanged"
        (self.inserts if key in self.inserts else self.updates)[key] = row
        return "updated"

    def flush(self) -> None:
        if self.inserts:
            self.conn.execute(insert(self.table), list(self.inserts.values()))
        for key, row in self.updates.items():
            match = and_(*(self.table.c[k] == v for k, v in zip(self.keys, key, strict=True)))
            self.conn.execute(update(self.table).where(match).values(row))


def _store(engine: Engine, file: Path, source: str, entries: list[_Entry]) -> ImportSummary:
    now = datetime.now(UTC)
    outcomes: Counter[str] = Counter()
    years = {(fee["schedule"], fee["year"]) for entry in entries for fee in entry.fees}
    fee_scope = or_(
        false(), *(and_(fee_schedule.c.schedule == s, fee_schedule.c.year == y) for s, y in sorted(years))
    )
    with write_transaction(engine) as conn:
        descriptions = _Upserter(
            conn,
            code_descriptions,
            ("system", "code", "kind"),
            ("description",),
            code_descriptions.c.source == source,
        )
        fees = _Upserter(conn, fee_schedule, _FEE_KEYS, _FEE_VALUES, fee_scope)
        for entry in entries:
            results = [
                descriptions.put({**d, "source": source, "source_file": file.name, "imported_at": now})
                for d in entry.descriptions
            ]
            results += [fees.put({**f, "source_file": file.name}) for f in entry.fees]
            outcomes[max(results, key=_OUTCOME_RANK.__getitem__, default="unchanged")] += 1
        descriptions.flush()
        fees.flush()
    return ImportSummary(
        rows=len(entries),
        inserted=outcomes["inserted"],
        unchanged=outcomes["unchanged"],
        file=str(file),
        updated=outcomes["updated"],
    )
