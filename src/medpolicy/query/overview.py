"""What the store holds: payers with their counts, and overall statistics."""

from __future__ import annotations

from sqlalchemy import Connection, distinct, func, select

from medpolicy.query.results import PayerCount, Stats
from medpolicy.store.migrations import applied_versions
from medpolicy.store.schema import policies, version_codes, versions


def payer_counts(conn: Connection) -> list[PayerCount]:
    """Every canonical payer in the store with its policies, versions and distinct codes, by name."""
    named = policies.c.payer.is_not(None)
    policy_counts: dict[str, int] = dict(
        conn.execute(select(policies.c.payer, func.count()).where(named).group_by(policies.c.payer)).all()
    )
    version_counts: dict[str, int] = dict(
        conn.execute(
            select(policies.c.payer, func.count())
            .select_from(versions.join(policies))
            .where(named)
            .group_by(policies.c.payer)
        ).all()
    )
    distinct_codes = (
        select(policies.c.payer, version_codes.c.system, version_codes.c.code)
        .select_from(version_codes.join(versions).join(policies))
        .where(named, versions.c.is_current.is_(True))
        .distinct()
        .subquery()
    )
    code_counts: dict[str, int] = dict(
        conn.execute(select(distinct_codes.c.payer, func.count()).group_by(distinct_codes.c.payer)).all()
    )
    return [
        PayerCount(payer, count, version_counts.get(payer, 0), code_counts.get(payer, 0))
        for payer, count in sorted(policy_counts.items(), key=lambda item: item[0].casefold())
    ]


def store_stats(conn: Connection) -> Stats:
    """Counts of everything stored."""
    current = versions.c.is_current.is_(True)
    current_codes = version_codes.join(versions)
    distinct_codes = (
        select(version_codes.c.system, version_codes.c.code)
        .select_from(current_codes)
        .where(current)
        .distinct()
        .subquery()
    )
    by_doc_type: dict[str, int] = dict(
        conn.execute(select(policies.c.doc_type, func.count()).group_by(policies.c.doc_type)).all()
    )
    return Stats(
        backend=conn.dialect.name,
        schema_version=max(applied_versions(conn), default=0),
        policies=conn.scalar(select(func.count()).select_from(policies)) or 0,
        versions=conn.scalar(select(func.count()).select_from(versions)) or 0,
        codes=conn.scalar(select(func.count()).select_from(distinct_codes)) or 0,
        code_facts=conn.scalar(select(func.count()).select_from(current_codes).where(current)) or 0,
        payers=conn.scalar(select(func.count(distinct(policies.c.payer)))) or 0,
        by_doc_type=dict(sorted(by_doc_type.items())),
    )
