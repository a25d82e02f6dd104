"""The store's tables (SQLAlchemy Core). One MetaData for every table the store holds.

A *policy* is one document identity (a payer's policy number, else a file path and
title); each distinct content of it is a *version*. Facts hang off versions, each with
the span (half-open character offsets) into `versions.text` it was read from: the
first span in `span_start`/`span_end`, all of them as JSON in `spans_json`.

Full-text search is not declared here because it differs per backend: SQLite gets an
FTS5 table `versions_fts`, PostgreSQL a generated `versions.search_vector` column
(see `medpolicy.store.fulltext`). Other packages register their own tables on
`metadata` (e.g. `medpolicy.codes.tables`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _version_fk() -> Column[int]:
    return Column("version_id", Integer, ForeignKey("versions.id", ondelete="CASCADE"), nullable=False)


def _span_columns() -> list[Column[Any]]:
    return [
        Column("span_start", Integer),
        Column("span_end", Integer),
        Column("spans_json", Text, nullable=False, default="[]"),
    ]


schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

policies = Table(
    "policies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("identity_key", String, nullable=False, unique=True),
    Column("payer", String),  # canonical payer name (medpolicy.payers.canonical_payer)
    Column("payer_key", String, nullable=False, default=""),
    Column("policy_number", String),
    Column("number_key", String),  # normalised policy number, for lookups
    Column("title", Text),
    Column("doc_type", String, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_policies_payer_key", "payer_key"),
    Index("ix_policies_number_key", "number_key"),
)

CURRENT_VERSIONS_INDEX = "ix_versions_current_id"
versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("policy_id", Integer, ForeignKey("policies.id", ondelete="CASCADE"), nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source_path", Text, nullable=False),
    Column("media_type", String, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("payer_as_written", String),
    Column("policy_number", String),
    Column("title", Text),
    Column("doc_type", String, nullable=False),
    Column("effective", String),
    Column("last_revised", String),
    Column("original_effective", String),
    Column("published", String),
    Column("next_review", String),
    Column("text", Text, nullable=False),
    Column("segments_json", Text, nullable=False, default="[]"),
    # What the extractor warned about this document (its facts are in the version_* tables).
    Column("warnings_json", Text, nullable=False, server_default="[]"),
    Column("is_current", Boolean, nullable=False, default=False),
    UniqueConstraint("policy_id", "sha256", name="uq_versions_policy_sha256"),
    UniqueConstraint("policy_id", "version_no", name="uq_versions_policy_version_no"),
    Index("ix_versions_sha256", "sha256"),
    # Covers "is this version current, and whose is it" without reading rows that carry whole texts.
    Index(CURRENT_VERSIONS_INDEX, "id", "is_current", "policy_id"),
    Index("ix_versions_policy_current", "policy_id", "is_current"),
)

version_codes = Table(
    "version_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("system", String, nullable=False),
    Column("code", String, nullable=False),
    Column("description", Text),
    Column("role", String, nullable=False),
    Column("coverage", String),  # the status the document ties to this code, if any
    # What the policy says about the code: `coverage`, else the one status all of the
    # policy's positions agree on, else "mixed"; None when the policy states none.
    Column("status", String),
    Column("statement", Text),  # the coverage statement behind `status`
    Column("statement_start", Integer),
    Column("statement_end", Integer),
    *_span_columns(),
    Index("ix_version_codes_system_code", "system", "code"),
    Index("ix_version_codes_code", "code"),
    Index("ix_version_codes_version", "version_id"),
)

version_ranges = Table(
    "version_ranges",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("system", String, nullable=False),
    Column("range_start", String, nullable=False),
    Column("range_end", String, nullable=False),
    # Positions of the ends in the system's order (`medpolicy.codes.range_order_span`), so a code
    # lookup finds the ranges that may hold a code on an index; NULL for systems without keys.
    Column("order_low", Integer),
    Column("order_high", Integer),
    Column("coverage", String),
    Column("status", String),
    Column("statement", Text),
    Column("statement_start", Integer),
    Column("statement_end", Integer),
    *_span_columns(),
    Index("ix_version_ranges_system", "system"),
    Index("ix_version_ranges_order", "system", "order_low", "order_high"),
    Index("ix_version_ranges_version", "version_id"),
)

version_coverage = Table(
    "version_coverage",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("position", Integer, nullable=False),
    Column("status", String, nullable=False),
    Column("statement", Text, nullable=False),
    Column("applies_to", Text),
    Column("criteria_json", Text, nullable=False, default="[]"),
    *_span_columns(),
    Index("ix_version_coverage_version", "version_id"),
)

version_related = Table(
    "version_related",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("position", Integer, nullable=False),
    Column("number", String),
    Column("title", Text),
    Index("ix_version_related_version", "version_id"),
)

version_references = Table(
    "version_references",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("n", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("pmid", String),
    Column("doi", String),
    Index("ix_version_references_version", "version_id"),
)

version_history = Table(
    "version_history",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("position", Integer, nullable=False),
    Column("date", String),
    Column("text", Text, nullable=False),
    Index("ix_version_history_version", "version_id"),
)

version_sections = Table(
    "version_sections",
    metadata,
    Column("id", Integer, primary_key=True),
    _version_fk(),
    Column("position", Integer, nullable=False),
    Column("heading", Text, nullable=False),
    Column("kind", String, nullable=False),
    *_span_columns(),
    Index("ix_version_sections_version", "version_id"),
)

# Tables holding one row per fact of a version (deleted with it).
FACT_TABLES: tuple[Table, ...] = (
    version_codes,
    version_ranges,
    version_coverage,
    version_related,
    version_references,
    version_history,
    version_sections,
)

# Tables the store's migrations own (others register on `metadata` and are created as found).
STORE_TABLES: tuple[Table, ...] = (schema_migrations, policies, versions, *FACT_TABLES)
