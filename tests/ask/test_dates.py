from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medpolicy.ask.dates import find_period

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("What changed this year?", "2026-01-01", None),
        ("What changed this month?", "2026-06-01", None),
        ("changes since March 2025", "2025-03-01", None),
        ("since Jan. 15, 2026", "2026-01-15", None),
        ("since 2025-03-01", "2025-03-01", None),
        ("since 3/1/2025", "2025-03-01", None),
        ("what changed in 2024", "2024-01-01", "2024-12-31"),
        ("updates in March of 2025", "2025-03-01", "2025-03-31"),
        ("in 2/2026", "2026-02-01", "2026-02-28"),
        ("What changed last year?", "2025-01-01", "2025-12-31"),
        ("last month", "2026-05-01", "2026-05-31"),
        ("in the last 6 months", "2025-12-17", None),
        ("over the past 2 years", "2024-06-15", None),
        ("past year", "2025-06-15", None),
    ],
)
def test_periods(text: str, since: str, until: str | None) -> None:
    period = find_period(text, TODAY)
    assert period is not None
    assert (period.since, period.until) == (since, until)
    assert text[period.start : period.end].strip()


@pytest.mark.parametrize("text", ["Is 86357 covered?", "since 2/30/2025", "policy 8.01.33", "CPT 99213"])
def test_no_period(text: str) -> None:
    assert find_period(text, TODAY) is None


def test_the_first_period_wins() -> None:
    period = find_period("changes since March 2025 and in 2024", TODAY)
    assert period is not None and period.since == "2025-03-01"


@given(st.text(max_size=120))
def test_any_text_gives_a_valid_period_or_none(text: str) -> None:
    period = find_period(text, TODAY)
    if period is not None:
        date.fromisoformat(period.since)
        if period.until is not None:
            assert date.fromisoformat(period.until) >= date.fromisoformat(period.since)
        assert 0 <= period.start < period.end <= len(text)
