"""Reading imported reference data back: descriptions and fee benchmarks for one code.

A store opened before these tables existed simply has nothing imported: lookups answer
with an empty list rather than an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Engine, inspect, select

from medpolicy.codes.describe import Description
from medpolicy.codes.tables import code_descriptions, fee_schedule
from medpolicy.store.engine import read_transaction


@dataclass(frozen=True, slots=True)
class Fee:
    schedule: str  # 'CLFS' | 'PFS'
    year: int
    code: str
    modifier: str | None
    locality: str | None  # None: national
    amount: Decimal | None  # CLFS rate; PFS national non-facility payment
    facility_amount: Decimal | None
    status: str | None
    effective_date: str | None
    work_rvu: Decimal | None
    pe_rvu_nonfacility: Decimal | None
    pe_rvu_facility: Decimal | None
    mp_rvu: Decimal | None
    total_rvu_nonfacility: Decimal | None
    total_rvu_facility: Decimal | None
    conversion_factor: Decimal | None
    source_file: str


_KIND_ORDER = {"official": 0, "long": 1, "short": 2, "lay": 3}


def lookup_descriptions(engine: Engine, system: str, code: str) -> list[Description]:
    """Imported descriptions of `code`, longest kind first; the source names the file."""
    with read_transaction(engine) as conn:
        if not _has(conn, code_descriptions.name):
            return []
        rows = conn.execute(
            select(code_descriptions).where(
                code_descriptions.c.system == system, code_descriptions.c.code == code.strip().upper()
            )
        ).mappings()
        found = [
            Description(row["description"], _provenance(row["source"], row["source_file"]), row["kind"])
            for row in rows
        ]
    return sorted(found, key=lambda d: (_KIND_ORDER.get(d.kind, 9), d.source))


def lookup_fees(engine: Engine, code: str) -> list[Fee]:
    """Imported fee-schedule rows for `code`: newest year first, then schedule and modifier."""
    with read_transaction(engine) as conn:
        if not _has(conn, fee_schedule.name):
            return []
        rows = conn.execute(
            select(fee_schedule).where(fee_schedule.c.code == code.strip().upper())
        ).mappings()
        fees = [
            Fee(
                schedule=row["schedule"],
                year=row["year"],
                code=row["code"],
                modifier=row["modifier"] or None,
                locality=row["locality"] or None,
                amount=row["amount"],
                facility_amount=row["facility_amount"],
                status=row["status"],
                effective_date=row["effective_date"],
                work_rvu=row["work_rvu"],
                pe_rvu_nonfacility=row["pe_rvu_nonfacility"],
                pe_rvu_facility=row["pe_rvu_facility"],
                mp_rvu=row["mp_rvu"],
                total_rvu_nonfacility=row["total_rvu_nonfacility"],
                total_rvu_facility=row["total_rvu_facility"],
                conversion_factor=row["conversion_factor"],
                source_file=row["source_file"],
            )
            for row in rows
        ]
    return sorted(fees, key=lambda f: (-f.year, f.schedule, f.modifier or "", f.locality or ""))


def _provenance(source: str, source_file: str) -> str:
    """The source with the file it was read from ("CMS HCPCS Level II file (HCPC2025_JAN.csv)")."""
    return source if source_file in source else f"{source} ({source_file})"


def _has(conn: Connection, table: str) -> bool:
    return inspect(conn).has_table(table)
