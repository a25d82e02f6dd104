"""Reports over the demo corpus: well-formed, escaped HTML; a PDF that opens, reads and is not blank."""

from __future__ import annotations

import io

import pypdfium2
import pytest

from medpolicy.api import Store
from medpolicy.report import CodeReport, code_report, comparison_report, policy_report, render, render_all
from report.wellformed import problems

CODE = "86357"


@pytest.fixture(scope="module")
def report(demo_store: Store) -> CodeReport:
    return code_report(demo_store, CODE)


@pytest.fixture(scope="module")
def pdf(report: CodeReport) -> bytes:
    return render(report, "pdf")


def test_html_is_well_formed_and_escapes_markup_from_documents(report: CodeReport) -> None:
    html = render(report, "html").decode()
    found, tags = problems(html)
    assert found == []
    assert tags[:2] == ["html", "head"] and "svg" in tags and "table" in tags
    # The markup in a document's title and statement is shown as text, never as elements.
    assert "script" not in tags and "b" not in tags
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_html_has_print_styles_and_a_server_side_chart(report: CodeReport) -> None:
    html = render(report, "html").decode()
    assert "@media print" in html and "@page" in html and "counter(pages)" in html
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Birchwood Mutual" in chart and "Investigational" in chart
    assert "<script" not in chart


def test_every_report_kind_renders_well_formed_together(demo_store: Store, report: CodeReport) -> None:
    policy_id = report.coverage.rows[0].policy_id
    reports = [report, policy_report(demo_store, policy_id), comparison_report(demo_store, [CODE, "86356"])]
    html = render_all(reports, "html").decode()
    found, _tags = problems(html)
    assert found == []
    assert html.count('<article class="report') == 3 and "report-comparison" in html


def test_pdf_opens_and_its_text_names_the_code_and_every_payer(report: CodeReport, pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) >= 2
        text = " ".join(
            " ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))
        )
    finally:
        document.close()
    assert f"CPT {CODE}" in text
    payers = {row.payer for row in report.coverage.rows if row.payer}
    assert "Birchwood Mutual" in payers and len(payers) >= 2
    for payer in payers:
        assert payer in text, payer
    assert "Page 1 of" in text  # the running footer


def test_pdf_first_page_is_not_blank(pdf: bytes) -> None:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    histogram = image.histogram()  # pixels per grey level, 0 (black) to 255 (white)
    total = sum(histogram)
    inked = sum(histogram[:200]) / total
    assert 0.02 < inked < 0.6, inked
    mean = sum(level * n for level, n in enumerate(histogram)) / total
    variance = sum(n * (level - mean) ** 2 for level, n in enumerate(histogram)) / total
    assert variance > 200, variance
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert buffer.getvalue().startswith(b"\x89PNG")
