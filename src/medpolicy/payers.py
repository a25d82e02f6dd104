"""Payer names: one canonical name per health plan, whatever spelling a document uses.

Matrices and lookups group by the canonical name, so "BCBSMT", "BlueCross and
BlueShield of Montana" and "Blue Cross and Blue Shield of Montana" are one payer.
Names the registry does not know are kept as written, tidied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_STATES = {
    "AL": "Alabama",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}


@dataclass(frozen=True, slots=True)
class Payer:
    name: str
    aliases: tuple[str, ...]


def _bcbs_plans() -> list[Payer]:
    plans = []
    for abbr, state in _STATES.items():
        plans.append(
            Payer(
                f"Blue Cross and Blue Shield of {state}",
                (
                    f"Blue Cross and Blue Shield of {state}",
                    f"Blue Cross & Blue Shield of {state}",
                    f"Blue Cross Blue Shield of {state}",
                    f"BCBS of {state}",
                    f"BCBS{abbr}",
                ),
            )
        )
    return plans


# Longer, more specific aliases win over shorter ones (see `find_payers`).
REGISTRY: tuple[Payer, ...] = (
    Payer(
        "CMS (Medicare)",
        (
            "Centers for Medicare & Medicaid Services",
            "Centers for Medicare and Medicaid Services",
            "National Coverage Determination",
            "Local Coverage Determination",
            "Medicare",
        ),
    ),
    Payer("Aetna", ("Aetna Inc.", "Aetna Inc", "Aetna Better Health", "Aetna")),
    Payer(
        "Cigna Healthcare",
        ("Cigna Healthcare", "Cigna Health", "Cigna Corporation", "Cigna Companies", "Cigna"),
    ),
    Payer("UnitedHealthcare", ("UnitedHealthcare", "United HealthCare", "United Healthcare", "UHC", "Optum")),
    Payer("Humana", ("Humana Inc.", "Humana")),
    Payer(
        "Elevance Health (Anthem)",
        (
            "Anthem Blue Cross and Blue Shield",
            "Anthem Blue Cross",
            "Anthem, Inc.",
            "Anthem",
            "Elevance Health",
            "Elevance",
        ),
    ),
    Payer(
        "Florida Blue (Blue Cross and Blue Shield of Florida)",
        ("Florida Blue", "Blue Cross and Blue Shield of Florida", "BCBSFL"),
    ),
    Payer(
        "Premera Blue Cross", ("Premera Blue Cross Blue Shield of Alaska", "Premera Blue Cross", "Premera")
    ),
    Payer("The Regence Group", ("The Regence Group", "Regence Group")),
    Payer(
        "Regence BlueShield",
        ("Regence BlueShield of Idaho", "Regence BlueShield", "Regence BlueCross BlueShield", "Regence"),
    ),
    Payer(
        "Blue Cross Blue Shield Association",
        ("Blue Cross Blue Shield Association", "Blue Cross and Blue Shield Association"),
    ),
    Payer("Highmark", ("Highmark Blue Cross Blue Shield", "Highmark Inc.", "Highmark")),
    Payer("Excellus BlueCross BlueShield", ("Excellus BlueCross BlueShield", "Excellus")),
    Payer("Wellmark Blue Cross and Blue Shield", ("Wellmark Blue Cross and Blue Shield", "Wellmark")),
    Payer("CareFirst BlueCross BlueShield", ("CareFirst BlueCross BlueShield", "CareFirst")),
    Payer("Independence Blue Cross", ("Independence Blue Cross", "IBX")),
    Payer(
        "Horizon Blue Cross Blue Shield of New Jersey",
        ("Horizon Blue Cross Blue Shield of New Jersey", "Horizon BCBSNJ", "Horizon"),
    ),
    Payer("Blue Shield of California", ("Blue Shield of California",)),
    Payer("Capital Blue Cross", ("Capital Blue Cross",)),
    Payer("Health Care Service Corporation", ("Health Care Service Corporation", "HCSC")),
    Payer("Molina Healthcare", ("Molina Healthcare", "Molina")),
    Payer("Centene", ("Centene Corporation", "Centene")),
    Payer("Kaiser Permanente", ("Kaiser Permanente", "Kaiser Foundation Health Plan")),
    Payer("Triple-S Salud", ("Triple-S Salud", "Triple-S", "Triple S Salud")),
    Payer("EmblemHealth", ("EmblemHealth",)),
    Payer("Oscar Health", ("Oscar Health",)),
    Payer("Priority Health", ("Priority Health",)),
    Payer("Medica", ("Medica",)),
    Payer("Geisinger Health Plan", ("Geisinger Health Plan", "Geisinger")),
    Payer("Tufts Health Plan", ("Tufts Health Plan",)),
    Payer("Harvard Pilgrim Health Care", ("Harvard Pilgrim Health Care", "Harvard Pilgrim")),
    Payer("Point32Health", ("Point32Health",)),
    Payer("Blue Cross Blue Shield of Michigan", ("Blue Cross Blue Shield of Michigan", "BCBSM")),
    Payer("Blue Cross and Blue Shield of Montana", ("BlueCross and BlueShield of Montana", "BCBSMT")),
    *_bcbs_plans(),
)

_BLUE = re.compile(r"Blue(Cross|Shield)", re.I)


_WORD = re.compile(r"[0-9a-zA-Z]+")


def _fold(name: str) -> str:
    """Lower-case, 'BlueCross' → 'blue cross', '&' → 'and', punctuation and ® dropped."""
    s = _BLUE.sub(lambda m: "Blue " + m.group(1), name).replace("&", " and ")
    return " ".join(_WORD.findall(s)).lower()


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for payer in REGISTRY:
        for alias in (payer.name, *payer.aliases):
            index.setdefault(_fold(alias), payer.name)
    return index


@lru_cache(maxsize=1)
def _aliases_by_first_word() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Aliases as word tuples, keyed by their first word, longest first (so the longest alias wins)."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for alias in _alias_index():
        words = tuple(alias.split())
        table.setdefault(words[0], []).append((words, alias))
    for entries in table.values():
        entries.sort(key=lambda entry: len(entry[0]), reverse=True)
    return table


def _matches(folded: str) -> list[tuple[int, str]]:
    """(word position, alias) of every alias in folded text, scanning left to right, longest first."""
    words = folded.split()
    table = _aliases_by_first_word()
    found: list[tuple[int, str]] = []
    free_from = 0  # words before this belong to the last alias found
    for i in [i for i, word in enumerate(words) if word in table]:
        if i < free_from:
            continue
        for alias_words, alias in table[words[i]]:
            if tuple(words[i : i + len(alias_words)]) == alias_words:
                found.append((i, alias))
                free_from = i + len(alias_words)
                break
    return found


def canonical_payer(name: str | None) -> str | None:
    """The registry's name for `name`, else `name` tidied (None stays None)."""
    if name is None or not name.strip():
        return None
    folded = _fold(name)
    known = _alias_index().get(folded)
    if known:
        return known
    for _, alias in _matches(folded):
        if len(alias) >= len(folded) * 0.6:
            return _alias_index()[alias]
    return " ".join(name.split())


def payer_key(name: str | None) -> str:
    """A stable grouping key for a payer name (folded canonical name)."""
    return _fold(canonical_payer(name) or "")


@dataclass(frozen=True, slots=True)
class PayerMention:
    name: str
    alias: str
    folded_start: int  # position (in words) of the mention in the folded text


CACHED_TEXT_CHARS = 300  # lines and names recur across documents; whole texts do not, and would fill memory


def find_payers(text: str) -> list[PayerMention]:
    """Every registry payer named in `text`, in order of first mention; the longest alias wins."""
    return _find_payers_cached(text) if len(text) <= CACHED_TEXT_CHARS else _find_payers(text)


@lru_cache(maxsize=4096)
def _find_payers_cached(text: str) -> list[PayerMention]:
    return _find_payers(text)


def _find_payers(text: str) -> list[PayerMention]:
    seen: dict[str, PayerMention] = {}
    for position, alias in _matches(_fold(text)):
        name = _alias_index()[alias]
        if name not in seen:
            seen[name] = PayerMention(name, alias, position)
    return sorted(seen.values(), key=lambda m: m.folded_start)
