"""Checks that a store is whole: no half-stored document, no orphan fact, one current version per policy."""

from __future__ import annotations

import sqlalchemy as sa

from medpolicy.store.schema import FACT_TABLES, policies, version_codes, version_coverage, versions


def assert_consistent(engine: sa.Engine) -> None:
    """Fail unless each version has its facts and policy, each fact its version, each policy one current."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            # the external-content full-text index matches the versions table exactly
            conn.exec_driver_sql("INSERT INTO versions_fts(versions_fts, rank) VALUES ('integrity-check', 1)")
            indexed = conn.exec_driver_sql("SELECT count(*) FROM versions_fts").scalar()
            assert indexed == conn.scalar(sa.select(sa.func.count()).select_from(versions))
        for table in FACT_TABLES:
            orphans = conn.scalar(
                sa.select(sa.func.count())
                .select_from(table)
                .where(~table.c.version_id.in_(sa.select(versions.c.id)))
            )
            assert orphans == 0, f"orphan rows in {table.name}"
        homeless = conn.scalar(
            sa.select(sa.func.count())
            .select_from(versions)
            .where(~versions.c.policy_id.in_(sa.select(policies.c.id)))
        )
        assert homeless == 0
        empty_policies = conn.scalar(
            sa.select(sa.func.count())
            .select_from(policies)
            .where(~policies.c.id.in_(sa.select(versions.c.policy_id)))
        )
        assert empty_policies == 0
        current_counts = conn.execute(
            sa.select(versions.c.policy_id, sa.func.count())
            .where(versions.c.is_current.is_(True))
            .group_by(versions.c.policy_id)
        ).all()
        assert len(current_counts) == conn.scalar(sa.select(sa.func.count()).select_from(policies))
        assert all(count == 1 for _, count in current_counts)
        for table in (version_codes, version_coverage):
            bare = conn.scalar(
                sa.select(sa.func.count())
                .select_from(versions)
                .where(~versions.c.id.in_(sa.select(table.c.version_id)))
            )
            assert bare == 0, f"a version without {table.name}"
