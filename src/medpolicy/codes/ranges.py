"""Code ranges as documents write them ("86355-86357", "C81.00–C96.9", "J9000 through J9999").

Membership follows each system's own order:

- CPT: the numbers, within one category (0500T-0599T holds no Category I code);
- HCPCS Level II and CDT: the numbers, within one letter;
- ICD-10-CM: the official tabular order, with the hierarchy: a range runs from the first
  billable code under its start to the last code under its end, and a code is inside
  when everything under it is (so "C81.00-C96.9" holds C96, C96.Z and C83.30, and
  "C33-C34.92" holds C34.12);
- ICD-10-PCS: table order; ICD-9-CM: book order within one volume, an end code
  including its subdivisions.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from medpolicy.codes import icd9cm, icd10cm, icd10pcs
from medpolicy.codes.errors import CodeError
from medpolicy.codes.families import cpt_number
from medpolicy.codes.normalize import normalize, readings, system_name
from medpolicy.codes.systems import cpt_category

_RANGE = re.compile(
    r"^\s*([0-9A-Za-z.]+)\s*(?:[-‐‑‒–—]|\s(?:to|through|thru)\s)\s*([0-9A-Za-z.]+)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CodeRangeSpec:
    system: str
    start: str
    end: str

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


def parse_range(text: str, system: str | None = None) -> CodeRangeSpec:
    """The range `text` writes; CodeError (a ValueError) unless it is two codes of one system, in order."""
    match = _RANGE.match(text)
    if not match:
        raise CodeError(
            f"{text!r} is not a code range (write it as START-END, START to END or START through END)"
        )
    first, last = match.groups()
    if system is not None:
        name = system_name(system)
        rng = CodeRangeSpec(name, normalize(first, name)[1], normalize(last, name)[1])
    else:
        rng = _common_reading(text, first, last)
    _check_order(text, rng)
    return rng


def in_range(code: str, rng: CodeRangeSpec) -> bool:
    """True when `code`, read in the range's system, lies inside `rng`."""
    try:
        _, canonical = normalize(code, rng.system)
    except CodeError:
        return False
    if rng.system == "CPT":
        return _same_cpt_category(canonical, rng) and _cpt_between(canonical, rng)
    if rng.system in ("HCPCS", "CDT"):
        return canonical[0] == rng.start[0] == rng.end[0] and int(rng.start[1:]) <= int(canonical[1:]) <= int(
            rng.end[1:]
        )
    if rng.system == "ICD-10-CM":
        return _icd10cm_in(canonical, rng)
    if rng.system == "ICD-10-PCS":
        return rng.start <= canonical <= rng.end
    if rng.system == "ICD-9-CM":
        return _icd9_in(canonical, rng)
    if rng.system == "REV":
        return int(rng.start) <= int(canonical) <= int(rng.end)
    return rng.start <= canonical <= rng.end


_CPT_CATEGORY_ORDER = {"I": 1, "II": 2, "III": 3, "PLA": 4}
_ORDERED_SYSTEMS = frozenset({"CPT", "HCPCS", "CDT", "REV", "ICD-10-CM"})


def code_order_span(system: str, code: str) -> tuple[int, int] | None:
    """Integer positions (first, last) of `code` in its system's order, for indexing range membership.

    A code inside a range always has its span within the range's `range_order_span`, so a
    store can find the ranges that may hold a code with two comparisons on an index (then
    confirm each with `in_range`). None for systems without keys, or a code that is in no range.
    """
    if system not in _ORDERED_SYSTEMS:
        return None
    try:
        _, canonical = normalize(code, system)
    except CodeError:
        return None
    if system == "ICD-10-CM":
        anchor = icd10cm.nearest_valid(canonical)
        return None if anchor is None else icd10cm.span(anchor)
    key = _number_key(system, canonical)
    return None if key is None else (key, key)


def range_order_span(rng: CodeRangeSpec) -> tuple[int, int] | None:
    """Integer positions (low, high) holding the `code_order_span` of every code inside `rng`
    (low > high when it holds none); None for systems without keys or ends that cannot be read."""
    if rng.system not in _ORDERED_SYSTEMS:
        return None
    try:
        if rng.system == "ICD-10-CM":
            return _icd10cm_bounds(rng)
        low, high = _number_key(rng.system, rng.start), _number_key(rng.system, rng.end)
    except (CodeError, ValueError, IndexError, KeyError):
        return None
    return None if low is None or high is None else (low, high)


def _number_key(system: str, code: str) -> int | None:
    """CPT: category, then number; HCPCS and CDT: letter, then number; revenue codes: the number."""
    if system == "CPT":
        category, number = cpt_category(code), cpt_number(code)
        if category is None or number is None:
            return None
        return _CPT_CATEGORY_ORDER[category] * 1_000_000 + number
    if system == "REV":
        return int(code) if code.isdigit() else None
    if len(code) < 2 or not code[1:].isdigit():
        return None
    return ord(code[0]) * 1_000_000 + int(code[1:])


def expand_range(rng: CodeRangeSpec, limit: int = 10000) -> list[str]:
    """Every code inside `rng`, in the system's order; ValueError beyond `limit` codes.

    CPT, HCPCS and CDT expand to every number in the range, assigned or not (no code
    list ships for them); ICD-10-CM, ICD-10-PCS and ICD-9-CM expand along their
    official code sets, categories included.
    """
    if rng.system in ("CPT", "HCPCS", "CDT", "REV"):
        codes = _expand_numbers(rng, limit)
    elif rng.system == "ICD-10-CM":
        codes = _expand_icd10cm(rng)
    elif rng.system == "ICD-10-PCS":
        ordered = icd10pcs.codes_in_order()
        codes = list(ordered[bisect_left(ordered, rng.start) : bisect_right(ordered, rng.end)])
    elif rng.system == "ICD-9-CM":
        volume = icd9cm.volume_of(rng.start)
        codes = [c for c in icd9cm.codes_in_order(volume) if _icd9_in(c, rng)] if volume else []
    else:
        raise ValueError(f"{rng.system} ranges cannot be expanded")
    if len(codes) > limit:
        raise ValueError(f"{rng} expands to {len(codes)} codes, more than the limit of {limit}")
    return codes


def _common_reading(text: str, first: str, last: str) -> CodeRangeSpec:
    """The first system both endpoints can be read in; dotless ICD-10-CM last, as documents write the dot."""
    starts = _range_readings(first)
    ends = dict(_range_readings(last))
    if not starts:
        raise CodeError(f"{text!r}: {first!r} is not a code")
    if not ends:
        raise CodeError(f"{text!r}: {last!r} is not a code")
    for system, start in starts:
        if system in ends:
            return CodeRangeSpec(system, start, ends[system])
    raise CodeError(f"{text!r}: the two ends are codes of different systems")


def _range_readings(raw: str) -> list[tuple[str, str]]:
    found = readings(raw)
    if "." in raw:
        return found
    return sorted(found, key=lambda reading: reading[0] == "ICD-10-CM")


def _check_order(text: str, rng: CodeRangeSpec) -> None:
    if rng.system == "CPT" and not _same_cpt_category(rng.start, rng):
        raise CodeError(f"{text!r}: the two ends are in different CPT categories")
    if rng.system in ("HCPCS", "CDT") and rng.start[0] != rng.end[0]:
        raise CodeError(f"{text!r}: the two ends start with different letters")
    if rng.system == "ICD-9-CM" and icd9cm.volume_of(rng.start) != icd9cm.volume_of(rng.end):
        raise CodeError(f"{text!r}: one end is a diagnosis, the other a procedure")
    if not in_range(rng.start, rng) and not _starts_before_first_billable(rng):
        raise CodeError(f"{text!r}: the range ends before it starts")


def _starts_before_first_billable(rng: CodeRangeSpec) -> bool:
    """An ICD-10-CM start such as C81 is not 'inside' a range ending in C81.0x, yet the range is fine."""
    if rng.system != "ICD-10-CM":
        return False
    low, high = _icd10cm_bounds(rng)
    return low <= high


def _same_cpt_category(code: str, rng: CodeRangeSpec) -> bool:
    return cpt_category(code) == cpt_category(rng.start) == cpt_category(rng.end)


def _cpt_between(code: str, rng: CodeRangeSpec) -> bool:
    number, low, high = cpt_number(code), cpt_number(rng.start), cpt_number(rng.end)
    return number is not None and low is not None and high is not None and low <= number <= high


def _expand_numbers(rng: CodeRangeSpec, limit: int) -> list[str]:
    if rng.system == "CPT":
        prefix, suffix = "", ("" if cpt_category(rng.start) == "I" else rng.start[-1])
        width = 5 if not suffix else 4
        low, high = cpt_number(rng.start) or 0, cpt_number(rng.end) or 0
    elif rng.system == "REV":
        prefix, suffix, width = "", "", 4
        low, high = int(rng.start), int(rng.end)
    else:
        prefix, suffix, width = rng.start[0], "", 4
        low, high = int(rng.start[1:]), int(rng.end[1:])
    if high - low + 1 > limit:
        raise ValueError(f"{rng} expands to {high - low + 1} codes, more than the limit of {limit}")
    return [f"{prefix}{number:0{width}d}{suffix}" for number in range(low, high + 1)]


def _icd10cm_in(code: str, rng: CodeRangeSpec) -> bool:
    anchor = icd10cm.nearest_valid(code)
    if anchor is None:
        return False
    low, high = _icd10cm_bounds(rng)
    first, last = icd10cm.span(anchor)
    return low <= first and last <= high


def _icd10cm_bounds(rng: CodeRangeSpec) -> tuple[int, int]:
    """Tabular positions of the first billable code the range covers and of its last code."""
    return _icd10cm_edge(rng.start, at_start=True), _icd10cm_edge(rng.end, at_start=False)


def _icd10cm_edge(code: str, at_start: bool) -> int:
    anchor = icd10cm.nearest_valid(code)
    if anchor is None:
        # Not even the category exists: snap to the nearest category in string order.
        categories = _categories_sorted()
        index = bisect_left(categories, code[:3]) if at_start else bisect_right(categories, code[:3]) - 1
        if index < 0:
            return -1
        if index >= len(categories):
            return len(icd10cm.codes_in_order())
        anchor = categories[index]
    first, last = icd10cm.span(anchor)
    return first if at_start else last


@cache
def _categories_sorted() -> list[str]:
    return sorted(icd10cm.categories_in_order())


def _expand_icd10cm(rng: CodeRangeSpec) -> list[str]:
    low, high = _icd10cm_bounds(rng)
    if low > high:
        return []
    ordered = icd10cm.codes_in_order()
    # Ancestors of the first billable code sit just before it and belong in when all under them does.
    start = low
    while start > 0 and icd10cm.span(ordered[start - 1])[0] == low:
        start -= 1
    return [code for code in ordered[start : high + 1] if icd10cm.span(code)[1] <= high]


def _icd9_in(code: str, rng: CodeRangeSpec) -> bool:
    volume = icd9cm.volume_of(code)
    if volume is None or volume != icd9cm.volume_of(rng.start) or volume != icd9cm.volume_of(rng.end):
        return False
    key, low, high = icd9cm.order_key(code), icd9cm.order_key(rng.start), icd9cm.order_key(rng.end)
    under_end = key[0] == high[0] and key[1].startswith(high[1])
    return low <= key and (key <= high or under_end)
