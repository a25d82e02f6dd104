"""A document's ICD-10-CM lists, and which entries a claim diagnosis falls under.

A claim diagnosis matches a listed code when it is that code or lies below it in the
ICD-10-CM hierarchy (C34.90 matches C34.9 and C34), and a listed range when the range
holds it (C33-C34.92 holds C34.90). Codes outside the FY2026 set are matched by their
leading characters, which is how the hierarchy extends a code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from medpolicy.codes import CodeRangeSpec, code_order_span, icd10cm, range_order_span
from medpolicy.model import Span
from medpolicy.query.ranges import code_in_range

DX_SYSTEM = "ICD-10-CM"
MEDICALLY_NECESSARY = "medically_necessary"
DENIAL_STATUSES = ("investigational", "not_medically_necessary", "not_covered", "cosmetic")


class DxEntry(NamedTuple):
    """One listed ICD-10-CM code (end None) or range, with the status the document ties to it.

    A named tuple rather than a frozen dataclass: a batch builds them by the hundred
    thousand, and a tuple is built several times faster.
    """

    start: str
    end: str | None
    coverage: str | None
    span: Span | None

    @property
    def label(self) -> str:
        return self.start if self.end is None else f"{self.start}-{self.end}"

    @property
    def covered(self) -> bool:
        return self.coverage == MEDICALLY_NECESSARY

    @property
    def denied(self) -> bool:
        return self.coverage in DENIAL_STATUSES


@lru_cache(maxsize=65536)
def lineage(code: str) -> tuple[str, ...]:
    """`code` and every code above it (C34.90 → C34.90, C34.9, C34)."""
    if icd10cm.is_valid(code):
        return (code, *icd10cm.ancestors(code))
    bare = code.replace(".", "")
    return tuple(icd10cm_with_dot(bare[:length]) for length in range(len(bare), 2, -1))


def icd10cm_with_dot(bare: str) -> str:
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


@lru_cache(maxsize=65536)
def _in_range(code: str, start: str, end: str) -> bool:
    return code_in_range(DX_SYSTEM, code, start, end)


_Bounds = tuple[int, int]


@lru_cache(maxsize=65536)
def _range_bounds(start: str, end: str) -> _Bounds | None:
    """The tabular positions holding every code of the range (None: unknown, test each code)."""
    return range_order_span(CodeRangeSpec(DX_SYSTEM, start, end))


@lru_cache(maxsize=65536)
def _order_span(code: str) -> _Bounds | None:
    """The tabular positions `code` stands for (None: no range holds it)."""
    return code_order_span(DX_SYSTEM, code)


def _may_hold(bounds: _Bounds | None, span: _Bounds | None) -> bool:
    """False when the range cannot hold the code: its bounds leave out the code's span.

    Two integer comparisons spare the full membership test for nearly every pair of a
    claim diagnosis and a listed range, which the diagnosis falls outside.
    """
    if bounds is None:
        return True
    return span is not None and bounds[0] <= span[0] and span[1] <= bounds[1]


@dataclass(slots=True)
class DxList:
    """A version's listed ICD-10-CM codes and ranges, indexed for matching."""

    entries: list[DxEntry] = field(default_factory=list)
    covered: list[DxEntry] = field(default_factory=list, init=False)
    denied: list[DxEntry] = field(default_factory=list, init=False)
    _codes: dict[str, list[DxEntry]] = field(default_factory=dict, init=False, repr=False)
    _ranges: list[tuple[DxEntry, _Bounds | None]] = field(default_factory=list, init=False, repr=False)
    _found: dict[str, list[DxEntry]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            if entry.end is None:
                self._codes.setdefault(entry.start, []).append(entry)
            else:
                self._ranges.append((entry, _range_bounds(entry.start, entry.end)))
            if entry.coverage == MEDICALLY_NECESSARY:
                self.covered.append(entry)
            elif entry.coverage in DENIAL_STATUSES:
                self.denied.append(entry)

    def matches(self, dx: str) -> list[DxEntry]:
        """The entries `dx` falls under, the most specific code first, then ranges."""
        found = self._found.get(dx)
        if found is None:
            found = [entry for code in lineage(dx) for entry in self._codes.get(code, ())]
            if self._ranges:
                span = _order_span(dx)
                found += [
                    entry
                    for entry, bounds in self._ranges
                    if _may_hold(bounds, span) and _in_range(dx, entry.start, entry.end or entry.start)
                ]
            self._found[dx] = found
        return found
