"""Related codes: the codes and ranges the policies naming a code also list, most shared first.

Counted in the database (one grouped query per chunk of versions); only the codes the
report shows are then read row by row, for the description and span each one cites.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, not_, select

from medpolicy.model import Span
from medpolicy.report.citations import SourceRegistry
from medpolicy.report.model import RelatedCode
from medpolicy.store.chunks import id_chunks
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import version_codes, version_ranges

RELATED_LIMIT = 60

Listed = tuple[str, str, bool]  # (system, code or "start-end", is a range)


@dataclass(frozen=True, slots=True)
class _Mention:
    """The first row of a listed code or range in one version."""

    description: str | None
    span: Span | None


def related_codes(
    engine: Engine, registry: SourceRegistry, code: str, system: str | None, policy_ids: Iterable[int]
) -> list[RelatedCode]:
    """What the current versions of these policies list besides `code`, by how many list it.

    Each code cites, and takes its description from, the first of the policies (in the
    order given) that describes it, else the first that lists it.
    """
    current = [registry.version(policy_id) for policy_id in dict.fromkeys(policy_ids)]
    version_ids = [version.version_id for version in current]
    with read_transaction(engine) as conn:
        counts = _counts(conn, version_ids, (system, code) if system else None)
        shown = sorted(counts, key=lambda key: (-counts[key], key[0], key[1]))[:RELATED_LIMIT]
        mentions = _first_mentions(conn, version_ids, shown)
    related = []
    for key in shown:
        listing = [
            (version.policy_id, mention)
            for version in current
            if (mention := mentions.get((version.version_id, key))) is not None
        ]
        first = listing[0]
        policy_id, mention = (
            first
            if first[1].description is not None
            else next((m for m in listing if m[1].description), first)
        )
        sys_name, listed, is_range = key
        related.append(
            RelatedCode(
                sys_name,
                listed,
                is_range,
                counts[key],
                mention.description,
                registry.cite(policy_id, mention.span),
            )
        )
    return related


def _counts(conn: Connection, version_ids: list[int], excluded: tuple[str, str] | None) -> Counter[Listed]:
    """How many of the versions list each code and each range (`excluded` not counted)."""
    counts: Counter[Listed] = Counter()
    listing = func.count(version_codes.c.version_id.distinct())
    range_listing = func.count(version_ranges.c.version_id.distinct())
    for chunk in id_chunks(version_ids):
        codes = (
            select(version_codes.c.system, version_codes.c.code, listing)
            .where(version_codes.c.version_id.in_(chunk))
            .group_by(version_codes.c.system, version_codes.c.code)
        )
        if excluded is not None:
            codes = codes.where(
                not_(and_(version_codes.c.system == excluded[0], version_codes.c.code == excluded[1]))
            )
        for sys_name, listed, n in conn.execute(codes):
            counts[(sys_name, listed, False)] += n
        ranges = (
            select(
                version_ranges.c.system,
                version_ranges.c.range_start,
                version_ranges.c.range_end,
                range_listing,
            )
            .where(version_ranges.c.version_id.in_(chunk))
            .group_by(version_ranges.c.system, version_ranges.c.range_start, version_ranges.c.range_end)
        )
        for sys_name, start, end, n in conn.execute(ranges):
            counts[(sys_name, f"{start}-{end}", True)] += n
    return counts


def _first_mentions(
    conn: Connection, version_ids: list[int], shown: list[Listed]
) -> dict[tuple[int, Listed], _Mention]:
    """For each version and shown code or range, its first row there (in stored order)."""
    wanted = set(shown)
    codes = sorted({listed for _, listed, is_range in shown if not is_range})
    any_range = any(is_range for _, _, is_range in shown)
    mentions: dict[tuple[int, Listed], _Mention] = {}
    for chunk in id_chunks(version_ids):
        if codes:
            for row in conn.execute(
                select(
                    version_codes.c.version_id,
                    version_codes.c.system,
                    version_codes.c.code,
                    version_codes.c.description,
                    version_codes.c.span_start,
                    version_codes.c.span_end,
                )
                .where(version_codes.c.version_id.in_(chunk), version_codes.c.code.in_(codes))
                .order_by(version_codes.c.id)
            ):
                key = (row.system, row.code, False)
                if key in wanted:
                    mentions.setdefault((row.version_id, key), _Mention(row.description, _span(row)))
        if any_range:
            for row in conn.execute(
                select(
                    version_ranges.c.version_id,
                    version_ranges.c.system,
                    version_ranges.c.range_start,
                    version_ranges.c.range_end,
                    version_ranges.c.span_start,
                    version_ranges.c.span_end,
                )
                .where(version_ranges.c.version_id.in_(chunk))
                .order_by(version_ranges.c.id)
            ):
                key = (row.system, f"{row.range_start}-{row.range_end}", True)
                if key in wanted:
                    mentions.setdefault((row.version_id, key), _Mention(None, _span(row)))
    return mentions


def _span(row: Any) -> Span | None:
    """The row's first span (the store keeps it in span_start / span_end)."""
    return None if row.span_start is None or row.span_end is None else (row.span_start, row.span_end)
