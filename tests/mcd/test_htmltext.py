"""HTML cells to plain text: paragraphs, breaks, lists, tables, entities."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medpolicy.mcd.htmltext import html_to_line, html_to_text


def test_paragraphs_breaks_and_entities() -> None:
    cell = (
        '<p>Effective 01/01/2026, report WidgetDrug&#174; with J3590.</p>\n'
        '<p style="line-height: 107%;">First<br /><br />Second&nbsp;line &ndash; <strong>bold</strong>'
        "<span>ed</span></p>"
    )
    assert html_to_text(cell) == (
        "Effective 01/01/2026, report WidgetDrug® with J3590.\nFirst\nSecond line – bolded"
    )


def test_lists_and_tables() -> None:
    cell = "<ul><li>one</li><li>two &amp; three</li></ul><table><tr><th>Code</th><td>A9900</td></tr></table>"
    assert html_to_text(cell) == "• one\n• two & three\nCode | A9900"


def test_scripts_comments_and_empty_elements_leave_nothing() -> None:
    assert html_to_text("<p><strong></strong></p><!-- note --><script>x()</script><li></li>") == ""


def test_plain_text_cells_keep_their_lines_and_lose_extra_space() -> None:
    assert html_to_text("  line one \r\n\r\n  line   two ") == "line one\nline two"
    assert html_to_text("age < 18 and <18") == "age < 18 and <18"


def test_unclosed_and_deeply_nested_tags() -> None:
    assert html_to_text("<p>open <b>bold") == "open bold"
    assert html_to_text("<div>" * 3000 + "deep") == "deep"


def test_one_line() -> None:
    assert html_to_line("<p>Smith &amp; Nephew</p><p>AT&T</p>") == "Smith & Nephew AT&T"


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("<>/&;#\"' =abpliu\n\r\x00\x85\u2028xyz123")), max_size=80))
def test_any_cell_gives_text_without_control_characters_or_blank_lines(cell: str) -> None:
    text = html_to_text(cell)
    assert "\x00" not in text and "\r" not in text and "\x85" not in text
    assert all(line.strip() == line and line for line in text.split("\n")) or text == ""
