"""Date parsing as payers write dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medpolicy.extract.dates import leading_date, parse_date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@settings(max_examples=300)
@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_every_written_form_parses_to_iso(d: date) -> None:
    forms = [
        f"{d.month:02d}/{d.day:02d}/{d.year}",
        f"{d.month}/{d.day}/{d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
        d.isoformat(),
        f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
        f"{MONTHS[d.month - 1][:3]}. {d.day}, {d.year}",
        f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    ]
    for form in forms:
        assert parse_date(f"Effective Date: {form}") == d.isoformat(), form


@settings(max_examples=100)
@given(st.integers(min_value=1970, max_value=2069), st.integers(min_value=1, max_value=12))
def test_month_only_dates_are_year_month(year: int, month: int) -> None:
    assert parse_date(f"{MONTHS[month - 1]} {year}") == f"{year}-{month:02d}"
    assert parse_date(f"{month:02d}/{year}") == f"{year}-{month:02d}"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("01/97", "1997-01"),
        ("05/19/98", "1998-05-19"),
        ("10/01/26", "2026-10-01"),
        ("Apr. 27, 2026", "2026-04-27"),
        ("Sept 30, 2025", "2025-09-30"),
    ],
)
def test_two_digit_years_and_abbreviations(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text", ["13/45/2020", "2/30/2021", "Version 1.2025", "page 3 of 15", "10 mg/kg", "CR12606"]
)
def test_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_leading_date_reports_its_length() -> None:
    assert leading_date("05/19/98 Replace policy") == ("1998-05-19", 8)
    assert leading_date("Replace policy 05/19/98") is None
