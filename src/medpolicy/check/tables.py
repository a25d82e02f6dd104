"""Tables for the CMS claim edits users import: NCCI procedure-to-procedure pairs and MUE values.

Declared on the store's shared `metadata`. Each row is keyed naturally (setting and code
pair and effective date; setting and code), so importing the same file twice changes
nothing and a newer quarterly release updates what changed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from medpolicy.store.schema import metadata

# Where an edit table applies: CMS publishes one for practitioners (also ambulatory surgical
# centers), one for outpatient hospital services and one for DME suppliers.
SETTINGS = ("practitioner", "hospital", "dme")

ncci_ptp_edits = Table(
    "ncci_ptp_edits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("setting", String(16), nullable=False),
    Column("column1", String(8), nullable=False),
    Column("column2", String(8), nullable=False),
    Column("prior_1996", Boolean, nullable=False, default=False),
    Column("effective", String(10), nullable=False),  # ISO date
    Column("deletion", String(10)),  # ISO date the edit stops applying; NULL while in force
    Column("modifier_indicator", Integer, nullable=False),  # 0 not allowed, 1 allowed, 9 not applicable
    Column("rationale", Text),
    Column("source_file", String(500), nullable=False),
    UniqueConstraint("setting", "column1", "column2", "effective", name="uq_ncci_ptp_edits_key"),
    CheckConstraint("modifier_indicator IN (0, 1, 9)", name="ck_ncci_ptp_edits_indicator"),
    Index("ix_ncci_ptp_edits_column2", "column2", "column1"),
)

mue_values = Table(
    "mue_values",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("setting", String(16), nullable=False),
    Column("code", String(8), nullable=False),
    Column("mue", Integer, nullable=False),
    Column("adjudication_indicator", Integer),  # 1 line edit, 2 date of service (policy), 3 (clinical)
    Column("adjudication_text", String(100)),
    Column("rationale", Text),
    Column("source_file", String(500), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("setting", "code", name="uq_mue_values_key"),
    Index("ix_mue_values_code", "code"),
)

EDIT_TABLES = (ncci_ptp_edits, mue_values)
