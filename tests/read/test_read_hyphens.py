"""Joining words broken at a line-end hyphen."""

from __future__ import annotations

from medpolicy.read.hyphens import join_hyphenated_lines, vocabulary


def _join(lines: list[str], elsewhere: str = "") -> list[str]:
    return join_hyphenated_lines(lines, vocabulary([lines, elsewhere.splitlines()]))


def test_typeset_hyphen_before_lower_case_is_removed() -> None:
    assert _join(["a bio\u2010", "logical agent"]) == ["a biological agent"]


def test_soft_hyphen_is_always_removed() -> None:
    assert _join(["inter\u00ad", "Operative"]) == ["interOperative"]


def test_ascii_hyphen_follows_the_document_spelling() -> None:
    assert _join(["long-", "term results"], "long-term") == ["long-term results"]
    assert _join(["gastro-", "intestinal"], "gastrointestinal") == ["gastrointestinal"]
    assert _join(["co-", "morbid"], "comorbid co-morbid") == ["co-morbid"]
    assert _join(["Asians-", "when ethnicity"]) == ["Asians-when ethnicity"]


def test_typeset_hyphen_kept_when_the_document_hyphenates_the_word() -> None:
    assert _join(["follow\u2010", "up visit"], "follow-up") == ["follow\u2010up visit"]


def test_upper_case_continuation_keeps_the_hyphen() -> None:
    assert _join(["LAP-", "BAND device"]) == ["LAP-BAND device"]


def test_lines_that_do_not_end_in_a_broken_word_stay_apart() -> None:
    lines = ["range 86355-", "86357", "12-", "month", "dash - ", "next", "- list item", "plain"]
    assert _join(lines) == lines


def test_chains_of_broken_lines() -> None:
    assert _join(["Roux-", "en-", "Y bypass"], "Roux-en-Y") == ["Roux-en-Y bypass"]
