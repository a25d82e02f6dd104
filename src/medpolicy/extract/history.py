"""History tables: one entry per dated row, wrapped lines and continuation rows joined.

Rows open with a date ('05/19/98 Replace policy', '10/2024 - ...', 'July 2013 New
policy'), or the date stands alone on its line with the text below (reimbursement
policies). A plan that prints its history with no heading is recognised by a run of
such rows after its references.
"""

from __future__ import annotations

import re

from medpolicy.extract.dates import DATE_PATTERN, leading_date, parse_date
from medpolicy.extract.lines import Line
from medpolicy.model import HistoryEntry

_HEADER_ROW = re.compile(
    r"^(?:date|effective date|action|comments?|summary of changes|description|reason)"
    r"(?:\s*[|\t]\s*(?:date|action|comments?|summary of changes|description|reason|revision))*\s*\|?$",
    re.I,
)


def _cells(raw: str) -> list[str]:
    return [c.strip() for c in re.split(r"\t|\s\|\s|^\||\|$", raw.strip()) if c.strip()]


def _second_cell_date(raw: str) -> tuple[str, int] | None:
    """'Reviewed | 02/20/2025 | MPTAC review.' (status, date, action): the date of a row whose first cell is a word."""
    cells = _cells(raw)
    if len(cells) >= 3 and len(cells[0].split()) <= 2 and not leading_date(cells[0]):
        lead = leading_date(cells[1])
        if lead and lead[1] == len(cells[1]):
            return (lead[0], -1)
    return None


def _other_cells(raw: str) -> str:
    cells = _cells(raw)
    return " ".join([cells[0], *cells[2:]]) if len(cells) >= 3 else " ".join(cells)


def _entries(lines: list[Line], indexes: list[int]) -> tuple[list[HistoryEntry], set[int]]:
    entries: list[HistoryEntry] = []
    used: set[int] = set()
    current: list[str] | None = None
    current_date: str | None = None

    def close() -> None:
        if current is not None:
            text = " ".join(current).strip(" -–|:\t")
            entries.append(HistoryEntry(current_date, text))

    for i in indexes:
        ln = lines[i]
        t = ln.text
        if ln.furniture or not t or _HEADER_ROW.match(t):
            continue
        row = t.lstrip("|• ")
        lead = leading_date(row) or _second_cell_date(ln.raw)
        if lead:
            close()
            current_date = lead[0]
            current = [row[lead[1] :].strip(" -–|:\t")] if lead[1] >= 0 else [_other_cells(ln.raw)]
            used.add(i)
        elif current is not None:
            current.append(t.strip(" |"))
            used.add(i)
    close()
    entries = [e for e in entries if e.text or e.date]
    return entries, used


def _entries_dated_last(lines: list[Line], indexes: list[int]) -> list[HistoryEntry]:
    """Rows that end with their date ('Annual review • No changes. 7/15/2026'), as Cigna prints them."""
    entries: list[HistoryEntry] = []
    pending: list[str] = []
    for i in indexes:
        ln = lines[i]
        t = ln.text
        if ln.furniture or not t or _HEADER_ROW.match(t) or re.match(r"^type of revision\b", t, re.I):
            continue
        m = re.search(r"(?:^|\s)(" + DATE_PATTERN.pattern + r")\s*$", t, re.I)
        iso = parse_date(m.group(1)) if m else None
        if m and iso:
            pending.append(t[: m.start(1)].strip())
            entries.append(HistoryEntry(iso, " ".join(p for p in pending if p).strip(" -–|:")))
            pending = []
        else:
            pending.append(t)
    return entries


def history_in_section(lines: list[Line], indexes: list[int]) -> list[HistoryEntry]:
    leading = _entries(lines, indexes)[0]
    trailing = _entries_dated_last(lines, indexes)
    return trailing if len(trailing) > len(leading) else leading


def history_without_heading(
    lines: list[Line], indexes: list[int], after: int
) -> tuple[list[HistoryEntry], set[int]]:
    """Dated rows after line `after` (the end of the references), when at least two follow each other."""
    tail = [i for i in indexes if i > after]
    dated = [i for i in tail if not lines[i].furniture and leading_date(lines[i].text)]
    if len(dated) < 2:
        return [], set()
    entries, used = _entries(lines, [i for i in tail if i >= dated[0]])
    if len(entries) < 2:
        return [], set()
    # after the last dated row comes footer prose, not more of the last entry
    last_dated = max(dated)
    trailing = {i for i in used if i > last_dated}
    if trailing:
        entries[-1] = HistoryEntry(entries[-1].date, _first_row_text(lines, last_dated))
        used -= trailing
    return entries, used


def _first_row_text(lines: list[Line], index: int) -> str:
    t = lines[index].text
    lead = leading_date(t)
    return t[lead[1] :].strip(" -–|:\t") if lead else t
