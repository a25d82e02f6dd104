"""Opening stores: schema versions and migrations, SQLite settings, clear errors for bad targets."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

import medpolicy
from medpolicy.api import Store
from medpolicy.store import migrations
from medpolicy.store.engine import StoreUnavailable, store_url
from medpolicy.store.migrations import Migration, applied_versions
from store.documents import PolicySpec, policy_document


def _versions(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return applied_versions(conn)


SHIPPED = [1, *(step.version for step in migrations.MIGRATIONS)]
NEXT = SHIPPED[-1] + 1


def test_a_new_store_is_at_the_latest_version_and_reopening_changes_nothing(fresh_store_url: str) -> None:
    with medpolicy.open(fresh_store_url) as store:
        assert _versions(store) == SHIPPED
    with medpolicy.open(fresh_store_url) as store:
        assert _versions(store) == SHIPPED
        assert store.stats().schema_version == SHIPPED[-1]


def _add_review_note(conn: sa.Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE policies ADD COLUMN review_note VARCHAR")


def test_pending_migrations_run_once_in_order(fresh_store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    medpolicy.open(fresh_store_url).close()
    step = Migration(NEXT, "policies.review_note", _add_review_note)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, step))
    with medpolicy.open(fresh_store_url) as store:
        assert _versions(store) == [*SHIPPED, NEXT]
        assert "review_note" in {c["name"] for c in sa.inspect(store.engine).get_columns("policies")}
    with medpolicy.open(fresh_store_url) as store:  # a second open must not run the step again
        assert _versions(store) == [*SHIPPED, NEXT]


def test_a_new_store_is_stamped_with_every_migration(
    fresh_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = (*migrations.MIGRATIONS, Migration(NEXT, "policies.review_note", _add_review_note))
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    with medpolicy.open(fresh_store_url) as store:
        assert _versions(store) == [*SHIPPED, NEXT]


def test_a_store_from_a_newer_medpolicy_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.db"
    shipped = migrations.MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", (*shipped, Migration(NEXT, "future", _add_review_note)))
    medpolicy.open(path).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", shipped)
    with pytest.raises(StoreUnavailable, match=f"schema version {NEXT}, newer than"):
        medpolicy.open(path)


def _back_to_schema_1(conn: sa.Connection, warnings: list[str]) -> None:
    """Undo migrations 2 and 3 (a schema-1 store kept the whole extraction JSON, warnings included)."""
    conn.exec_driver_sql("DROP INDEX ix_version_ranges_order")
    conn.exec_driver_sql("DROP INDEX ix_versions_current_id")
    conn.exec_driver_sql("ALTER TABLE version_ranges DROP COLUMN order_low")
    conn.exec_driver_sql("ALTER TABLE version_ranges DROP COLUMN order_high")
    conn.exec_driver_sql("ALTER TABLE versions DROP COLUMN warnings_json")
    conn.exec_driver_sql("ALTER TABLE versions ADD COLUMN extraction_json TEXT NOT NULL DEFAULT '{}'")
    conn.execute(
        sa.text("UPDATE versions SET extraction_json = :j"), {"j": json.dumps({"warnings": warnings})}
    )
    conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version > 1")


def test_a_schema_1_store_is_brought_up_to_date(fresh_store_url: str) -> None:
    """Schema 2 keys version_ranges by order so lookups find ranges on an index, and adds the index
    search reads; schema 3 keeps each version's warnings instead of a copy of every fact."""
    spec = PolicySpec(
        codes=[], ranges=[("ICD-10-CM", "C81.00", "C96.9", None), ("CPT", "0537T", "0540T", None)]
    )
    with medpolicy.open(fresh_store_url) as store:
        store.add(*policy_document(spec))
        with store.engine.begin() as conn:
            _back_to_schema_1(conn, ["no effective date found"])
    with medpolicy.open(fresh_store_url) as store:
        assert _versions(store) == SHIPPED
        with store.engine.connect() as conn:
            keyed = conn.exec_driver_sql(
                "SELECT count(*) FROM version_ranges WHERE order_low <= order_high"
            ).scalar_one()
        assert keyed == 2
        assert "ix_versions_current_id" in {
            i["name"] for i in sa.inspect(store.engine).get_indexes("versions")
        }
        assert [p.range for p in store.code("C83.30").policies] == ["C81.00-C96.9"]
        assert [p.range for p in store.code("0538T").policies] == ["0537T-0540T"]
        assert store.code("C80.1").policies == [] and store.code("0541T").policies == []
        policy_id = store.code("0538T").policies[0].policy_id
        assert store.policy(policy_id).version.warnings == ["no effective date found"]
        assert "extraction_json" not in {c["name"] for c in sa.inspect(store.engine).get_columns("versions")}


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 10_000


def test_memory_store_works_for_quick_use() -> None:
    with medpolicy.open(":memory:") as store:
        assert store.stats().policies == 0


def test_bad_targets_are_refused_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="does not exist"):
        medpolicy.open(tmp_path / "missing" / "store.db")
    with pytest.raises(StoreUnavailable, match="is a folder"):
        medpolicy.open(tmp_path)
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_bytes(b"these are not the bytes of a database" * 100)
    with pytest.raises(StoreUnavailable, match=r"notes\.db: cannot open the store: file is not a database"):
        medpolicy.open(not_a_db)
    with pytest.raises(StoreUnavailable, match="cannot open the store"):
        medpolicy.open("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(StoreUnavailable, match="not a database URL"):
        medpolicy.open("postgresql://host:port/db")
    with pytest.raises(StoreUnavailable, match="not a usable database URL"):
        medpolicy.open("nonsense://host/db")


def test_plain_postgresql_urls_use_the_installed_driver() -> None:
    assert store_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert store_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert store_url("sqlite:///x.db").drivername == "sqlite"


def test_the_password_never_appears_in_messages() -> None:
    with pytest.raises(StoreUnavailable) as error:
        medpolicy.open("postgresql+psycopg://nobody:hunter2@127.0.0.1:1/none")
    assert "hunter2" not in str(error.value)


def test_a_database_written_by_another_program_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    with medpolicy.open(path) as store:
        assert store.stats().policies == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("kept",)]
