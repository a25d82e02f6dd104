"""Turning stored facts into quoted evidence, and the notes every answer shares (dates, staleness)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from medpolicy.ask.answer import Evidence
from medpolicy.ask.corpus import PolicyRecord, Position
from medpolicy.model import Span
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import versions

if TYPE_CHECKING:
    from medpolicy.api import Store

STALE_AFTER = timedelta(days=3 * 365)
QUOTE_CHARS = 300  # longest quote taken from around a code
_WINDOW = 400  # characters read either side of a span to find its line

STATUS_WORDS = {
    "medically_necessary": "medically necessary",
    "investigational": "investigational",
    "not_medically_necessary": "not medically necessary",
    "not_covered": "not covered",
    "cosmetic": "cosmetic",
}


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def policy_date(record: PolicyRecord) -> str | None:
    """The version's own date: effective, else last revised, else published."""
    dates = record.dates
    return dates.get("effective") or dates.get("last_revised") or dates.get("published")


def latest_date(record: PolicyRecord) -> str | None:
    """The most recent of the version's effective, last revised and published dates."""
    found = [d for d in (record.dates.get(k) for k in ("effective", "last_revised", "published")) if d]
    return max(found) if found else None


def policy_label(record: PolicyRecord) -> str:
    """'8.01.33 Natural Killer (NK) Cell Testing', or the title alone, or the id."""
    named = " ".join(part for part in (record.policy_number, record.title) if part)
    return named or f"policy id {record.policy_id}"


def position_evidence(record: PolicyRecord, position: Position, code: str | None = None) -> Evidence:
    return Evidence(
        payer=record.payer,
        policy_id=record.policy_id,
        policy_number=record.policy_number,
        title=record.title,
        version=record.version_no,
        section=record.section_at(position.span[0]) if position.span else None,
        effective=policy_date(record),
        statement=position.quote or " ".join(position.statement.split()),
        span=position.quote_span or position.span,
        status=position.status,
        code=code,
    )


def quoted_evidence(
    record: PolicyRecord,
    statement: str,
    span: Span | None,
    *,
    status: str | None = None,
    code: str | None = None,
) -> Evidence:
    return Evidence(
        payer=record.payer,
        policy_id=record.policy_id,
        policy_number=record.policy_number,
        title=record.title,
        version=record.version_no,
        section=record.section_at(span[0]) if span else None,
        effective=policy_date(record),
        statement=" ".join(statement.split()),
        span=span,
        status=status,
        code=code,
    )


def line_at(store: Store, version_id: int, span: Span) -> tuple[str, Span]:
    """The line of the version's text holding `span` (at most QUOTE_CHARS around it) and where it is."""
    start = max(0, span[0] - _WINDOW)
    with read_transaction(store.engine) as conn:
        window = conn.scalar(
            select(func.substr(versions.c.text, start + 1, span[1] - start + _WINDOW)).where(
                versions.c.id == version_id
            )
        )
    line, (line_start, line_end) = line_in(window or "", (span[0] - start, span[1] - start))
    return line, (start + line_start, start + line_end)


def line_in(text: str, span: Span) -> tuple[str, Span]:
    """The line of `text` holding `span`, trimmed to at most QUOTE_CHARS, and its offsets."""
    line_start = text.rfind("\n", 0, span[0]) + 1
    line_end = text.find("\n", span[1])
    line_end = len(text) if line_end < 0 else line_end
    line_start = max(line_start, span[0] - QUOTE_CHARS // 2)
    line_end = min(line_end, max(span[1], line_start + QUOTE_CHARS))
    raw = text[line_start:line_end]
    leading = len(raw) - len(raw.lstrip())
    trailing = len(raw) - len(raw.rstrip())
    return raw.strip(), (line_start + leading, line_end - trailing)


def staleness_notes(records: Iterable[PolicyRecord], today: date) -> list[str]:
    """A note for each policy whose latest date is more than three years old, or that states none."""
    cutoff = (today - STALE_AFTER).isoformat()
    notes = []
    for record in _unique(records):
        latest = latest_date(record)
        who = f"{record.payer or 'payer not stated'} {policy_label(record)}"
        if latest is None:
            notes.append(f"{who} states no effective, revision or publication date: check it is current.")
        elif latest < cutoff:
            notes.append(f"{who} was last reviewed or effective {latest}: may be out of date.")
    return notes


def _unique(records: Iterable[PolicyRecord]) -> list[PolicyRecord]:
    return list({record.version_id: record for record in records}.values())
