"""What questions are answered from: the store's current policy versions, with BM25 indexes over them.

`snapshot(store)` reads every current version's header, coverage positions and section
headings once, builds two BM25 indexes (one document per policy: title, position
summaries, headings and text; one per coverage position: policy title, what it applies
to, statement, criteria) and caches the result for the store until its data changes
(a new or replaced version). The indexes are medpolicy's own (`medpolicy.ask.bm25`), not
the store's full-text index, so the synonym table applies on every backend alike.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, func, select

from medpolicy.ask.bm25 import BM25
from medpolicy.ask.text import terms
from medpolicy.model import Span
from medpolicy.payers import payer_key
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import policies, version_coverage, version_sections, versions

if TYPE_CHECKING:
    from medpolicy.api import Store

# Characters of each version's text that go into its policy document (titles and positions always do).
INDEXED_TEXT_CHARS = 60_000
TITLE_WEIGHT = 3  # the title counts this many times in its policy document
ANTECEDENT_CHARS = 500  # how far back the sentence a "This service ..." statement points at may start
_ANAPHOR = re.compile(
    r"^(?:this|these|those|such|it|they|the\s+(?:above|listed)(?:\s+\w+)?)\b(?!\s+policy\b)", re.I
)


@dataclass(frozen=True, slots=True)
class Position:
    """One coverage position of a current version."""

    number: int  # its order in the version
    status: str
    statement: str
    applies_to: str | None
    criteria: tuple[str, ...]
    span: Span | None
    # What evidence quotes: the statement, with the sentence before it when it opens with
    # "This service" / "These items" and so names its subject only there.
    quote: str = ""
    quote_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    kind: str
    spans: tuple[Span, ...]


@dataclass(slots=True)
class PolicyRecord:
    """A current version and the facts questions use."""

    version_id: int
    policy_id: int
    version_no: int
    payer: str | None
    payer_key: str
    policy_number: str | None
    title: str | None
    doc_type: str
    dates: dict[str, str | None]
    positions: list[Position] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section_at(self, offset: int) -> str | None:
        """The heading of the innermost section holding character `offset`."""
        found = self._innermost(offset)
        return None if found is None else found.heading

    def section_kind_at(self, offset: int) -> str | None:
        """The kind ("policy", "coding", "history", …) of the innermost section holding `offset`."""
        found = self._innermost(offset)
        return None if found is None else found.kind

    def _innermost(self, offset: int) -> Section | None:
        best: tuple[int, Section] | None = None
        for section in self.sections:
            for start, end in section.spans:
                if start <= offset < end and (best is None or end - start < best[0]):
                    best = (end - start, section)
        return None if best is None else best[1]


@dataclass(slots=True)
class Snapshot:
    """Every current version, indexed for retrieval."""

    records: list[PolicyRecord]
    payers: dict[str, str]  # payer key → canonical name, for every payer with a policy in the store
    policy_index: BM25
    position_index: BM25
    position_refs: list[tuple[int, int]]  # position-index doc → (record index, position index)
    position_docs: dict[tuple[int, int], int]  # (version id, position index) → position-index doc
    by_policy_id: dict[int, PolicyRecord]


_CACHE: weakref.WeakKeyDictionary[Engine, tuple[tuple[int, ...], Snapshot]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def snapshot(store: Store) -> Snapshot:
    """The store's current versions and their indexes, rebuilt only when the data changed."""
    engine = store.engine
    with read_transaction(engine) as conn:
        version = data_version(conn)
        with _LOCK:
            cached = _CACHE.get(engine)
        if cached is not None and cached[0] == version:
            return cached[1]
        built = _build(conn)
    with _LOCK:
        _CACHE[engine] = (version, built)
    return built


def data_version(conn: Connection) -> tuple[int, ...]:
    """Changes whenever a version is added, removed or made current."""
    row = conn.execute(
        select(
            func.count(versions.c.id),
            func.coalesce(func.max(versions.c.id), 0),
            func.coalesce(func.sum(versions.c.id).filter(versions.c.is_current.is_(True)), 0),
            func.count(versions.c.id).filter(versions.c.is_current.is_(True)),
        )
    ).one()
    return tuple(int(value) for value in row)


def _spans(raw: str | None) -> tuple[Span, ...]:
    return tuple((int(a), int(b)) for a, b in json.loads(raw or "[]"))


def _build(conn: Connection) -> Snapshot:
    rows = conn.execute(
        select(
            versions.c.id,
            versions.c.policy_id,
            versions.c.version_no,
            versions.c.effective,
            versions.c.last_revised,
            versions.c.original_effective,
            versions.c.published,
            versions.c.next_review,
            func.substr(versions.c.text, 1, INDEXED_TEXT_CHARS).label("text"),
            policies.c.payer,
            policies.c.policy_number,
            policies.c.title,
            policies.c.doc_type,
        )
        .join(policies)
        .where(versions.c.is_current.is_(True))
        .order_by(policies.c.id)
    ).all()
    records: list[PolicyRecord] = []
    texts: dict[int, str] = {}
    for row in rows:
        records.append(
            PolicyRecord(
                version_id=row.id,
                policy_id=row.policy_id,
                version_no=row.version_no,
                payer=row.payer,
                payer_key=payer_key(row.payer) if row.payer else "",
                policy_number=row.policy_number,
                title=row.title,
                doc_type=row.doc_type,
                dates={
                    "effective": row.effective,
                    "last_revised": row.last_revised,
                    "original_effective": row.original_effective,
                    "published": row.published,
                    "next_review": row.next_review,
                },
            )
        )
        texts[row.id] = row.text or ""
    by_version = {record.version_id: record for record in records}
    current = select(versions.c.id).where(versions.c.is_current.is_(True))
    for row in conn.execute(
        select(version_coverage)
        .where(version_coverage.c.version_id.in_(current))
        .order_by(version_coverage.c.version_id, version_coverage.c.position)
    ):
        spans = _spans(row.spans_json)
        span = spans[0] if spans else None
        quote, quote_span = with_antecedent(texts[row.version_id], row.statement, span)
        by_version[row.version_id].positions.append(
            Position(
                number=row.position,
                status=row.status,
                statement=row.statement,
                applies_to=row.applies_to,
                criteria=tuple(json.loads(row.criteria_json or "[]")),
                span=span,
                quote=quote,
                quote_span=quote_span,
            )
        )
    for row in conn.execute(
        select(version_sections)
        .where(version_sections.c.version_id.in_(current))
        .order_by(version_sections.c.version_id, version_sections.c.position)
    ):
        by_version[row.version_id].sections.append(Section(row.heading, row.kind, _spans(row.spans_json)))
    payers = {
        payer_key(row.payer): row.payer
        for row in conn.execute(select(policies.c.payer).where(policies.c.payer.is_not(None)).distinct())
    }
    return _index(records, texts, payers)


def with_antecedent(text: str, statement: str, span: Span | None) -> tuple[str, Span | None]:
    """The statement, extended back over the previous sentence when it opens by pointing at it."""
    flat = " ".join(statement.split())
    if span is None or not _ANAPHOR.match(flat) or span[1] > len(text):
        return flat, span
    start = span[0]
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    floor = max(0, start - ANTECEDENT_CHARS)
    # The previous sentence starts after a full stop or colon, or a blank line (PDF lines wrap mid-sentence).
    previous = max(
        floor, *(text.rfind(mark, floor, start - 1) + len(mark) for mark in (". ", ".\n", ":\n", "\n\n"))
    )
    if previous >= start or text[previous:start].strip() == "":
        return flat, span
    return " ".join(text[previous : span[1]].split()), (previous, span[1])


def _policy_terms(record: PolicyRecord, text: str) -> list[str]:
    title = record.title or ""
    parts = [title] * TITLE_WEIGHT
    parts.extend(p.applies_to or "" for p in record.positions)
    parts.extend(s.heading for s in record.sections)
    parts.append(text)
    return terms("\n".join(parts))


def position_text(record: PolicyRecord, position: Position) -> str:
    """What a position is matched on: the policy's title, what it applies to, its statement and criteria."""
    statement = position.quote or position.statement
    return "\n".join([record.title or "", position.applies_to or "", statement, *position.criteria])


def _index(records: list[PolicyRecord], texts: dict[int, str], payers: dict[str, Any]) -> Snapshot:
    position_docs: list[list[str]] = []
    refs: list[tuple[int, int]] = []
    for record_no, record in enumerate(records):
        for position_no, position in enumerate(record.positions):
            position_docs.append(terms(position_text(record, position)))
            refs.append((record_no, position_no))
    return Snapshot(
        records=records,
        payers=payers,
        policy_index=BM25(_policy_terms(record, texts[record.version_id]) for record in records),
        position_index=BM25(position_docs),
        position_refs=refs,
        position_docs={(records[r].version_id, p): doc for doc, (r, p) in enumerate(refs)},
        by_policy_id={record.policy_id: record for record in records},
    )
