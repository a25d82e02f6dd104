"""What medpolicy knows about one code from the data it ships (no store needed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from medpolicy.codes import icd9cm, icd10cm, icd10pcs
from medpolicy.codes.families import (
    CPT_CATEGORY_CHAPTERS,
    CPT_CATEGORY_NAMES,
    cpt_section,
    hcpcs_category,
)
from medpolicy.codes.normalize import normalize, validate
from medpolicy.codes.systems import cpt_category


@dataclass(frozen=True, slots=True)
class Description:
    text: str
    source: str  # where it comes from, e.g. "ICD-10-CM FY2026 (simple-icd-10-cm)"
    kind: str = "official"  # 'official' | 'short' | 'long' | 'lay'


@dataclass(slots=True)
class CodeInfo:
    system: str
    code: str
    valid: bool | None  # None: no code table to check against (CPT, HCPCS, ...)
    category: str | None = None
    billable: bool | None = None
    descriptions: list[Description] = field(default_factory=list)
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    chapter: str | None = None


def describe_offline(code: str, system: str | None = None) -> CodeInfo:
    """Everything the shipped data says about `code`; CodeError (a ValueError) when it is not a code."""
    name, canonical = normalize(code, system)
    info = CodeInfo(system=name, code=canonical, valid=validate(name, canonical))
    if name == "ICD-10-CM":
        _fill_icd10cm(info)
    elif name == "ICD-10-PCS":
        _fill_icd10pcs(info)
    elif name == "ICD-9-CM":
        _fill_icd9cm(info)
    elif name == "CPT":
        category = cpt_category(canonical) or "I"
        info.category = CPT_CATEGORY_NAMES[category]
        info.chapter = cpt_section(canonical) if category == "I" else CPT_CATEGORY_CHAPTERS[category]
    elif name == "HCPCS":
        info.category = hcpcs_category(canonical)
    elif name == "CDT":
        info.category = "CDT (dental procedures)"
    return info


def _fill_icd10cm(info: CodeInfo) -> None:
    if not info.valid:
        info.category = "ICD-10-CM (not in the FY2026 code set)"
        return
    kind = icd10cm.kind(info.code)
    info.category = f"ICD-10-CM {kind}" if kind == "billable code" else f"ICD-10-CM {kind} (not billable)"
    info.billable = icd10cm.is_billable(info.code)
    info.descriptions = [Description(icd10cm.description(info.code), icd10cm.SOURCE)]
    info.parent = icd10cm.parent(info.code)
    info.children = icd10cm.children(info.code)
    info.chapter = icd10cm.chapter(info.code)


def _fill_icd10pcs(info: CodeInfo) -> None:
    info.chapter = icd10pcs.section(info.code)
    if not info.valid:
        info.category = "ICD-10-PCS (not in the FY2024 table)"
        return
    info.category = "ICD-10-PCS procedure code"
    info.billable = True
    info.descriptions = [Description(icd10pcs.table()[info.code], icd10pcs.SOURCE)]


def _fill_icd9cm(info: CodeInfo) -> None:
    volume = icd9cm.volume_of(info.code)
    info.category = f"ICD-9-CM {volume} code" if info.valid else "ICD-9-CM (not in the v32 files)"
    info.chapter = icd9cm.chapter(info.code)
    if not info.valid:
        return
    info.billable = icd9cm.is_billable(info.code)
    text = icd9cm.description(info.code)
    if text:
        info.descriptions = [Description(text, icd9cm.SOURCE)]
    info.parent = icd9cm.parent(info.code)
    info.children = icd9cm.children(info.code)
