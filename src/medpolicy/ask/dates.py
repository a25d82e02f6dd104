"""Time phrases in questions: "this year", "since March 2025", "in 2024", "in the last 6 months".

`find_period(text, today)` returns the first period the question names as ISO dates
(`since`, inclusive; `until`, inclusive or None) with the words it was read from, so
they can be left out of the service words.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# A date as people write it; each alternative fills some of month/day/year.
_DATE_FORMS = (
    r"(?P<iyear>(?:19|20)\d{2})-(?P<imonth>\d{1,2})(?:-(?P<iday>\d{1,2}))?",
    r"(?P<nmonth>\d{1,2})/(?:(?P<nday>\d{1,2})/)?(?P<nyear>(?:19|20)\d{2})",
    rf"(?P<month>{_MONTH_NAMES})\.?\s+{_DAY},?\s+(?P<dyear>(?:19|20)\d{{2}})",
    rf"(?P<mmonth>{_MONTH_NAMES})\.?\s+(?:of\s+)?(?P<myear>(?:19|20)\d{{2}})",
    rf"{_YEAR}",
)
_DATE = "(?:" + "|".join(f"(?:{form})" for form in _DATE_FORMS) + r")(?![\w/-])"
_SINCE_WORDS = r"(?:since|after|from|starting|beginning|as of|on or after)"
_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (
            "relative",
            r"\b(?:in\s+|over\s+|during\s+|within\s+)?(?:the\s+)?(?:last|past|previous)\s+"
            r"(?P<count>\d+|two|three|four|five|six|twelve)?\s*(?P<unit>day|week|month|year)s?\b",
        ),
        ("this", r"\b(?:this|the current|current)\s+(?P<unit>year|month)\b|\bytd\b|\byear to date\b"),
        ("last_calendar", r"\blast\s+(?P<unit>calendar year)\b"),
        ("since", rf"\b{_SINCE_WORDS}\s+{_DATE}"),
        ("during", rf"\b(?:in|during|throughout|for)\s+{_DATE}"),
    )
)
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twelve": 12}


@dataclass(frozen=True, slots=True)
class Period:
    since: str  # ISO date, inclusive
    until: str | None  # ISO date, inclusive; None: up to today
    start: int  # where the phrase is in the question
    end: int


def _parts(match: re.Match[str]) -> tuple[int, int | None, int | None]:
    """(year, month, day) from whichever date form matched."""
    groups = match.groupdict()
    year = next(int(groups[k]) for k in ("year", "iyear", "nyear", "dyear", "myear") if groups.get(k))
    month: int | None = None
    if groups.get("imonth"):
        month = int(groups["imonth"])
    elif groups.get("nmonth"):
        month = int(groups["nmonth"])
    elif groups.get("month") or groups.get("mmonth"):
        month = MONTHS[(groups.get("month") or groups["mmonth"]).lower()]
    day_text = groups.get("iday") or groups.get("nday") or groups.get("day")
    return year, month, int(day_text) if day_text else None


def _bounds(year: int, month: int | None, day: int | None) -> tuple[date, date] | None:
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day), date(year, month, day)
    except ValueError:
        return None


def find_period(text: str, today: date) -> Period | None:
    """The first period `text` names, or None."""
    found: list[Period] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            period = _read(kind, match, today)
            if period is not None:
                found.append(period)
    return min(found, key=lambda p: (p.start, -(p.end - p.start))) if found else None


def _read(kind: str, match: re.Match[str], today: date) -> Period | None:
    start, end = match.span()
    if kind == "relative":
        unit = match.group("unit").lower()
        if (
            match.group("count") is None
            and unit in ("year", "month")
            and match.group(0).lower().startswith("last")
        ):
            return _previous(unit, today, start, end)  # "last year": the previous calendar year
        count_text = match.group("count") or "1"
        count = int(count_text) if count_text.isdigit() else _WORD_NUMBERS[count_text.lower()]
        days = count * _UNITS[unit]
        return Period((today - timedelta(days=days)).isoformat(), None, start, end)
    if kind == "this":
        unit = (match.group("unit") or "year").lower()
        first = date(today.year, 1, 1) if unit == "year" else date(today.year, today.month, 1)
        return Period(first.isoformat(), None, start, end)
    if kind == "last_calendar":
        return Period(
            date(today.year - 1, 1, 1).isoformat(), date(today.year - 1, 12, 31).isoformat(), start, end
        )
    bounds = _bounds(*_parts(match))
    if bounds is None:
        return None
    if kind == "since":
        return Period(bounds[0].isoformat(), None, start, end)
    return Period(bounds[0].isoformat(), bounds[1].isoformat(), start, end)


def _previous(unit: str, today: date, start: int, end: int) -> Period:
    if unit == "year":
        return Period(
            date(today.year - 1, 1, 1).isoformat(), date(today.year - 1, 12, 31).isoformat(), start, end
        )
    last_of_previous = date(today.year, today.month, 1) - timedelta(days=1)
    return Period(last_of_previous.replace(day=1).isoformat(), last_of_previous.isoformat(), start, end)
