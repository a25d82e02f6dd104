"""The comparison report: codes × payers with statuses and the policies behind them."""

from __future__ import annotations

import json

from medpolicy.api import Store
from medpolicy.report import NOT_AVAILABLE, comparison_report, render
from report.wellformed import problems


def test_codes_by_payers_with_statuses_and_citations(sample: Store) -> None:
    report = comparison_report(sample, ["86357", "86356", "0537T"])
    assert report.payers == ["Aspen Ridge Health Plan", "Birchwood Mutual", "Cedar Valley Health"]
    assert [c.code for c in report.codes] == ["86357", "86356", "0537T"]
    statuses = [[cell.status for cell in row] for row in report.rows]
    assert statuses == [
        ["medically_necessary", "investigational", "medically_necessary"],
        ["medically_necessary", "no policy found", "no policy found"],
        ["no policy found", "no policy found", "no policy found"],
    ]
    aspen = report.rows[0][0]
    assert aspen.citations[0].policy_number == "AR-2.04"
    assert report.sources[aspen.citations[0].source - 1].policy_number == "AR-2.04"
    assert report.summary[3] == f"0537T: {NOT_AVAILABLE} — no payer's policy in the store names it."
    assert report.codes[2].category == "CPT Category III"


def test_a_payer_without_policies_is_data_not_available(sample_sqlite: Store) -> None:
    report = comparison_report(sample_sqlite, ["86357"], ["Birchwood Mutual", "Aetna"])
    assert report.payers == ["Birchwood Mutual", "Aetna"]
    assert [cell.status for cell in report.rows[0]] == ["investigational", "data not available"]


def test_comparison_renders_in_every_format(sample_sqlite: Store) -> None:
    report = comparison_report(sample_sqlite, ["86357", "86356"])
    html = render(report, "html").decode()
    assert problems(html)[0] == []
    assert "size: A4 landscape" in html and "report-comparison" in html
    markdown = render(report, "md").decode()
    table = [line for line in markdown.splitlines() if line.startswith("| 86357 |")]
    assert table == ["| 86357 | Medically necessary [1] | Investigational [2] | Medically necessary [3] |"]
    assert json.loads(render(report, "json"))["rows"][0][1]["status"] == "investigational"


def test_an_empty_store_has_nothing_to_compare(sqlite_store: Store) -> None:
    report = comparison_report(sqlite_store, ["86357"])
    assert report.payers == [] and report.sources == []
    assert report.summary[0].startswith(NOT_AVAILABLE)
    assert NOT_AVAILABLE in render(report, "md").decode().split("## 2.")[1]
