"""Dates as payers write them, to ISO 8601 (YYYY-MM-DD, or YYYY-MM when only the month is given).

Handles 02/01/2014, 2/1/14, 2014-02-01, February 01, 2014, Feb. 1, 2014, 1 February 2014,
Apr. 27, 2026, 01/97, 10/2024 and July 2013. Two-digit years pivot at 70 (70-99 → 19xx).
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

# One alternation, most specific first; named groups tell which form matched.
DATE_PATTERN = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    r"|(?P<us_m>\d{1,2})[/.-](?P<us_d>\d{1,2})[/.-](?P<us_y>\d{4}|\d{2})"
    r"|(?P<mdy_m>" + _MONTH_NAME + r")\s+(?P<mdy_d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>\d{4})"
    r"|(?P<dmy_d>\d{1,2})\s+(?P<dmy_m>" + _MONTH_NAME + r"),?\s+(?P<dmy_y>\d{4})"
    r"|(?P<my_m>" + _MONTH_NAME + r"),?\s+(?P<my_y>\d{4})"
    r"|(?P<nm_m>\d{1,2})/(?P<nm_y>\d{4}|\d{2})"
    r")(?![\w/]|-\d)",
    re.I,
)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 1900 if y >= 70 else 2000
    return y


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")[:4] if text.lower().startswith("sept") else text.lower()[:3]]


def _iso(y: int, m: int, d: int | None) -> str | None:
    if not (1900 <= y <= 2100 and 1 <= m <= 12):
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def match_to_iso(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["iso_y"]:
        return _iso(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
    if g["us_m"]:
        return _iso(_year(g["us_y"]), int(g["us_m"]), int(g["us_d"]))
    if g["mdy_m"]:
        return _iso(int(g["mdy_y"]), _month(g["mdy_m"]), int(g["mdy_d"]))
    if g["dmy_m"]:
        return _iso(int(g["dmy_y"]), _month(g["dmy_m"]), int(g["dmy_d"]))
    if g["my_m"]:
        return _iso(int(g["my_y"]), _month(g["my_m"]), None)
    if g["nm_m"]:
        return _iso(_year(g["nm_y"]), int(g["nm_m"]), None)
    return None


def parse_date(text: str) -> str | None:
    """The first date in `text` as ISO, or None."""
    for m in DATE_PATTERN.finditer(text):
        iso = match_to_iso(m)
        if iso:
            return iso
    return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every date in `text`: (iso, start, end)."""
    out = []
    for m in DATE_PATTERN.finditer(text):
        iso = match_to_iso(m)
        if iso:
            out.append((iso, m.start(), m.end()))
    return out


def leading_date(text: str) -> tuple[str, int] | None:
    """A date that opens `text` (history rows: '05/19/98 Replace policy'): (iso, length)."""
    m = DATE_PATTERN.match(text)
    if not m:
        return None
    iso = match_to_iso(m)
    return (iso, m.end()) if iso else None
