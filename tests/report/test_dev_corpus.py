"""A code report over the shared development corpus of real payer documents."""

from __future__ import annotations

from medpolicy.api import Store
from medpolicy.report import code_report, render

MONTANA = "Blue Cross and Blue Shield of Montana"


def test_86357_payer_coverage_shows_the_montana_nk_cell_policy_with_its_citation(dev_store: Store) -> None:
    report = code_report(dev_store, "86357")
    montana = [row for row in report.coverage.rows if row.payer == MONTANA]
    assert montana, [row.payer_label for row in report.coverage.rows]
    row = montana[0]
    assert row.status == "investigational"
    assert "Natural Killer" in (row.title or "")
    assert row.citation.payer == MONTANA and row.citation.version_no == 1
    assert row.citation.label.startswith(f"{MONTANA}, ")
    assert "version 1" in row.citation.label
    source = report.sources[row.citation.source - 1]
    assert source.payer == MONTANA and source.source_path.endswith(".txt")
    markdown = render(report, "md").decode()
    coverage = markdown.split("## 4. Payer Coverage")[1].split("\n## ")[0]
    assert f"| {MONTANA} |" in coverage and "Investigational" in coverage
