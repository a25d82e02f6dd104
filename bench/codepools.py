"""Plausible billing codes for the synthetic corpus, grouped so that related policies share codes.

Each service family (procedure × qualifier) owns a small block of CPT codes near one
base number, a few Category III / PLA codes and HCPCS Level II codes; each condition
owns a window of real FY2026 ICD-10-CM codes (numbers only, from the public code list
`simple_icd_10_cm` ships). Policies on one family therefore name overlapping codes, as
real policies do, and a code lookup fans out to a realistic number of policies.
"""

from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vocabulary import (
    CONDITIONS,
    DESCRIPTION_OBJECTS,
    DESCRIPTION_VERBS,
    ICD_QUALIFIERS,
    PROCEDURES,
    QUALIFIERS,
)

# CPT Category I sections by kind of service (first, last) — public numbering ranges.
_CPT_SECTIONS: dict[str, tuple[int, int]] = {
    "lab": (80047, 89398),
    "surgery": (10021, 69990),
    "radiology": (70010, 79999),
    "medicine": (90281, 99199),
    "drug": (96360, 96549),
    "dme": (97760, 97763),
}
_HCPCS_LETTERS: dict[str, str] = {
    "lab": "GPS",
    "surgery": "CGS",
    "radiology": "ACG",
    "medicine": "GHS",
    "drug": "JJJQ",
    "dme": "EEKL",
}
# A few codes most policies may mention in passing (office visits, unlisted procedures).
COMMON_CODES: tuple[tuple[str, str], ...] = (
    ("CPT", "99213"),
    ("CPT", "99214"),
    ("CPT", "99203"),
    ("CPT", "99204"),
    ("CPT", "81479"),
    ("CPT", "64999"),
    ("CPT", "76499"),
    ("CPT", "97799"),
    ("HCPCS", "J3590"),
    ("HCPCS", "A9999"),
)


@dataclass(frozen=True, slots=True)
class Service:
    """One service family: its display name and the codes policies about it draw from."""

    name: str
    kind: str
    cpt: tuple[str, ...]
    category_iii: tuple[str, ...]
    hcpcs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    name: str
    icd10cm: tuple[str, ...]  # canonical, with dot


@cache
def _billable_icd10cm() -> tuple[str, ...]:
    """FY2026 ICD-10-CM codes of four characters or more, without dots, in code-list order."""
    spec = importlib.util.find_spec(
        "simple_icd_10_cm"
    )  # located, not imported: importing parses 10 MB of XML
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("simple_icd_10_cm is not installed")
    data = Path(spec.submodule_search_locations[0], "data")
    listing = next(p for p in data.iterdir() if p.name.startswith("code-list") and p.name.endswith(".txt"))
    lines = listing.read_text(encoding="utf-8").splitlines()
    return tuple(
        c for c in (line.strip() for line in lines) if len(c) >= 4 and c[0].isalpha() and "-" not in c
    )


def with_dot(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@cache
def services(seed: int) -> tuple[Service, ...]:
    """Every service family, with its code blocks (deterministic by seed)."""
    found = []
    for p_index, (procedure, kind) in enumerate(PROCEDURES):
        for q_index, qualifier in enumerate(QUALIFIERS):
            rng = random.Random(f"{seed}/service/{p_index}/{q_index}")
            name = f"{qualifier} {procedure}".strip()
            first, last = _CPT_SECTIONS[kind]
            base = rng.randint(first, max(first, last - 40))
            cpt = sorted({base + rng.randint(0, 40) for _ in range(rng.randint(8, 18))})
            cat3_letter = "U" if kind == "lab" else "T"
            cat3 = sorted({f"{rng.randint(1, 950):04d}{cat3_letter}" for _ in range(rng.randint(2, 6))})
            letters = _HCPCS_LETTERS[kind]
            hcpcs_base = rng.randint(1000, 9800)
            hcpcs = sorted(
                {
                    f"{rng.choice(letters)}{hcpcs_base + rng.randint(0, 150):04d}"
                    for _ in range(rng.randint(3, 9))
                }
            )
            found.append(Service(name, kind, tuple(f"{c:05d}" for c in cpt), tuple(cat3), tuple(hcpcs)))
    return tuple(found)


@cache
def conditions(seed: int) -> tuple[Condition, ...]:
    """Every condition with a window of real ICD-10-CM codes (deterministic by seed)."""
    codes = _billable_icd10cm()
    found = []
    for index, name in enumerate(CONDITIONS):
        rng = random.Random(f"{seed}/condition/{index}")
        start = rng.randrange(0, len(codes) - 400)
        window = codes[start : start + 400 : rng.randint(3, 8)]
        found.append(Condition(name, tuple(with_dot(c) for c in window[:60])))
    return tuple(found)


def describe(rng: random.Random, kind: str, service_name: str) -> str:
    """An invented lay description for a procedure or supply code."""
    verb = rng.choice(DESCRIPTION_VERBS[kind])
    noun = service_name.split()[-1].rstrip("s").lower()
    return f"{noun} {verb}, {rng.choice(DESCRIPTION_OBJECTS)}".capitalize()


def describe_diagnosis(rng: random.Random, condition: str) -> str:
    return f"{condition}, {rng.choice(ICD_QUALIFIERS)}"
