"""Code families: the sections CPT Category I is arranged in and the letter sections of HCPCS Level II.

Section boundaries are the public numbering of the code sets, not descriptors.
"""

from __future__ import annotations

from medpolicy.codes.systems import cpt_category

# (first, last, section) for CPT Category I; E/M sits inside the Medicine numbers, so it comes first.
CPT_SECTIONS: tuple[tuple[int, int, str], ...] = (
    (99202, 99499, "Evaluation and Management"),
    (100, 1999, "Anesthesia"),
    (10000, 69999, "Surgery"),
    (70000, 79999, "Radiology"),
    (80000, 89999, "Pathology and Laboratory"),
    (90000, 99999, "Medicine"),
)

CPT_CATEGORY_NAMES: dict[str, str] = {
    "I": "CPT Category I",
    "II": "CPT Category II",
    "III": "CPT Category III",
    "PLA": "CPT PLA (Proprietary Laboratory Analyses)",
}
CPT_CATEGORY_CHAPTERS: dict[str, str] = {
    "II": "Performance measurement",
    "III": "Emerging technology, services and procedures",
    "PLA": "Proprietary laboratory analyses",
}

HCPCS_SECTIONS: dict[str, str] = {
    "A": "transportation, medical and surgical supplies, miscellaneous and investigational",
    "B": "enteral and parenteral therapy",
    "C": "temporary codes for the hospital outpatient prospective payment system",
    "E": "durable medical equipment",
    "G": "procedures and professional services (temporary)",
    "H": "behavioral health and substance abuse treatment services",
    "J": "drugs administered other than oral",
    "K": "temporary codes for durable medical equipment",
    "L": "orthotic and prosthetic procedures and devices",
    "M": "medical services and quality measures",
    "P": "pathology and laboratory services",
    "Q": "temporary codes",
    "R": "diagnostic radiology services",
    "S": "temporary national codes (non-Medicare)",
    "T": "national codes for state Medicaid agencies",
    "V": "vision, hearing and speech-language pathology services",
}


def cpt_number(code: str) -> int | None:
    """The numeric part of a CPT code of any category (0537T → 537), else None."""
    return int(code[:-1] if code[-1:].isalpha() else code) if cpt_category(code) else None


def cpt_section(code: str) -> str | None:
    """The Category I section of a five-digit CPT code, else None."""
    if cpt_category(code) != "I":
        return None
    number = int(code)
    for first, last, section in CPT_SECTIONS:
        if first <= number <= last:
            return section
    return None


def hcpcs_category(code: str) -> str:
    """E.g. "HCPCS Level II (J: drugs administered other than oral)"."""
    letter = code[:1].upper()
    section = HCPCS_SECTIONS.get(letter)
    return f"HCPCS Level II ({letter}: {section})" if section else "HCPCS Level II"
