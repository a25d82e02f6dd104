"""Finding the policies and coverage positions a question's service words are about.

A position *matches* when its terms carry at least `POSITION_MATCH` of the query's IDF
weight (see `BM25.match_ratio`); a policy is *related* when its title and text carry at
least `POLICY_RELATED`. Matches answer; related policies are shown when nothing matches,
so the reader can check them, never as an answer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from medpolicy.ask.corpus import PolicyRecord, Position, Snapshot

POSITION_MATCH = 0.8
POLICY_RELATED = 0.5
# Documents that describe codes or summarise other policies state no payer's own position.
NON_POLICY_TYPES = frozenset({"code_page", "coverage_summary"})


@dataclass(frozen=True, slots=True)
class PositionMatch:
    record: PolicyRecord
    position: Position
    score: float
    ratio: float


@dataclass(frozen=True, slots=True)
class PolicyMatch:
    record: PolicyRecord
    score: float
    ratio: float


def _allowed(record: PolicyRecord, payer_keys: Collection[str] | None) -> bool:
    if record.doc_type in NON_POLICY_TYPES:
        return False
    return payer_keys is None or record.payer_key in payer_keys


def matching_positions(
    snap: Snapshot,
    query: Sequence[str],
    *,
    payer_keys: Collection[str] | None = None,
    min_ratio: float = POSITION_MATCH,
) -> list[PositionMatch]:
    """Positions whose words carry most of the query's weight, best first."""
    if not query:
        return []
    index = snap.position_index
    found = []
    for doc_id, score in index.scores(query).items():
        record_no, position_no = snap.position_refs[doc_id]
        record = snap.records[record_no]
        if not _allowed(record, payer_keys):
            continue
        ratio = index.match_ratio(doc_id, query)
        if ratio >= min_ratio:
            found.append(PositionMatch(record, record.positions[position_no], score, ratio))
    found.sort(key=lambda m: (-m.ratio, -m.score, m.record.policy_id, m.position.number))
    return found


def related_policies(
    snap: Snapshot,
    query: Sequence[str],
    *,
    payer_keys: Collection[str] | None = None,
    min_ratio: float = POLICY_RELATED,
    limit: int = 10,
) -> list[PolicyMatch]:
    """Policies whose title and text carry at least `min_ratio` of the query's weight, best first."""
    if not query:
        return []
    index = snap.policy_index
    found = []
    for doc_id, score in index.scores(query).items():
        record = snap.records[doc_id]
        if not _allowed(record, payer_keys):
            continue
        ratio = index.match_ratio(doc_id, query)
        if ratio >= min_ratio:
            found.append(PolicyMatch(record, score, ratio))
    found.sort(key=lambda m: (-m.ratio, -m.score, m.record.policy_id))
    return found[:limit]


def positions_about(
    snap: Snapshot, record: PolicyRecord, query: Sequence[str], *, min_ratio: float = POSITION_MATCH
) -> list[Position]:
    """The positions of one policy whose words carry most of the query's weight, in document order."""
    if not query:
        return []
    index = snap.position_index
    found = []
    for number, position in enumerate(record.positions):
        doc_id = snap.position_docs.get((record.version_id, number))
        if doc_id is not None and index.match_ratio(doc_id, query) >= min_ratio:
            found.append(position)
    return found
