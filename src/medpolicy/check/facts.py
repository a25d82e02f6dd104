"""What a batch of claim lines needs from the store, loaded once in a few queries.

Phase one (`load_listings`) finds, for every (payer, procedure code) in the batch, the
policies of that payer naming the code in any version (directly or through a listed
range) and the headers of all their versions, so that the version in force on each
date of service can be chosen. Phase two (`load_versions`) reads the coverage
positions, ICD-10-CM lists, related documents and sections of the chosen versions.
Everything after that is answered from memory.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, select

from medpolicy.check.claims import PROCEDURE_SYSTEMS
from medpolicy.check.diagnoses import DX_SYSTEM, DxEntry, DxList
from medpolicy.model import Span
from medpolicy.query.ranges import code_in_range
from medpolicy.store.schema import (
    policies,
    version_codes,
    version_coverage,
    version_ranges,
    version_related,
    version_sections,
    versions,
)

CHUNK = 900  # bound parameters per IN list (SQLite allows far more; PostgreSQL plans stay small)
_GROUP_HEADING = re.compile(r"^\s*group\s+\d+\b", re.I)
# Sections diagnosis lists sit in (their headings name a list: "ICD-10 Codes that Support Medical Necessity").
LIST_SECTION_KINDS = ("coding", "policy")
COVERAGE_DOC_TYPES = frozenset(
    {"medical_policy", "clinical_policy_bulletin", "lcd", "ncd", "billing_article"}
)
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)


@dataclass(frozen=True)
class Citation:
    """One version of one stored document: what a denial letter or an appeal cites."""

    policy_id: int
    payer: str | None
    policy_number: str | None
    title: str | None
    doc_type: str
    version_no: int
    effective: str | None
    source_path: str

    def label(self) -> str:
        """How a sentence names the document: 'article A52370', 'LCD L33394', 'policy "NK Cells"'."""
        return self._label

    def cite(self) -> str:
        """'Blue Cross and Blue Shield of Montana, Natural Killer (NK) Cells, effective 2014-02-01'."""
        return self._cite

    @cached_property
    def _label(self) -> str:
        kind = {"billing_article": "article", "lcd": "LCD", "ncd": "NCD"}.get(self.doc_type, "policy")
        return (
            f"{kind} {self.policy_number}"
            if self.policy_number
            else f'{kind} "{self.title or self.source_path}"'
        )

    @cached_property
    def _cite(self) -> str:
        name = " ".join(part for part in (self.policy_number, self.title) if part) or self.source_path
        when = f"effective {self.effective}" if self.effective else "no effective date stated"
        return ", ".join(part for part in (self.payer, name, when) if part)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_id": self.policy_id,
            "payer": self.payer,
            "policy_number": self.policy_number,
            "title": self.title,
            "doc_type": self.doc_type,
            "version_no": self.version_no,
            "effective": self.effective,
            "source_path": self.source_path,
        }


# VersionHeader, Listing, Position and InForce are named tuples rather than frozen dataclasses:
# a batch builds them by the ten thousand, and a tuple is built several times faster.


class VersionHeader(NamedTuple):
    version_id: int
    citation: Citation
    is_current: bool


class Listing(NamedTuple):
    """How one version names a procedure code: directly, or inside a range it lists."""

    version_id: int
    code: str
    range: str | None  # "86355-86357" when listed through a range
    coverage: str | None  # the status the document ties to the code itself
    status: str | None  # `coverage`, else the one status all positions agree on, else "mixed"
    statement_span: Span | None  # where the statement behind `status` is (a position's span)
    span: Span | None


class Position(NamedTuple):
    status: str
    statement: str
    applies_to: str | None
    criteria: tuple[str, ...]
    span: Span | None


@dataclass(slots=True)
class VersionFacts:
    """The facts of one version the decision reads besides the procedure code's listing."""

    positions: list[Position] = field(default_factory=list)
    dx: DxList = field(default_factory=DxList)
    related: list[str] = field(default_factory=list)
    sections: list[tuple[str, int, int]] = field(default_factory=list)  # (heading, start, end)

    def position_at(self, span: Span | None) -> Position | None:
        """The position whose statement starts the stored span (the store keeps a code's statement so)."""
        if span is None:
            return None
        return next((p for p in self.positions if p.span == span), None)

    def section_of(self, span: Span | None) -> str | None:
        """The heading of the section holding `span`, passing over numbered groups to the heading
        that names the list ("Group 1 Codes" sits under "ICD-10-CM Codes that Support ...")."""
        if span is None:
            return None
        ordered = self.sections  # in text order (see `load_versions`)
        index = next((i for i, (_, start, end) in enumerate(ordered) if start <= span[0] < end), None)
        if index is None:
            return None
        while index > 0 and _GROUP_HEADING.match(ordered[index][0]):
            index -= 1
        return ordered[index][0]


@dataclass(slots=True)
class _RangeIndex:
    """Procedure-code ranges of one payer and system, for quick membership tests.

    Ranges are sorted by start; `reach[i]` is the largest end among the first i + 1, so
    a scan backwards from the last start at or before a code can stop once nothing
    earlier reaches it. String order equals code order for CPT and HCPCS codes of one
    shape; `code_in_range` confirms each candidate.
    """

    system: str
    starts: list[str] = field(default_factory=list)
    rows: list[tuple[Any, int]] = field(default_factory=list)  # (range row, policy id)
    reach: list[str] = field(default_factory=list)

    def build(self) -> None:
        order = sorted(range(len(self.rows)), key=lambda i: self.starts[i])
        self.starts = [self.starts[i] for i in order]
        self.rows = [self.rows[i] for i in order]
        best = ""
        self.reach = []
        for row, _ in self.rows:
            best = max(best, row.range_end)
            self.reach.append(best)

    def holding(self, code: str) -> Iterator[tuple[Any, int]]:
        index = bisect.bisect_right(self.starts, code) - 1
        while index >= 0 and self.reach[index] >= code:
            row = self.rows[index][0]
            if row.range_end >= code and code_in_range(self.system, code, row.range_start, row.range_end):
                yield self.rows[index]
            index -= 1


@dataclass(slots=True)
class StoreFacts:
    """Everything loaded for one batch.

    payer_documents: payer key -> documents stored; candidates: (payer key, code) -> ids
    of the policies naming the code in some version; versions: policy id -> its versions
    in time order, and effective: their effective dates ("" when none); listings:
    (version id, code) -> how the version lists the code; facts: version id -> what phase
    two read.
    """

    payer_documents: dict[str, int] = field(default_factory=dict)
    candidates: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    versions: dict[int, list[VersionHeader]] = field(default_factory=dict)
    effective: dict[int, list[str]] = field(default_factory=dict)
    listings: dict[tuple[int, str], Listing] = field(default_factory=dict)
    facts: dict[int, VersionFacts] = field(default_factory=dict)


_HEADER_COLUMNS = (
    versions.c.id,
    versions.c.policy_id,
    versions.c.version_no,
    versions.c.effective,
    versions.c.title,
    versions.c.policy_number,
    versions.c.doc_type,
    versions.c.source_path,
    versions.c.is_current,
    policies.c.payer,
)


def load_listings(conn: Connection, wanted: Iterable[tuple[str, str, str]]) -> StoreFacts:
    """Phase one for the (payer key, code, system) triples of a batch.

    Which policy and payer each version of the batch's payers belongs to is read first
    (one query on indexes only), so that the code and range queries need no joins:
    SQLite answers them from one index each. Version headers are read only for the
    policies that name a code of the batch.
    """
    wanted = sorted(set(wanted))
    payer_keys = sorted({payer for payer, _, _ in wanted})
    codes_by_payer: dict[str, set[str]] = defaultdict(set)
    for payer, code, _ in wanted:
        codes_by_payer[payer].add(code)
    out = StoreFacts()
    owners: dict[int, tuple[int, str]] = {}  # version id -> (policy id, payer key)
    policies_of: dict[str, set[int]] = defaultdict(set)
    for keys in chunks(payer_keys):
        stmt = (
            select(versions.c.id, versions.c.policy_id, policies.c.payer_key)
            .join(policies)
            .where(policies.c.payer_key.in_(keys))
        )
        for vid, policy_id, payer_key in conn.execute(stmt).all():
            owners[vid] = (policy_id, payer_key)
            policies_of[payer_key].add(policy_id)
    out.payer_documents = {key: len(ids) for key, ids in policies_of.items()}
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    _direct_listings(conn, owners, codes_by_payer, out, found)
    _range_listings(conn, owners, wanted, out, found)
    out.candidates = {key: sorted(ids) for key, ids in found.items()}
    _load_headers(conn, sorted({pid for ids in found.values() for pid in ids}), out)
    return out


def _load_headers(conn: Connection, policy_ids: Sequence[int], out: StoreFacts) -> None:
    """Every version of `policy_ids`, in time order, for choosing the one in force."""
    headers: dict[int, list[VersionHeader]] = defaultdict(list)
    for ids in chunks(policy_ids):
        stmt = select(*_HEADER_COLUMNS).join(policies).where(versions.c.policy_id.in_(ids))
        for row in conn.execute(stmt).all():
            citation = Citation(
                row.policy_id,
                row.payer,
                row.policy_number,
                row.title,
                row.doc_type,
                row.version_no,
                row.effective,
                row.source_path,
            )
            headers[row.policy_id].append(VersionHeader(row.id, citation, bool(row.is_current)))
    for policy_id in policy_ids:
        ordered = sorted(headers[policy_id], key=lambda h: (h.citation.effective or "", h.version_id))
        out.versions[policy_id] = ordered
        out.effective[policy_id] = [h.citation.effective or "" for h in ordered]


def _direct_listings(
    conn: Connection,
    owners: dict[int, tuple[int, str]],
    codes_by_payer: dict[str, set[str]],
    out: StoreFacts,
    found: dict[tuple[str, str], set[int]],
) -> None:
    all_codes = sorted({code for codes in codes_by_payer.values() for code in codes})
    for codes in chunks(all_codes):
        stmt = select(
            version_codes.c.version_id,
            version_codes.c.code,
            version_codes.c.coverage,
            version_codes.c.status,
            version_codes.c.statement_start,
            version_codes.c.statement_end,
            version_codes.c.span_start,
            version_codes.c.span_end,
        ).where(
            version_codes.c.code.in_(codes),
            version_codes.c.role == "listed",
            version_codes.c.system.in_(PROCEDURE_SYSTEMS),
        )
        for vid, code, coverage, status, st_start, st_end, start, end in conn.execute(stmt).all():
            owner = owners.get(vid)
            if owner is None or code not in codes_by_payer[owner[1]]:
                continue
            found[(owner[1], code)].add(owner[0])
            if (vid, code) not in out.listings:
                out.listings[(vid, code)] = Listing(
                    vid, code, None, coverage, status, _span(st_start, st_end), _span(start, end)
                )


def _range_listings(
    conn: Connection,
    owners: dict[int, tuple[int, str]],
    wanted: Sequence[tuple[str, str, str]],
    out: StoreFacts,
    found: dict[tuple[str, str], set[int]],
) -> None:
    systems = sorted({system for _, _, system in wanted})
    indexes: dict[tuple[str, str], _RangeIndex] = {}
    stmt = select(
        version_ranges.c.version_id,
        version_ranges.c.system,
        version_ranges.c.range_start,
        version_ranges.c.range_end,
        version_ranges.c.coverage,
        version_ranges.c.status,
        version_ranges.c.statement_start,
        version_ranges.c.statement_end,
        version_ranges.c.span_start,
        version_ranges.c.span_end,
    ).where(version_ranges.c.system.in_(systems))
    for row in conn.execute(stmt).all():
        owner = owners.get(row.version_id)
        if owner is None:
            continue
        index = indexes.setdefault((owner[1], row.system), _RangeIndex(row.system))
        index.starts.append(row.range_start)
        index.rows.append((row, owner[0]))
    for index in indexes.values():
        index.build()
    for payer, code, system in wanted:
        index_for = indexes.get((payer, system))
        if index_for is None:
            continue
        for row, policy_id in index_for.holding(code):
            found[(payer, code)].add(policy_id)
            out.listings.setdefault(
                (row.version_id, code),
                Listing(
                    row.version_id,
                    code,
                    f"{row.range_start}-{row.range_end}",
                    row.coverage,
                    row.status,
                    _span(row.statement_start, row.statement_end),
                    _span(row.span_start, row.span_end),
                ),
            )


def load_versions(conn: Connection, version_ids: Iterable[int], out: StoreFacts) -> None:
    """Phase two: positions, ICD-10-CM lists, related documents and list sections of `version_ids`."""
    needed = sorted(set(version_ids) - set(out.facts))
    for vid in needed:
        out.facts[vid] = VersionFacts()
    dx_entries: dict[int, list[DxEntry]] = defaultdict(list)
    for ids in chunks(needed):
        positions = select(
            version_coverage.c.version_id,
            version_coverage.c.status,
            version_coverage.c.statement,
            version_coverage.c.applies_to,
            version_coverage.c.criteria_json,
            version_coverage.c.span_start,
            version_coverage.c.span_end,
        ).where(version_coverage.c.version_id.in_(ids))
        ordered = positions.order_by(version_coverage.c.version_id, version_coverage.c.position)
        for vid, status, statement, applies_to, criteria, start, end in conn.execute(ordered).all():
            out.facts[vid].positions.append(
                Position(
                    status,
                    statement,
                    applies_to,
                    () if criteria == "[]" else tuple(json.loads(criteria)),
                    _span(start, end),
                )
            )
        # The system is compared as an expression (`system || ''`), which no index serves: a
        # plain `system = ?` makes SQLite read the system index (every ICD-10-CM row in the
        # store) instead of each version's rows. Rows come by version, then in list order:
        # the order the version index yields them in, so no sort is needed.
        dx_codes = select(
            version_codes.c.version_id,
            version_codes.c.code,
            version_codes.c.coverage,
            version_codes.c.span_start,
            version_codes.c.span_end,
        ).where(
            version_codes.c.version_id.in_(ids),
            version_codes.c.role == "listed",
            version_codes.c.system.concat("") == DX_SYSTEM,
        )
        in_order = dx_codes.order_by(version_codes.c.version_id, version_codes.c.id)
        for vid, code, coverage, start, end in conn.execute(in_order).all():
            dx_entries[vid].append(DxEntry(code, None, coverage, _span(start, end)))
        dx_ranges = select(
            version_ranges.c.version_id,
            version_ranges.c.system,
            version_ranges.c.range_start,
            version_ranges.c.range_end,
            version_ranges.c.coverage,
            version_ranges.c.span_start,
            version_ranges.c.span_end,
        ).where(version_ranges.c.version_id.in_(ids))
        for vid, system, first, last, coverage, start, end in conn.execute(
            dx_ranges.order_by(version_ranges.c.version_id, version_ranges.c.id)
        ).all():
            if system == DX_SYSTEM:
                dx_entries[vid].append(DxEntry(first, last, coverage, _span(start, end)))
        related = select(version_related.c.version_id, version_related.c.number).where(
            version_related.c.version_id.in_(ids), version_related.c.number.is_not(None)
        )
        for vid, number in conn.execute(
            related.order_by(version_related.c.version_id, version_related.c.position)
        ).all():
            out.facts[vid].related.append(number)
        sections = select(
            version_sections.c.version_id,
            version_sections.c.heading,
            version_sections.c.span_start,
            version_sections.c.span_end,
        ).where(
            version_sections.c.version_id.in_(ids),
            version_sections.c.kind.in_(LIST_SECTION_KINDS),
            version_sections.c.span_start.is_not(None),
        )
        for vid, heading, start, end in conn.execute(sections).all():
            out.facts[vid].sections.append((heading, start, end))
    for vid in needed:
        out.facts[vid].sections.sort(key=lambda section: section[1])
    for vid, entries in dx_entries.items():
        out.facts[vid].dx = DxList(entries)


class InForce(NamedTuple):
    """The version of one policy chosen for a date of service, or (header None) none was in force."""

    header: VersionHeader | None
    earliest: Citation
    day: str | None

    @property
    def note(self) -> str | None:
        """Why no version was in force, or that the one chosen states no effective date."""
        if self.header is None:
            return (
                f"the date of service {self.day} precedes every stored version of {self.earliest.label()} "
                f"(the earliest, version {self.earliest.version_no}, takes effect {self.earliest.effective})"
            )
        if self.day is not None and not self.header.citation.effective:
            return f"version {self.header.citation.version_no} states no effective date"
        return None


def version_in_force(
    headers: Sequence[VersionHeader], on: date | None, effective: Sequence[str] | None = None
) -> InForce:
    """The latest version whose effective date is on or before `on` (no date: the current version).

    `headers` are in time order (undated first), `effective` their effective dates ("" when
    none; computed when not given). Versions without an effective date count as in force
    from the start, behind every dated one; the note says so when one of them is chosen.
    """
    earliest = headers[0].citation
    if on is None:
        return InForce(next((h for h in headers if h.is_current), headers[-1]), earliest, None)
    day = on.isoformat()
    keys = effective if effective is not None else [h.citation.effective or "" for h in headers]
    index = bisect.bisect_right(keys, day) - 1
    return InForce(headers[index] if index >= 0 else None, earliest, day)
