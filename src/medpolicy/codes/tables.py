"""Reference data users import into the store: code descriptions and fee schedules.

Declared on the store's shared `metadata`, so opening a store creates them. Each table
has a natural unique key, which is what lets an importer tell a new row from one it
has seen: importing the same file twice changes nothing. Empty strings, not NULL, stand
for "no modifier" and "national" so that they take part in the unique keys.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from medpolicy.store.schema import metadata

DESCRIPTION_KINDS = ("official", "short", "long", "lay")
FEE_SCHEDULES = ("CLFS", "PFS")

code_descriptions = Table(
    "code_descriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("system", String(16), nullable=False),
    Column("code", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("source", String(300), nullable=False),  # e.g. "CMS HCPCS Level II file", "user CPT file cpt.csv"
    Column("source_file", String(500), nullable=False),  # the file name the current text came from
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("system", "code", "kind", "source", name="uq_code_descriptions_key"),
    CheckConstraint("kind IN ('official', 'short', 'long', 'lay')", name="ck_code_descriptions_kind"),
)

fee_schedule = Table(
    "fee_schedule",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("schedule", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("code", String(16), nullable=False),
    Column("modifier", String(8), nullable=False, default=""),
    Column("locality", String(16), nullable=False, default=""),
    Column("status", String(16)),  # CLFS indicator / PFS status code
    Column("effective_date", String(10)),  # ISO date when the file gives one
    Column("amount", Numeric(12, 2)),  # CLFS rate; PFS national non-facility payment
    Column("facility_amount", Numeric(12, 2)),  # PFS national facility payment
    Column("work_rvu", Numeric(10, 3)),
    Column("pe_rvu_nonfacility", Numeric(10, 3)),
    Column("pe_rvu_facility", Numeric(10, 3)),
    Column("mp_rvu", Numeric(10, 3)),
    Column("total_rvu_nonfacility", Numeric(10, 3)),
    Column("total_rvu_facility", Numeric(10, 3)),
    Column("conversion_factor", Numeric(10, 4)),
    Column("source_file", String(500), nullable=False),
    UniqueConstraint("schedule", "year", "code", "modifier", "locality", name="uq_fee_schedule_key"),
    CheckConstraint("schedule IN ('CLFS', 'PFS')", name="ck_fee_schedule_schedule"),
    Index("ix_fee_schedule_code", "code"),
)

CODE_TABLES = (code_descriptions, fee_schedule)
