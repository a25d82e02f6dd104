"""NCCI procedure-to-procedure and MUE edits over the lines of one claim.

PTP: a column-2 code billed with its column-1 code on the same date of service is
denied, unless the edit's modifier indicator is 1 and one of the two lines carries a
modifier that NCCI lets bypass it (59, XE, XS, XP, XU, the anatomic ones, ...).
Indicator 0 admits no bypass; 9 means the edit does not apply. An edit applies from
its effective date up to (not including) its deletion date.

MUE: units over the code's MUE value are denied. Adjudication indicator 1 tests each
line; 2 and 3 (date-of-service edits) test the units of all the claim's lines with
that code on that date together.

Where CMS publishes several settings (practitioner, outpatient hospital, DME), the
practitioner edits are used when the store has them for the code, else the next.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, inspect, select

from medpolicy.check.claims import PreparedLine
from medpolicy.check.edit_files import MAI_MEANINGS
from medpolicy.check.facts import chunks
from medpolicy.check.results import EditFinding
from medpolicy.check.tables import SETTINGS, mue_values, ncci_ptp_edits

# Modifiers the NCCI policy manual lists as able to bypass a PTP edit with modifier indicator 1.
BYPASS_MODIFIERS: frozenset[str] = frozenset(
    {
        "59",
        "XE",
        "XS",
        "XP",
        "XU",
        "91",
        "24",
        "25",
        "27",
        "57",
        "58",
        "78",
        "79",
        "E1",
        "E2",
        "E3",
        "E4",
        "FA",
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
        "F9",
        "LC",
        "LD",
        "LM",
        "LT",
        "RC",
        "RI",
        "RT",
        "TA",
        "T1",
        "T2",
        "T3",
        "T4",
        "T5",
        "T6",
        "T7",
        "T8",
        "T9",
    }
)


@dataclass(frozen=True, slots=True)
class PtpRow:
    setting: str
    column1: str
    column2: str
    effective: str
    deletion: str | None
    modifier_indicator: int
    rationale: str | None
    source_file: str

    def in_force(self, on: dt.date | None) -> bool:
        day = (on or dt.date.today()).isoformat()
        return self.effective <= day and (self.deletion is None or day < self.deletion)


@dataclass(frozen=True, slots=True)
class MueRow:
    setting: str
    code: str
    mue: int
    indicator: int | None
    text: str | None
    rationale: str | None
    source_file: str


@dataclass(slots=True)
class EditTables:
    """The edits among a batch's codes: PTP rows by (column 1, column 2), MUE rows by code."""

    ptp: dict[tuple[str, str], list[PtpRow]] = field(default_factory=dict)
    mue: dict[str, list[MueRow]] = field(default_factory=dict)


def load_edits(conn: Connection, codes: Iterable[str]) -> EditTables:
    """Edits touching `codes`; empty when none were imported (or the tables do not exist yet)."""
    wanted = sorted(set(codes))
    out = EditTables()
    inspector = inspect(conn)
    ptp: dict[tuple[str, str], list[PtpRow]] = defaultdict(list)
    mue: dict[str, list[MueRow]] = defaultdict(list)
    if inspector.has_table(ncci_ptp_edits.name):
        code_set = set(wanted)
        for batch in chunks(wanted):
            stmt = select(ncci_ptp_edits).where(ncci_ptp_edits.c.column2.in_(batch))
            for row in conn.execute(stmt):
                if row.column1 in code_set:
                    ptp[(row.column1, row.column2)].append(
                        PtpRow(
                            row.setting,
                            row.column1,
                            row.column2,
                            row.effective,
                            row.deletion,
                            row.modifier_indicator,
                            row.rationale,
                            row.source_file,
                        )
                    )
    if inspector.has_table(mue_values.name):
        for batch in chunks(wanted):
            for row in conn.execute(select(mue_values).where(mue_values.c.code.in_(batch))):
                mue[row.code].append(
                    MueRow(
                        row.setting,
                        row.code,
                        row.mue,
                        row.adjudication_indicator,
                        row.adjudication_text,
                        row.rationale,
                        row.source_file,
                    )
                )
    out.ptp, out.mue = dict(ptp), dict(mue)
    return out


def _preferred(rows: Sequence[PtpRow] | Sequence[MueRow]) -> str | None:
    settings = {row.setting for row in rows}
    return next((s for s in SETTINGS if s in settings), None)


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """A line of a claim as the edits see it: its place in the batch and in the claim."""

    index: int
    line_no: int | None
    line: PreparedLine


def claim_edits(claim: Sequence[ClaimEntry], tables: EditTables) -> dict[int, list[EditFinding]]:
    """Edit findings for the lines of one claim, by batch index."""
    found: dict[int, list[EditFinding]] = defaultdict(list)
    if tables.ptp:
        for first in claim:
            for second in claim:
                if first is second or first.line.date != second.line.date:
                    continue
                finding = _ptp_finding(first, second, tables)
                if finding is not None:
                    found[second.index].append(finding)
    if tables.mue:
        for index, finding in _mue_findings(claim, tables):
            found[index].append(finding)
    return dict(found)


def _line_ref(entry: ClaimEntry) -> str:
    return f"line {entry.line_no}" if entry.line_no is not None else "another line"


def _ptp_finding(column1: ClaimEntry, column2: ClaimEntry, tables: EditTables) -> EditFinding | None:
    rows = tables.ptp.get((column1.line.code, column2.line.code), [])
    setting = _preferred(rows)
    live = [r for r in rows if r.setting == setting and r.in_force(column2.line.date)]
    if not live:
        return None
    edit = max(live, key=lambda r: r.effective)
    if edit.modifier_indicator == 9:
        return None
    pair = f"{edit.column1}/{edit.column2}"
    rationale = f" ({edit.rationale})" if edit.rationale else ""
    base = EditFinding(
        kind="ncci_ptp",
        denies=True,
        reason="",
        setting=edit.setting,
        source_file=edit.source_file,
        rationale=edit.rationale,
        column1=edit.column1,
        column2=edit.column2,
        other_line=column1.line_no,
        modifier_indicator=edit.modifier_indicator,
        effective=edit.effective,
        deletion=edit.deletion,
    )
    same_day = f"billed with column-1 code {edit.column1} ({_line_ref(column1)}) on the same date of service"
    if edit.modifier_indicator == 0:
        return replace(
            base,
            reason=f"{edit.column2} is denied: NCCI PTP edit {pair}, {same_day}; modifier indicator 0, "
            f"no modifier bypasses it{rationale}",
        )
    bypass = next(
        (m for m in (*column2.line.modifiers, *column1.line.modifiers) if m in BYPASS_MODIFIERS), None
    )
    if bypass is not None:
        return replace(
            base,
            denies=False,
            reason=f"NCCI PTP edit {pair} is bypassed by modifier {bypass} (modifier indicator 1); "
            f"the record must show a distinct service{rationale}",
            bypass_modifier=bypass,
        )
    return replace(
        base,
        reason=f"{edit.column2} is denied: NCCI PTP edit {pair}, {same_day}; modifier indicator 1 allows a "
        f"bypass modifier (59, XE, XS, XP, XU or an anatomic one) when the services are distinct, and the "
        f"line has none{rationale}",
    )


def _mue_findings(claim: Sequence[ClaimEntry], tables: EditTables) -> list[tuple[int, EditFinding]]:
    out: list[tuple[int, EditFinding]] = []
    groups: dict[tuple[str, dt.date | None], list[ClaimEntry]] = defaultdict(list)
    for entry in claim:
        groups[(entry.line.code, entry.line.date)].append(entry)
    for (code, day), entries in groups.items():
        rows = tables.mue.get(code, [])
        setting = _preferred(rows)
        row = next((r for r in rows if r.setting == setting), None)
        if row is None:
            continue
        meaning = row.text or MAI_MEANINGS.get(row.indicator or 0) or "no adjudication indicator"
        label = (
            f"{row.setting} services, MAI {row.indicator}: {meaning}"
            if row.indicator
            else f"{row.setting} services"
        )
        rationale = f"; rationale: {row.rationale}" if row.rationale else ""

        def finding(units: int, reason: str, row: MueRow = row) -> EditFinding:
            return EditFinding(
                kind="mue",
                denies=True,
                reason=reason,
                setting=row.setting,
                source_file=row.source_file,
                rationale=row.rationale,
                mue=row.mue,
                units=units,
                adjudication_indicator=row.indicator,
                adjudication=row.text or MAI_MEANINGS.get(row.indicator or 0),
            )

        if row.indicator in (2, 3):
            total = sum(e.line.units for e in entries)
            if total > row.mue:
                on = f" on {day.isoformat()}" if day else ""
                spread = f" across {len(entries)} lines" if len(entries) > 1 else ""
                reason = (
                    f"{total} units of {code}{on}{spread} exceed the MUE of {row.mue} ({label}); "
                    f"the units for that date are denied{rationale}"
                )
                out.extend((e.index, finding(total, reason)) for e in entries)
            continue
        for entry in entries:
            if entry.line.units > row.mue:
                reason = (
                    f"{entry.line.units} units of {code} on one line exceed the MUE of {row.mue} ({label}); "
                    f"the line is denied{rationale}"
                )
                out.append((entry.index, finding(entry.line.units, reason)))
    return out
