"""From a string a person typed to (system, canonical code), and whether the code exists.

`classify` in `systems` reads codes found in document text, where ICD-10-CM is written
with its dot. A person looking a code up often leaves the dot out, so `normalize`
also accepts dotless ICD-10-CM, but only when the dotless string is in the code set.
A letter and four digits can then be both a HCPCS code and a dotless ICD-10-CM code
(J1100 is dexamethasone and J11.00 influenza): `readings` lists every reading,
`normalize` returns the first, and `system=` settles it.
"""

from __future__ import annotations

import re

from medpolicy.codes import icd9cm, icd10cm, icd10pcs
from medpolicy.codes.errors import CodeError
from medpolicy.codes.systems import CDT, HCPCS_LEVEL_II, ICD10PCS, cpt_category, icd10cm_with_dot

SYSTEMS: tuple[str, ...] = ("CPT", "HCPCS", "CDT", "ICD-10-CM", "ICD-10-PCS", "ICD-9-CM", "NDC", "REV")

_SYSTEM_ALIASES: dict[str, str] = {
    "CPT": "CPT",
    "CPT4": "CPT",
    "HCPCS": "HCPCS",
    "HCPCSII": "HCPCS",
    "HCPCSLEVELII": "HCPCS",
    "HCPCSLEVEL2": "HCPCS",
    "CDT": "CDT",
    "ICD10": "ICD-10-CM",
    "ICD10CM": "ICD-10-CM",
    "ICD10PCS": "ICD-10-PCS",
    "PCS": "ICD-10-PCS",
    "ICD9": "ICD-9-CM",
    "ICD9CM": "ICD-9-CM",
    "NDC": "NDC",
    "REV": "REV",
    "REVENUE": "REV",
    "REVENUECODE": "REV",
}

_NDC_HYPHENATED = re.compile(r"^(\d{4,5})-(\d{3,4})-(\d{1,2})$")
_NDC_ELEVEN = re.compile(r"^\d{11}$")
_REVENUE = re.compile(r"^\d{3,4}$")
_ICD9_ONLY_SHAPE = re.compile(r"^(?:\d{3}|\d{2,3}\.\d{1,2})$")


def system_name(text: str) -> str:
    """The canonical system name for a user's spelling of it ("icd10", "ICD-10-CM" → "ICD-10-CM")."""
    key = re.sub(r"[^A-Z0-9]", "", text.upper())
    if key not in _SYSTEM_ALIASES:
        raise CodeError(f"unknown code system {text!r}; use one of {', '.join(SYSTEMS)}")
    return _SYSTEM_ALIASES[key]


def normalize(raw: str, system: str | None = None) -> tuple[str, str]:
    """(system, canonical code) for `raw`, or CodeError (a ValueError) saying why it is not a code.

    With `system`, `raw` only has to have that system's shape (so deleted or historical
    codes can still be described); without it, the most likely reading wins.
    """
    if system is not None:
        return _normalize_as(system_name(system), raw)
    found = readings(raw)
    if not found:
        text = raw.strip()
        if not text:
            raise CodeError("an empty string is not a code")
        raise CodeError(
            f"{text!r} is not a code medpolicy recognises (CPT, HCPCS Level II, CDT, ICD-10-CM, ICD-10-PCS, "
            "ICD-9-CM); if it is a code of another system, name the system"
        )
    return found[0]


def readings(raw: str) -> list[tuple[str, str]]:
    """Every (system, canonical code) `raw` can be read as without a hint, most likely first.

    ICD-9-CM counts only for shapes no other system has (250.00, 00.10, 250) and codes in
    the ICD-9-CM files; V and E codes need system="ICD-9-CM", since ICD-10-CM has them too.
    """
    text = raw.strip().upper()
    if cpt_category(text):
        return [("CPT", text)]
    found: list[tuple[str, str]] = []
    if icd10cm.is_valid(text) or ("." in text and icd10cm.SHAPE.match(text)):
        found.append(("ICD-10-CM", icd10cm_with_dot(text)))
    if HCPCS_LEVEL_II.match(text):
        found.append(("HCPCS", text))
    elif CDT.match(text):
        found.append(("CDT", text))
    if icd10pcs.is_valid(text):
        found.append(("ICD-10-PCS", text))
    if _ICD9_ONLY_SHAPE.match(text):
        icd9 = icd9cm.parse(text)
        if icd9 and icd9cm.is_valid(icd9):
            found.append(("ICD-9-CM", icd9))
    return found


def validate(system: str, code: str) -> bool | None:
    """True/False where medpolicy ships the code set (ICD-10-CM, ICD-10-PCS, ICD-9-CM).

    None for systems it has no offline table for (CPT, HCPCS, CDT, NDC, revenue codes)
    when `code` has their shape; False when it does not even have the shape.
    """
    name = system_name(system)
    try:
        _, canonical = _normalize_as(name, code)
    except CodeError:
        return False
    if name == "ICD-10-CM":
        return icd10cm.is_valid(canonical)
    if name == "ICD-10-PCS":
        return icd10pcs.is_valid(canonical)
    if name == "ICD-9-CM":
        return icd9cm.is_valid(canonical)
    return None


def _normalize_as(system: str, raw: str) -> tuple[str, str]:
    text = raw.strip().upper()
    if system in ("CPT", "HCPCS") and cpt_category(text):
        return "CPT", text  # CPT is HCPCS Level I
    if system == "HCPCS" and CDT.match(text):
        return "CDT", text
    canonical = _SHAPE_CHECKS[system](text)
    if canonical is None:
        raise CodeError(f"{raw.strip()!r} is not a well-formed {system} code ({_SHAPES[system]})")
    return system, canonical


def _as_ndc(text: str) -> str | None:
    """NDCs in the 11-digit 5-4-2 form billing uses; a 10-digit NDC needs its hyphens to be padded."""
    if _NDC_ELEVEN.match(text):
        return f"{text[:5]}-{text[5:9]}-{text[9:]}"
    match = _NDC_HYPHENATED.match(text)
    if not match:
        return None
    labeler, product, package = match.groups()
    if len(labeler) + len(product) + len(package) not in (10, 11):
        return None
    return f"{labeler.zfill(5)}-{product.zfill(4)}-{package.zfill(2)}"


_SHAPE_CHECKS = {
    "CPT": lambda t: t if cpt_category(t) else None,
    "HCPCS": lambda t: t if HCPCS_LEVEL_II.match(t) else None,
    "CDT": lambda t: t if CDT.match(t) else None,
    "ICD-10-CM": lambda t: icd10cm_with_dot(t) if icd10cm.SHAPE.match(t) or icd10cm.is_valid(t) else None,
    "ICD-10-PCS": lambda t: t if ICD10PCS.match(t) else None,
    "ICD-9-CM": icd9cm.parse,
    "NDC": _as_ndc,
    "REV": lambda t: t.zfill(4) if _REVENUE.match(t) else None,
}
_SHAPES = {
    "CPT": "five digits, or four digits and F, T or U",
    "HCPCS": "a letter and four digits",
    "CDT": "D and four digits",
    "ICD-10-CM": "a letter, a digit, a letter or digit, then up to four more after an optional dot",
    "ICD-10-PCS": "seven letters or digits, no dot",
    "ICD-9-CM": "250.00, V10.3, E849.0 or 00.10",
    "NDC": "11 digits, or 5-4-2 / 4-4-2 / 5-3-2 / 5-4-1 with hyphens",
    "REV": "three or four digits",
}
