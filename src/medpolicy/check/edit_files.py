"""Importing CMS's claim edit files: NCCI procedure-to-procedure (PTP) edits and Medically Unlikely Edits.

Both come as TXT (tab-separated) or CSV, with copyright and notes above the header.
The header is found by its column names; the PTP text files spread it over several
rows ("Modifier" / "0=not allowed" / "1=allowed" / ...), which are read as one.
The whole file is read before anything is written, so a bad file changes nothing;
rows are matched on their natural keys (see `medpolicy.check.tables`), so importing a
file again inserts nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, insert, select, update

from medpolicy.check.tables import SETTINGS, mue_values, ncci_ptp_edits
from medpolicy.codes.imports import ImportSummary
from medpolicy.codes.sourcefile import HEADER_SEARCH_ROWS, Row, csv_rows, read_text
from medpolicy.errors import ImportFormatError
from medpolicy.store.engine import write_transaction

INSERT_CHUNK = 5000
_EDIT_CODE = re.compile(r"^[0-9A-Z]{5}$")
MAI_MEANINGS = {1: "Line Edit", 2: "Date of Service Edit: Policy", 3: "Date of Service Edit: Clinical"}
_MODIFIER_INDICATORS = (0, 1, 9)


@dataclass(frozen=True, slots=True)
class PtpEdit:
    line: int
    column1: str
    column2: str
    prior_1996: bool
    effective: str
    deletion: str | None
    modifier_indicator: int
    rationale: str | None


@dataclass(frozen=True, slots=True)
class MueValue:
    line: int
    setting: str
    code: str
    mue: int
    adjudication_indicator: int | None
    adjudication_text: str | None
    rationale: str | None


# --- reading ---------------------------------------------------------------------------------------


def _table_rows(path: str, text: str, is_header_line: re.Pattern[str]) -> list[Row]:
    """Rows of a tab- or comma-separated file; the separator is the one the header line uses."""
    lines = text.splitlines()
    header = next((ln for ln in lines[:HEADER_SEARCH_ROWS] if is_header_line.search(ln)), "")
    if "\t" in header:
        # CMS text files are not CSV: a quote is just a character there.
        return [Row(number, line.split("\t")) for number, line in enumerate(lines, start=1)]
    return csv_rows(path, text, ",")


def _setting_from(path: Path, preamble: str, given: str | None) -> str:
    if given is not None:
        if given not in SETTINGS:
            raise ImportFormatError(str(path), f"unknown setting {given!r}; use one of {', '.join(SETTINGS)}")
        return given
    name = path.name.lower()
    if "ccioph" in name or "hospital" in name or re.search(r"outpatient\s+hospital", preamble, re.I):
        return "hospital"
    if "dme" in name or re.search(r"\bDME\b|durable medical equipment", preamble, re.I):
        return "dme"
    return "practitioner"


def iso_date(raw: str) -> str | None:
    """A CMS date (YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY) in ISO form; None when it is not one."""
    text = raw.strip()
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


_PTP_HEADER = re.compile(r"(?:^|[\t,\"])\s*column\s*1\s*(?:[\t,\"]|$)", re.I)
_PTP_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("column1", re.compile(r"^column\s*1\b", re.I)),
    ("column2", re.compile(r"^column\s*2\b", re.I)),
    ("prior_1996", re.compile(r"1996|existence", re.I)),
    ("effective", re.compile(r"effective", re.I)),
    ("deletion", re.compile(r"deletion", re.I)),
    ("modifier", re.compile(r"modifier", re.I)),
    ("rationale", re.compile(r"rationale", re.I)),
)
_PTP_LABELS = {
    "column1": "Column 1",
    "column2": "Column 2",
    "prior_1996": "*=in existence prior to 1996",
    "effective": "Effective Date",
    "deletion": "Deletion Date",
    "modifier": "Modifier",
    "rationale": "PTP Edit Rationale",
}
_PTP_REQUIRED = ("column1", "column2", "effective", "modifier")


def read_ncci_ptp(path: str | Path) -> list[PtpEdit]:
    """The edits of a CMS NCCI PTP file (practitioner, outpatient hospital or DME)."""
    file = Path(path)
    label = str(file)
    rows = _table_rows(label, read_text(file), _PTP_HEADER)
    start = next(
        (i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if _is_ptp_header(row)),
        None,
    )
    if start is None:
        raise ImportFormatError(
            label,
            f"no header row with 'Column 1' and 'Column 2' in the first {HEADER_SEARCH_ROWS} rows "
            "(is this a CMS NCCI PTP edit file?)",
        )
    first_data = start + 1
    while first_data < len(rows) and not rows[first_data].blank() and not _cell(rows[first_data], 0):
        first_data += 1  # a continuation row of a header spread over several rows
    columns = _ptp_columns(label, rows[start:first_data], rows[start].line)
    edits = []
    for row in rows[first_data:]:
        if row.blank():
            continue
        edits.append(_ptp_edit(label, row, columns))
    if not edits:
        raise ImportFormatError(label, "the file has a header but no edits")
    return edits


def _cell(row: Row, index: int) -> str:
    return row.cells[index].strip().strip('"').strip() if index < len(row.cells) else ""


def _is_ptp_header(row: Row) -> bool:
    names = [cell.strip().strip('"') for cell in row.cells]
    return any(re.fullmatch(r"column\s*1", n, re.I) for n in names) and any(
        re.fullmatch(r"column\s*2", n, re.I) for n in names
    )


def _ptp_columns(path: str, header_rows: Sequence[Row], line: int) -> dict[str, int]:
    width = max(len(row.cells) for row in header_rows)
    merged = [" ".join(_cell(row, i) for row in header_rows if _cell(row, i)) for i in range(width)]
    columns: dict[str, int] = {}
    for key, pattern in _PTP_COLUMNS:
        index = next(
            (i for i, name in enumerate(merged) if i not in columns.values() and pattern.search(name)), None
        )
        if index is not None:
            columns[key] = index
    for key in _PTP_REQUIRED:
        if key not in columns:
            raise ImportFormatError(path, "the header has no such column", line, _PTP_LABELS[key])
    return columns


def _ptp_edit(path: str, row: Row, columns: dict[str, int]) -> PtpEdit:
    def value(key: str) -> str:
        return _cell(row, columns[key]) if key in columns else ""

    codes = []
    for key in ("column1", "column2"):
        code = value(key).upper()
        if not _EDIT_CODE.match(code):
            raise ImportFormatError(
                path, f"expected a CPT/HCPCS code, found {value(key)!r}", row.line, _PTP_LABELS[key]
            )
        codes.append(code)
    effective = iso_date(value("effective"))
    if effective is None:
        raise ImportFormatError(
            path,
            f"expected a date (YYYYMMDD), found {value('effective')!r}",
            row.line,
            _PTP_LABELS["effective"],
        )
    raw_deletion = value("deletion")
    deletion = None if raw_deletion in ("", "*") else iso_date(raw_deletion)
    if raw_deletion not in ("", "*") and deletion is None:
        raise ImportFormatError(
            path,
            f"expected a date (YYYYMMDD) or '*', found {raw_deletion!r}",
            row.line,
            _PTP_LABELS["deletion"],
        )
    indicator = value("modifier")
    if indicator not in {str(i) for i in _MODIFIER_INDICATORS}:
        raise ImportFormatError(
            path,
            f"expected a modifier indicator 0, 1 or 9, found {indicator!r}",
            row.line,
            _PTP_LABELS["modifier"],
        )
    return PtpEdit(
        line=row.line,
        column1=codes[0],
        column2=codes[1],
        prior_1996=value("prior_1996") not in ("", "0", "N"),
        effective=effective,
        deletion=deletion,
        modifier_indicator=int(indicator),
        rationale=value("rationale") or None,
    )


_MUE_HEADER = re.compile(r"MUE\s+Values?", re.I)
_MUE_VALUE_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("practitioner", re.compile(r"practitioner", re.I)),
    ("hospital", re.compile(r"hospital|facility", re.I)),
    ("dme", re.compile(r"\bDME\b|supplier", re.I)),
)


def read_mue(path: str | Path, setting: str | None = None) -> list[MueValue]:
    """The values of a CMS MUE file: one row per code and setting (practitioner, hospital, DME).

    The setting comes from the value column's name ("Practitioner Services MUE Values"),
    else from `setting`, else from the file name.
    """
    file = Path(path)
    label = str(file)
    text = read_text(file)
    rows = _table_rows(label, text, _MUE_HEADER)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [cell.strip().strip('"') for cell in row.cells]
        value_columns = [i for i, name in enumerate(names) if _MUE_HEADER.search(name)]
        code_column = next((i for i, n in enumerate(names) if re.search(r"\b(?:HCPCS|CPT)\b", n, re.I)), None)
        if not value_columns:
            continue
        if code_column is None:
            raise ImportFormatError(label, "the header has no such column", row.line, "HCPCS/CPT Code")
        preamble = "\n".join(",".join(r.cells) for r in rows[:index])
        settings = {i: _mue_setting(names[i], file, preamble, setting) for i in value_columns}
        mai_column = next((i for i, n in enumerate(names) if re.search(r"adjudication", n, re.I)), None)
        rationale_column = next((i for i, n in enumerate(names) if re.search(r"rationale", n, re.I)), None)
        values = []
        for data in rows[index + 1 :]:
            if data.blank():
                continue
            values.extend(_mue_rows(label, data, names, code_column, settings, mai_column, rationale_column))
        if not values:
            raise ImportFormatError(label, "the file has a header but no MUE values")
        return values
    raise ImportFormatError(
        label,
        f"no header row with an 'MUE Values' column in the first {HEADER_SEARCH_ROWS} rows "
        "(is this a CMS Medically Unlikely Edits file?)",
    )


def _mue_setting(column_name: str, file: Path, preamble: str, given: str | None) -> str:
    for setting, pattern in _MUE_VALUE_COLUMNS:
        if pattern.search(column_name):
            return setting
    return _setting_from(file, preamble, given)


def _mue_rows(
    path: str,
    row: Row,
    names: list[str],
    code_column: int,
    settings: dict[int, str],
    mai_column: int | None,
    rationale_column: int | None,
) -> list[MueValue]:
    code = _cell(row, code_column).upper()
    if not _EDIT_CODE.match(code):
        raise ImportFormatError(
            path, f"expected a CPT/HCPCS code, found {code!r}", row.line, names[code_column]
        )
    indicator: int | None = None
    indicator_text: str | None = None
    if mai_column is not None and _cell(row, mai_column):
        raw = _cell(row, mai_column)
        match = re.match(r"^([123])\b\s*(.*)$", raw)
        if not match:
            raise ImportFormatError(
                path,
                f"expected an adjudication indicator 1, 2 or 3, found {raw!r}",
                row.line,
                names[mai_column],
            )
        indicator = int(match.group(1))
        indicator_text = match.group(2).strip(" -") or MAI_MEANINGS[indicator]
    rationale = _cell(row, rationale_column) if rationale_column is not None else ""
    found = []
    for column, setting in settings.items():
        raw_value = _cell(row, column)
        if not raw_value.isdigit():
            raise ImportFormatError(
                path, f"expected a whole number of units, found {raw_value!r}", row.line, names[column]
            )
        found.append(
            MueValue(row.line, setting, code, int(raw_value), indicator, indicator_text, rationale or None)
        )
    return found


# --- storing ----------------------------------------------------------------------------------------


def import_ncci(engine: Engine, path: str | Path, setting: str | None = None) -> ImportSummary:
    """Import a CMS NCCI PTP edit file (TXT or CSV) into the store."""
    file = Path(path)
    edits = read_ncci_ptp(file)
    chosen = _setting_from(file, "", setting)
    rows = {
        (chosen, e.column1, e.column2, e.effective): {
            "setting": chosen,
            "column1": e.column1,
            "column2": e.column2,
            "effective": e.effective,
            "prior_1996": e.prior_1996,
            "deletion": e.deletion,
            "modifier_indicator": e.modifier_indicator,
            "rationale": e.rationale,
            "source_file": file.name,
        }
        for e in edits
    }
    return _upsert(
        engine,
        ncci_ptp_edits,
        ("setting", "column1", "column2", "effective"),
        ("prior_1996", "deletion", "modifier_indicator", "rationale"),
        {chosen},
        rows,
        str(file),
    )


def import_mue(engine: Engine, path: str | Path, setting: str | None = None) -> ImportSummary:
    """Import a CMS Medically Unlikely Edits file (TXT or CSV) into the store."""
    file = Path(path)
    values = read_mue(file, setting)
    now = datetime.now(UTC)
    rows = {
        (v.setting, v.code): {
            "setting": v.setting,
            "code": v.code,
            "mue": v.mue,
            "adjudication_indicator": v.adjudication_indicator,
            "adjudication_text": v.adjudication_text,
            "rationale": v.rationale,
            "source_file": file.name,
            "imported_at": now,
        }
        for v in values
    }
    return _upsert(
        engine,
        mue_values,
        ("setting", "code"),
        ("mue", "adjudication_indicator", "adjudication_text", "rationale"),
        {v.setting for v in values},
        rows,
        str(file),
    )


def _upsert(
    engine: Engine,
    table: Table,
    keys: Sequence[str],
    values: Sequence[str],
    settings: set[str],
    rows: dict[tuple[Any, ...], dict[str, Any]],
    label: str,
) -> ImportSummary:
    inserted: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    with write_transaction(engine) as conn:
        table.create(conn, checkfirst=True)
        known = _known(conn, table, keys, values, settings)
        for key, row in rows.items():
            before = known.get(key)
            if before is None:
                inserted.append(row)
            elif before != tuple(row[v] for v in values):
                changed.append(row)
        for start in range(0, len(inserted), INSERT_CHUNK):
            conn.execute(insert(table), inserted[start : start + INSERT_CHUNK])
        for row in changed:
            match = and_(*(table.c[k] == row[k] for k in keys))
            conn.execute(update(table).where(match).values(row))
    return ImportSummary(
        rows=len(rows),
        inserted=len(inserted),
        unchanged=len(rows) - len(inserted) - len(changed),
        file=label,
        updated=len(changed),
    )


def _known(
    conn: Connection, table: Table, keys: Sequence[str], values: Sequence[str], settings: set[str]
) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    stmt = select(*(table.c[k] for k in keys), *(table.c[v] for v in values)).where(
        table.c.setting.in_(sorted(settings))
    )
    return {tuple(row[: len(keys)]): tuple(row[len(keys) :]) for row in conn.execute(stmt)}
