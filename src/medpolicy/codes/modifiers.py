"""Billing modifiers: what each means, and which ones usually come up for a family of codes.

The catalog (`data/modifiers.json`) is written for medpolicy. `modifiers_for` is a
heuristic by code family (lab, radiology, surgery, E/M, drugs, DME, ...), meant as a
reminder of what to check, not a rule: whether a modifier applies depends on the
claim, the payer and its policy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from medpolicy.codes.families import cpt_number
from medpolicy.codes.systems import cpt_category


@dataclass(frozen=True, slots=True)
class Modifier:
    code: str
    system: str  # "CPT" or "HCPCS" (Level II)
    meaning: str
    when: str


@cache
def catalog() -> dict[str, Modifier]:
    """Every modifier medpolicy describes, by code."""
    raw = resources.files("medpolicy").joinpath("data/modifiers.json").read_text(encoding="utf-8")
    return {entry["code"]: Modifier(**entry) for entry in json.loads(raw)["modifiers"]}


def modifier(code: str) -> Modifier | None:
    return catalog().get(code.strip().upper())


def modifiers_for(system: str, code: str) -> list[Modifier]:
    """The modifiers commonly relevant to `code`'s family, most specific first; [] for diagnoses."""
    wanted: list[str] = []
    for applies, codes in _RULES:
        if applies(system, code.strip().upper()):
            wanted.extend(c for c in codes if c not in wanted)
    return [catalog()[c] for c in wanted]


def _cpt_between(first: int, last: int) -> Callable[[str, str], bool]:
    def applies(system: str, code: str) -> bool:
        number = cpt_number(code)
        return (
            system == "CPT" and cpt_category(code) == "I" and number is not None and first <= number <= last
        )

    return applies


def _cpt_category(category: str) -> Callable[[str, str], bool]:
    return lambda system, code: system == "CPT" and cpt_category(code) == category


def _hcpcs_letters(letters: str) -> Callable[[str, str], bool]:
    return lambda system, code: system == "HCPCS" and code[:1] in letters


_RULES: tuple[tuple[Callable[[str, str], bool], tuple[str, ...]], ...] = (
    (_cpt_between(99202, 99499), ("25", "24", "57", "95", "FS", "GC")),
    (_cpt_between(100, 1999), ("AA", "QK", "QX", "QY", "QZ", "QS")),
    (
        _cpt_between(10000, 69999),
        ("50", "51", "59", "XS", "LT", "RT", "78", "79", "80", "82", "22", "58", "62"),
    ),
    (_cpt_between(70000, 79999), ("26", "TC", "LT", "RT", "76", "77")),
    (_cpt_between(80000, 89999), ("90", "91", "QW", "59", "XU", "GA", "GZ")),
    (_cpt_category("PLA"), ("90", "91", "59", "XU", "GA", "GZ")),
    (_cpt_between(97010, 97799), ("GP", "GO", "GN", "KX", "59")),
    (_cpt_between(90000, 99199), ("26", "TC", "59", "XU", "95")),
    (_cpt_between(99500, 99999), ("59", "XU", "95")),
    (_cpt_category("III"), ("26", "TC", "59", "XU", "GA", "GZ")),
    (_hcpcs_letters("JQ"), ("JW", "JZ", "JG", "TB")),
    (_hcpcs_letters("EKL"), ("KX", "GA", "GY", "GZ", "RR", "NU", "UE")),
    (_hcpcs_letters("LV"), ("LT", "RT")),
    (_hcpcs_letters("AV"), ("KX", "GA", "GY", "GZ")),
    (_hcpcs_letters("G"), ("GA", "GY", "GZ", "PO", "PN")),
    (_hcpcs_letters("P"), ("90", "91", "QW")),
)
