"""Claim lines: what a biller holds before submitting, read from arguments or a CSV file.

A `ClaimLine` keeps what it was given; `prepare` checks it and puts each part in the
form the store uses (canonical codes, ISO dates, the payer's grouping key). A line that
cannot be read becomes an "error" determination, so one bad row never stops a batch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from medpolicy.codes import icd10cm
from medpolicy.codes.errors import CodeError
from medpolicy.codes.normalize import normalize, readings
from medpolicy.codes.sourcefile import Row, csv_rows, read_text
from medpolicy.errors import ImportFormatError
from medpolicy.payers import canonical_payer, payer_key

PROCEDURE_SYSTEMS = ("CPT", "HCPCS", "CDT", "ICD-10-PCS")
MEDICARE = "CMS (Medicare)"
# Names a biller uses for traditional Medicare that the payer registry does not fold onto it.
_MEDICARE_NAMES = frozenset(
    {
        "cms",
        "medicare",
        "cms medicare",
        "original medicare",
        "traditional medicare",
        "medicare part a",
        "medicare part b",
        "medicare fee for service",
        "medicare ffs",
    }
)
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_SPLIT = re.compile(r"[;,\s]+")


@dataclass(slots=True)
class ClaimLine:
    """One line of a claim. `error` is set by `read_claims_csv` for a row it could not read."""

    payer: str
    code: str
    dx: list[str] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    date: dt.date | str | None = None
    units: int = 1
    claim_id: str | None = None
    line_no: int | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        when = self.date.isoformat() if isinstance(self.date, dt.date) else self.date
        return {
            "claim_id": self.claim_id,
            "line_no": self.line_no,
            "payer": self.payer,
            "code": self.code,
            "dx": list(self.dx),
            "modifiers": list(self.modifiers),
            "date": when,
            "units": self.units,
        }


@dataclass(frozen=True, slots=True)
class PreparedLine:
    """A claim line checked and canonicalised."""

    payer_key: str
    payer: str
    code: str
    system: str
    dx: tuple[str, ...]
    modifiers: tuple[str, ...]
    date: dt.date | None
    units: int
    notes: tuple[str, ...]


class ClaimLineError(ValueError):
    """One part of a claim line is not usable; `column` names it."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def match_key(payer: str) -> str:
    """The store's payer key for a payer a biller names; Medicare and CMS mean the MCD documents."""
    return _payer_identity(payer)[0]


@lru_cache(maxsize=4096)
def _payer_identity(payer: str) -> tuple[str, str]:
    """(store payer key, canonical name) for a payer as a biller writes it."""
    folded = " ".join(re.sub(r"[^0-9a-z]+", " ", payer.lower()).split())
    if folded in _MEDICARE_NAMES or payer_key(payer) == payer_key(MEDICARE):
        return payer_key(MEDICARE), MEDICARE
    return payer_key(payer), canonical_payer(payer) or payer


def prepare(line: ClaimLine) -> PreparedLine:
    """The line in canonical form, or ClaimLineError naming the part that is wrong."""
    if line.error:
        raise ClaimLineError("", line.error)
    payer = (line.payer or "").strip()
    if not payer:
        raise ClaimLineError("payer", "no payer given")
    key, canonical = _payer_identity(payer)
    if not key:
        raise ClaimLineError("payer", f"{payer!r} is not a payer name")
    code, system = procedure_code(line.code)
    notes: list[str] = []
    dx = tuple(dict.fromkeys(diagnosis(d, notes) for d in _items(line.dx)))
    modifiers = tuple(dict.fromkeys(modifier_code(m) for m in _items(line.modifiers)))
    return PreparedLine(
        payer_key=key,
        payer=canonical,
        code=code,
        system=system,
        dx=dx,
        modifiers=modifiers,
        date=service_date(line.date),
        units=unit_count(line.units),
        notes=tuple(notes),
    )


def _items(given: list[str] | str) -> list[str]:
    """A list as given, or one string of items separated by ';', ',' or spaces."""
    if isinstance(given, str):
        return [item for item in _SPLIT.split(given) if item]
    return [item for item in given if item and item.strip()]


@lru_cache(maxsize=65536)
def procedure_code(raw: str) -> tuple[str, str]:
    """(canonical code, system) for a billed procedure code: CPT, HCPCS Level II, CDT or ICD-10-PCS."""
    text = (raw or "").strip().upper()
    if not text:
        raise ClaimLineError("code", "no procedure code given")
    for system, canonical in readings(text):
        if system in PROCEDURE_SYSTEMS:
            return canonical, system
    raise ClaimLineError("code", f"{raw.strip()!r} is not a CPT, HCPCS, CDT or ICD-10-PCS procedure code")


def diagnosis(raw: str, notes: list[str]) -> str:
    """A claim diagnosis in canonical ICD-10-CM form; a note when it is not a billable FY2026 code."""
    code, note = _diagnosis(raw)
    if note:
        notes.append(note)
    return code


@lru_cache(maxsize=65536)
def _diagnosis(raw: str) -> tuple[str, str | None]:
    try:
        _, code = normalize(raw, "ICD-10-CM")
    except CodeError:
        raise ClaimLineError("dx", f"{raw.strip()!r} is not an ICD-10-CM code (e.g. C34.90)") from None
    if not icd10cm.is_valid(code):
        return code, f"{code} is not in the ICD-10-CM FY2026 code set; matched by its leading characters"
    if not icd10cm.is_billable(code):
        return (
            code,
            f"{code} is a {icd10cm.kind(code)}, not a billable code; a claim needs a more specific one",
        )
    return code, None


def modifier_code(raw: str) -> str:
    text = raw.strip().upper()
    if not _MODIFIER.match(text):
        raise ClaimLineError(
            "modifiers", f"{raw.strip()!r} is not a modifier (two letters or digits, e.g. 59, XU)"
        )
    return text


def service_date(raw: dt.date | str | None) -> dt.date | None:
    """The date of service from a date or a string (2024-05-01, 05/01/2024 or 20240501)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if raw is None or isinstance(raw, dt.date):
        return raw
    text = raw.strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ClaimLineError("date", f"{text!r} is not a date (write 2024-05-01 or 05/01/2024)")


def unit_count(raw: int | str) -> int:
    text = str(raw).strip()
    if not text.isdigit() or int(text) < 1:
        raise ClaimLineError("units", f"{text!r} is not a number of units (a whole number of at least 1)")
    return int(text)


# --- CSV --------------------------------------------------------------------------------------------

# Column -> the header names (folded: lower case, letters and digits only) that mean it.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "claim_id": ("claimid", "claim", "claimnumber", "claimno"),
    "line_no": ("lineno", "line", "linenumber", "lineitem"),
    "payer": ("payer", "payor", "plan", "healthplan", "insurer"),
    "code": ("code", "cpt", "hcpcs", "cpthcpcs", "procedure", "procedurecode", "proccode"),
    "dx": ("dx", "diagnosis", "diagnoses", "icd10", "icd10cm", "dxcodes", "diagnosiscodes"),
    "modifiers": ("modifiers", "modifier", "mods", "mod"),
    "date": ("date", "dos", "dateofservice", "servicedate"),
    "units": ("units", "unit", "qty", "quantity"),
}
_REQUIRED = ("payer", "code")


def read_claims_csv(path: str | Path) -> list[ClaimLine]:
    """Claim lines from a CSV (or tab-separated) file with a header row.

    Columns: claim_id, line_no, payer, code, dx (separated by ';' or spaces), modifiers,
    date, units; header names are matched ignoring case. A row that cannot be read is
    returned with `error` set (naming file, line and column); a file that cannot be
    read at all raises ImportFormatError.
    """
    file = Path(path)
    label = str(file)
    text = read_text(file)
    first = next(line for line in text.splitlines() if line.strip())
    rows = [row for row in csv_rows(label, text, "\t" if "\t" in first else ",") if not row.blank()]
    header, data = rows[0], rows[1:]
    columns = _header_columns(label, header)
    lines = []
    for ordinal, row in enumerate(data, start=1):
        lines.append(_claim_line(label, row, columns, header, ordinal))
    if not lines:
        raise ImportFormatError(label, "the file has a header but no claim lines")
    return lines


def _fold(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _header_columns(path: str, header: Row) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header.cells):
        folded = _fold(name)
        for key, names in _COLUMNS.items():
            if key not in columns and folded in names:
                columns[key] = index
                break
    for key in _REQUIRED:
        if key not in columns:
            found = ", ".join(cell.strip() for cell in header.cells if cell.strip()) or "nothing"
            raise ImportFormatError(
                path, f"the header row has no {key!r} column (it names: {found})", header.line, key
            )
    return columns


def _claim_line(path: str, row: Row, columns: dict[str, int], header: Row, ordinal: int) -> ClaimLine:
    def cell(key: str) -> str:
        index = columns.get(key)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""

    line = ClaimLine(
        payer=cell("payer"),
        code=cell("code"),
        dx=[d for d in _SPLIT.split(cell("dx")) if d],
        modifiers=[m for m in _SPLIT.split(cell("modifiers")) if m],
        date=cell("date") or None,
        claim_id=cell("claim_id") or None,
        line_no=ordinal,
    )
    try:
        raw_line_no = cell("line_no")
        if raw_line_no:
            if not raw_line_no.isdigit():
                raise ClaimLineError("line_no", f"{raw_line_no!r} is not a line number")
            line.line_no = int(raw_line_no)
        if cell("units"):
            line.units = unit_count(cell("units"))
        prepare(line)
    except ClaimLineError as exc:
        index = columns.get(exc.column)
        column = (
            header.cells[index].strip() if index is not None and index < len(header.cells) else exc.column
        )
        line.error = str(ImportFormatError(path, exc.reason, row.line, column or None))
    return line
