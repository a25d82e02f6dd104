"""The per-policy report: its positions, codes and history, each cited, and its versions' changes."""

from __future__ import annotations

import json

import pytest

from medpolicy.api import Store
from medpolicy.errors import QueryError
from medpolicy.report import NOT_AVAILABLE, policy_report, render


def test_policy_report_quotes_positions_and_lists_codes_with_citations(sample_sqlite: Store) -> None:
    report = policy_report(sample_sqlite, "AR-2.04")
    assert (report.payer, report.policy_number, report.title) == (
        "Aspen Ridge Health Plan",
        "AR-2.04",
        "Natural Killer Cell Testing",
    )
    (position,) = report.positions
    assert position.status == "medically_necessary" and len(position.criteria) == 2
    assert position.citation.section == "Policy"
    codes = {c.code: c for c in report.codes}
    assert set(codes) == {"86357", "86356", "D80.0-D84.9"}
    assert codes["D80.0-D84.9"].is_range
    assert codes["86357"].citation is not None and codes["86357"].citation.section == "Coding"
    facts = {f.label: f.value for f in report.facts}
    assert facts["Effective"] == "2025-03-01" and facts["Next review"] == NOT_AVAILABLE
    assert (
        report.summary[0]
        == "“Natural Killer Cell Testing” is a medical policy of Aspen Ridge Health Plan, number AR-2.04."
    )
    assert "1 medically necessary" in report.summary[2]


def test_policy_report_shows_history_versions_and_what_changed(sample: Store) -> None:
    report = policy_report(sample, "CV-9")
    assert [v.version_no for v in report.versions] == [1, 2]
    assert [v.is_current for v in report.versions] == [False, True]
    assert report.history[0].value == "Position changed to medically necessary for HIV."
    (change,) = report.changes
    assert "CPT 86359 removed from the policy" in change.changes
    assert any(line.startswith("Position “lymphocyte testing”") for line in change.changes)
    markdown = render(report, "md").decode()
    assert "## 5. History and Changes" in markdown and "(superseded)" in markdown


def test_a_policy_without_facts_says_data_not_available(sample_sqlite: Store) -> None:
    report = policy_report(sample_sqlite, "CV-9")
    assert report.related_policies == [] and report.references == []
    markdown = render(report, "md").decode()
    related = markdown.split("## 4. Related Policies")[1].split("\n## ")[0]
    assert NOT_AVAILABLE in related


def test_unknown_policy_is_a_query_error(sample_sqlite: Store) -> None:
    with pytest.raises(QueryError, match="no policy"):
        policy_report(sample_sqlite, "NOPE-1")


def test_policy_report_json(sample_sqlite: Store) -> None:
    data = json.loads(render(policy_report(sample_sqlite, "BM-77"), "json"))
    assert data["kind"] == "policy" and data["positions"][0]["status"] == "investigational"
    assert data["positions"][0]["statement"].startswith("Immune cell assays are investigational <script>")
