"""Code systems: what a code string looks like, which system it belongs to, its canonical form.

Shapes (see DESIGN.md): CPT Category I is five digits; Category II four digits + F;
Category III four digits + T; PLA four digits + U (all reported as system "CPT").
HCPCS Level II is a letter + four digits. ICD-10-CM is a letter, a digit, an alphanumeric,
then an optional dot and up to four more; ICD-10-PCS is seven characters with no dot.
"""

from __future__ import annotations

import re
from functools import lru_cache

CPT_CATEGORY_I = re.compile(r"^\d{5}$")
CPT_CATEGORY_II = re.compile(r"^\d{4}F$")
CPT_CATEGORY_III = re.compile(r"^\d{4}T$")
CPT_PLA = re.compile(r"^\d{4}U$")
# Level II letters in use; D is CDT (dental), and F, I, N, O, W-Z are unassigned.
HCPCS_LEVEL_II = re.compile(r"^[ABCEGHJKLMPQRSTV]\d{4}$")
CDT = re.compile(r"^D\d{4}$")
ICD10CM = re.compile(r"^[A-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
ICD10PCS = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
ICD9CM = re.compile(r"^(?:\d{3}(?:\.\d{1,2})?|V\d{2}(?:\.\d{1,2})?|E\d{3}(?:\.\d)?)$")


def cpt_category(code: str) -> str | None:
    """'I', 'II', 'III' or 'PLA' for a CPT code string, else None."""
    if CPT_CATEGORY_I.match(code):
        return "I"
    if CPT_CATEGORY_II.match(code):
        return "II"
    if CPT_CATEGORY_III.match(code):
        return "III"
    if CPT_PLA.match(code):
        return "PLA"
    return None


def icd10cm_with_dot(code: str) -> str:
    """ICD-10-CM in canonical form: upper case, dot after the third character when longer."""
    bare = code.upper().replace(".", "")
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


@lru_cache(maxsize=65536)
def is_icd10cm(code: str) -> bool:
    """True when `code` is in the FY2026 ICD-10-CM code set (a category, subcategory or billable code)."""
    from medpolicy.codes.icd10cm import is_valid  # the code-set reader imports this module

    return bool(ICD10CM.match(code.upper())) and is_valid(code)


def classify(code: str) -> str | None:
    """The system a bare code string belongs to by shape and, for ICD-10-CM, by the code set.

    Ambiguous shapes resolve to the system a policy most likely means: a letter + four
    digits is HCPCS before it is ICD-10-CM (J1234 is never written for J12.34).
    """
    c = code.strip().upper()
    if cpt_category(c):
        return "CPT"
    if HCPCS_LEVEL_II.match(c):
        return "HCPCS"
    if CDT.match(c):
        return "CDT"
    if is_icd10cm(c):
        return "ICD-10-CM"
    return None


def canonical(system: str, code: str) -> str:
    """The form codes are stored and compared in."""
    c = code.strip().upper()
    if system == "ICD-10-CM":
        return icd10cm_with_dot(c)
    if system == "ICD-10-PCS":
        return c.replace(".", "")
    return c
