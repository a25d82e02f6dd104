"""Renderers: formats, escaping in Markdown, HTML and SVG, several reports in one document."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medpolicy.api import Store
from medpolicy.errors import MedpolicyError
from medpolicy.labels import status_label
from medpolicy.report import UnknownFormat, code_report, render, render_all
from medpolicy.report.chart import ChartRow, stacked_bars
from medpolicy.report.render import markdown_text, timestamp
from medpolicy.report.wording import join_names, shorten


def test_unknown_format_is_a_clear_error(sqlite_store: Store) -> None:
    report = code_report(sqlite_store, "86357")
    with pytest.raises(UnknownFormat, match="unknown report format 'docx'; use one of md, html, pdf, json"):
        render(report, "docx")
    assert issubclass(UnknownFormat, MedpolicyError) and issubclass(UnknownFormat, ValueError)


def test_several_reports_make_one_document(sqlite_store: Store) -> None:
    reports = [code_report(sqlite_store, "86357"), code_report(sqlite_store, "J9035")]
    data = json.loads(render_all(reports, "json"))
    assert [d["title"] for d in data] == ["CPT 86357", "HCPCS J9035"]
    markdown = render_all(reports, "md").decode()
    assert markdown.count("— Code coverage report") == 2 and "\n---\n" in markdown
    html = render_all(reports, "html").decode()
    assert html.count('<article class="report report-code">') == 2
    assert "<title>CPT 86357 · HCPCS J9035</title>" in html


def test_hcpcs_family_and_service_type_come_from_the_letter_section(sqlite_store: Store) -> None:
    facts = {f.label: f.value for f in code_report(sqlite_store, "E0953").overview.facts}
    assert facts["Code system"] == "HCPCS"
    assert facts["Code-set section / range"] == "E0000–E9999: durable medical equipment"
    assert facts["Service type"] == "Durable medical equipment"


def test_markdown_escapes_markup_and_table_breakers() -> None:
    assert markdown_text("a | b\n<script>x</script> *bold* [link]") == (
        r"a \| b \<script\>x\</script\> \*bold\* \[link\]"
    )


@given(st.text())
def test_markdown_text_is_one_line_with_no_bare_pipe_or_angle_bracket(value: str) -> None:
    cleaned = markdown_text(value)
    assert "\n" not in cleaned and "\r" not in cleaned
    unescaped = cleaned.replace("\\\\", "")
    for special in "|<>`*_[]":
        assert unescaped.count(special) == unescaped.count("\\" + special)


@given(st.text(), st.integers(min_value=2, max_value=300))
def test_shorten_never_exceeds_the_limit_and_keeps_the_start(value: str, limit: int) -> None:
    short = shorten(value, limit)
    flat = " ".join(value.split())
    assert len(short) <= limit
    assert flat.startswith(short.removesuffix("…").rstrip(",;:"))


@given(st.lists(st.text(min_size=1).filter(lambda s: "<" not in s and "&" not in s), max_size=6))
def test_chart_labels_are_escaped_text(labels: list[str]) -> None:
    rows = [ChartRow(label + "<b>x</b>", {"investigational": 1}, "Investigational") for label in labels]
    svg = str(stacked_bars(rows, "t & <t>", "policy", "policies"))
    assert "<b>" not in svg and "<t>" not in svg
    assert svg.count("&lt;b&gt;") >= len(labels) or not labels


def test_chart_draws_one_segment_per_status_with_its_count() -> None:
    svg = str(
        stacked_bars(
            [ChartRow("Payer A", {"investigational": 2, "medically_necessary": 1})], "t", "policy", "policies"
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Investigational: 2 policies</title>" in svg
    assert "<title>Medically necessary: 1 policy</title>" in svg
    assert svg.count('stroke="#ffffff"') == 2


def test_wording_helpers() -> None:
    assert join_names(["A"]) == "A" and join_names(["A", "B", "C"]) == "A, B and C"
    assert status_label(None) == "Not stated" and status_label("not_covered") == "Not covered"
    assert timestamp("2026-01-31T09:05:00+00:00") == "2026-01-31 09:05 UTC"
