"""Schema versions: create a new store at the latest version, upgrade an older one step by step.

`schema_migrations` records every version a store has reached. A new store is built
from the current table definitions in `medpolicy.store.schema` and stamped with every
version at once; an existing store runs, in order, each step in `MIGRATIONS` above its
latest recorded version, each in the same transaction as its record.

To change the schema:

1. Change the table definitions in `schema.py` (that is what new stores get).
2. Append a `Migration` to `MIGRATIONS` with the next version number and a function
   that brings a store at the previous version to the new one, e.g.::

       def _add_versions_language(conn: Connection) -> None:
           conn.exec_driver_sql("ALTER TABLE versions ADD COLUMN language VARCHAR(20)")

       MIGRATIONS = (Migration(2, "versions.language", _add_versions_language),)

   Write the step in SQL both SQLite and PostgreSQL accept, or branch on
   `conn.dialect.name`. Never edit or reorder a step that has shipped.

Tables other packages register on the shared `metadata` (code catalogs) are created
whenever a store is opened without them.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, bindparam, func, insert, inspect, select, update

from medpolicy.codes import CodeRangeSpec, range_order_span
from medpolicy.store import fulltext
from medpolicy.store.engine import StoreUnavailable, display_url, read_transaction, write_transaction
from medpolicy.store.schema import (
    CURRENT_VERSIONS_INDEX,
    STORE_TABLES,
    metadata,
    schema_migrations,
    version_ranges,
    versions,
)

BASELINE_VERSION = 1
BASELINE_NAME = "policies, versions, facts and full-text index"
# Modules that declare tables on `metadata`; imported (when present) before tables are created.
TABLE_MODULES: tuple[str, ...] = ("medpolicy.codes.tables", "medpolicy.check.tables")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    upgrade: Callable[[Connection], None]


def _add_lookup_keys(conn: Connection) -> None:
    """version_ranges.order_low / order_high, filled in for the ranges already stored, and the
    covering index search reads instead of whole version rows."""
    conn.exec_driver_sql(f"CREATE INDEX {CURRENT_VERSIONS_INDEX} ON versions (id, is_current, policy_id)")
    conn.exec_driver_sql("ALTER TABLE version_ranges ADD COLUMN order_low INTEGER")
    conn.exec_driver_sql("ALTER TABLE version_ranges ADD COLUMN order_high INTEGER")
    conn.exec_driver_sql(
        "CREATE INDEX ix_version_ranges_order ON version_ranges (system, order_low, order_high)"
    )
    rows = conn.execute(
        select(
            version_ranges.c.id,
            version_ranges.c.system,
            version_ranges.c.range_start,
            version_ranges.c.range_end,
        )
    ).all()
    updates = []
    for row in rows:
        found = range_order_span(CodeRangeSpec(row.system, row.range_start, row.range_end))
        if found is not None:
            updates.append({"row_id": row.id, "low": found[0], "high": found[1]})
    if updates:
        conn.execute(
            update(version_ranges)
            .where(version_ranges.c.id == bindparam("row_id"))
            .values(order_low=bindparam("low"), order_high=bindparam("high")),
            updates,
        )


def _keep_only_warnings(conn: Connection) -> None:
    """versions.warnings_json replaces extraction_json, which repeated every fact the version_* tables
    hold (and doubled the bytes written per document) to keep the warnings."""
    conn.exec_driver_sql("ALTER TABLE versions ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]'")
    rows = conn.exec_driver_sql("SELECT id, extraction_json FROM versions").all()
    updates = []
    for version_id, extraction_json in rows:
        warnings = json.loads(extraction_json or "{}").get("warnings") or []
        if warnings:
            updates.append({"row_id": version_id, "warnings": json.dumps(warnings, ensure_ascii=False)})
    if updates:
        conn.execute(
            update(versions)
            .where(versions.c.id == bindparam("row_id"))
            .values(warnings_json=bindparam("warnings")),
            updates,
        )
    conn.exec_driver_sql("ALTER TABLE versions DROP COLUMN extraction_json")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "range order keys and the current-versions index", _add_lookup_keys),
    Migration(3, "versions keep the extractor's warnings, not a copy of every fact", _keep_only_warnings),
)


def latest_version() -> int:
    return MIGRATIONS[-1].version if MIGRATIONS else BASELINE_VERSION


def ensure_schema(engine: Engine) -> None:
    """Bring the store at `engine` to the latest schema; cheap when it already is."""
    _import_table_modules()
    with read_transaction(engine) as conn:
        if _is_ready(conn):
            return
        current = _current_version(conn)
    if current > latest_version():
        raise StoreUnavailable(
            f"{display_url(engine.url)}: the store is at schema version {current}, newer than this "
            f"medpolicy understands ({latest_version()}); upgrade medpolicy to open it"
        )
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Serialise concurrent first opens; the lock ends with the transaction.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('medpolicy.schema'))")
        if _is_ready(conn):
            return
        current = _current_version(conn)
        if current == 0:
            metadata.create_all(conn, tables=list(STORE_TABLES))
            fulltext.create_index(conn)
            _record(conn, BASELINE_VERSION, BASELINE_NAME)
            for step in MIGRATIONS:
                _record(conn, step.version, step.name)
        else:
            for step in MIGRATIONS:
                if step.version > current:
                    step.upgrade(conn)
                    _record(conn, step.version, step.name)
        metadata.create_all(conn, checkfirst=True)


def applied_versions(conn: Connection) -> list[int]:
    """The schema versions recorded in the store, oldest first."""
    return list(conn.scalars(select(schema_migrations.c.version).order_by(schema_migrations.c.version)))


def _import_table_modules() -> None:
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def _current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema_migrations.name):
        return 0
    return int(conn.scalar(select(func.coalesce(func.max(schema_migrations.c.version), 0))) or 0)


def _is_ready(conn: Connection) -> bool:
    if _current_version(conn) != latest_version():
        return False
    existing = set(inspect(conn).get_table_names())
    return all(name in existing for name in metadata.tables)


def _record(conn: Connection, version: int, name: str) -> None:
    conn.execute(insert(schema_migrations).values(version=version, name=name, applied_at=datetime.now(UTC)))
