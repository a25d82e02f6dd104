"""The per-code report: facts only, each cited; "Data not available" wherever the store has nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from medpolicy.api import Store
from medpolicy.codes import import_clfs, import_cpt
from medpolicy.errors import QueryError
from medpolicy.report import NOT_AVAILABLE, CodeReport, code_report, render
from report.documents import NK_CODES, Policy, build

SECTION_TITLES = (
    "Summary & Overview",
    "Billing Code Overview",
    "Clinical & Coding Specifications",
    "Payer Coverage",
    "Reimbursement Benchmarks",
    "Related Codes",
    "Changes",
    "Sources",
)


def markdown_sections(report: CodeReport) -> dict[str, str]:
    """The Markdown report cut at its numbered `## n. Title` headings."""
    text = render(report, "md").decode()
    parts = text.split("\n## ")[1:]
    return {part.split("\n", 1)[0].split(". ", 1)[1]: part for part in parts}


def test_an_empty_store_reports_data_not_available_in_every_section(sqlite_store: Store) -> None:
    report = code_report(sqlite_store, "86356")

    # Nothing read from documents or imported files...
    assert report.coverage.rows == [] and report.coverage.other_documents == []
    assert report.coverage.by_payer == []
    assert report.fees == [] and report.related == [] and report.changes == [] and report.sources == []
    assert report.overview.descriptions == []  # CPT descriptors only come from documents or a licensed file
    assert report.clinical.statements == []
    # ...while the code-set facts medpolicy ships are shown, each with its source.
    facts = {f.label: f for f in report.overview.facts}
    assert facts["Code system"].value == "CPT" and facts["Code system"].source
    assert facts["Code-set section / range"].value == "Pathology and Laboratory (80000–89999)"
    assert facts["Service type"].value == "Pathology and laboratory"
    assert (
        facts["Typical site of service"].value == NOT_AVAILABLE
        and facts["Typical site of service"].source is None
    )
    assert report.summary[0].startswith(f"{NOT_AVAILABLE}: no payer policy")

    sections = markdown_sections(report)
    assert tuple(sections) == SECTION_TITLES
    for title, body in sections.items():
        assert NOT_AVAILABLE in body, title
    # The sections with nothing else to say say only that.
    for title in ("Payer Coverage", "Reimbursement Benchmarks", "Related Codes", "Changes"):
        body = sections[title].split("\n", 1)[1].strip()
        assert body.startswith(NOT_AVAILABLE) and "|" not in body, title


def test_empty_store_html_says_data_not_available_in_each_section(sqlite_store: Store) -> None:
    html = render(code_report(sqlite_store, "86356"), "html").decode()
    sections = html.split('<section id="')[1:]
    assert len(sections) == len(SECTION_TITLES)
    for section in sections:
        assert NOT_AVAILABLE in section, section[:40]
    assert "<tbody>" not in html.split('<section id="coverage">')[1].split("</section>")[0]


def test_payer_coverage_rows_cite_payer_policy_version_and_section(sample: Store) -> None:
    report = code_report(sample, "86357")

    rows = {row.payer_label: row for row in report.coverage.rows}
    assert sorted(rows) == ["Aspen Ridge Health Plan", "Birchwood Mutual", "Cedar Valley Health"]
    aspen, birch, cedar = (
        rows["Aspen Ridge Health Plan"],
        rows["Birchwood Mutual"],
        rows["Cedar Valley Health"],
    )
    assert (aspen.status, birch.status, cedar.status) == (
        "medically_necessary",
        "investigational",
        "medically_necessary",
    )
    assert aspen.criteria == ["Persistent fever for seven days or more", "Cytopenia of two cell lines"]
    assert aspen.citation.policy_number == "AR-2.04" and aspen.citation.section == "Policy"
    assert cedar.citation.version_no == 2 and cedar.effective == "2025-06-01"
    assert "Cedar Valley Health, policy CV-9 “Lymphocyte Testing”, version 2, section “Policy”" in (
        cedar.citation.label
    )
    # The code page is no payer's policy: listed apart, its description kept with its source.
    assert [r.title for r in report.coverage.other_documents] == ["CPT 86357 code page"]
    described = {d.text: d for d in report.overview.descriptions}
    assert described["Counts natural killer cells in blood"].citations[0].title == "CPT 86357 code page"
    assert {s.title for s in report.sources} >= {"Natural Killer Cell Testing", "CPT 86357 code page"}


def test_every_quote_is_the_text_its_citation_points_at(sample_sqlite: Store) -> None:
    report = code_report(sample_sqlite, "86357")
    quoted = [(s.statement, s.citation) for s in report.clinical.statements] + [
        (r.statement, r.citation) for r in report.coverage.rows if r.statement
    ]
    assert len(quoted) >= 6
    for statement, citation in quoted:
        assert citation.span is not None
        text = sample_sqlite.policy(citation.policy_id, version=citation.version_no, text=True).version.text
        assert text is not None and text[citation.span[0] : citation.span[1]] == statement
        assert report.sources[citation.source - 1].policy_id == citation.policy_id


def test_summary_counts_payers_splits_statuses_and_names_the_latest_change(sample_sqlite: Store) -> None:
    summary = code_report(sample_sqlite, "86357").summary
    assert summary[0].startswith("3 payers in this store have a current policy naming CPT 86357")
    assert "medically necessary: 2 (Aspen Ridge Health Plan and Cedar Valley Health)" in summary[1]
    assert "investigational: 1 (Birchwood Mutual)" in summary[1]
    assert any(
        s.startswith("Most recent change: Cedar Valley Health")
        and "Investigational → Medically necessary" in s
        for s in summary
    )


def test_changes_that_add_drop_or_restate_the_code(sample_sqlite: Store) -> None:
    (change,) = code_report(sample_sqlite, "86357").changes
    assert (change.payer, change.from_version, change.to_version, change.when) == (
        "Cedar Valley Health",
        1,
        2,
        "2025-06-01",
    )
    assert "Status of CPT 86357: Investigational → Medically necessary" in change.changes
    assert change.citation.version_no == 2
    (dropped,) = code_report(sample_sqlite, "86359").changes
    assert dropped.changes[0] == "CPT 86359 removed from the policy"


def test_payer_filter_keeps_one_payer_and_says_when_the_payer_is_unknown(sample_sqlite: Store) -> None:
    report = code_report(sample_sqlite, "86357", payer="birchwood mutual")
    assert [r.payer for r in report.coverage.rows] == ["Birchwood Mutual"]
    assert report.payer_filter == "Birchwood Mutual"
    assert report.changes == []
    unknown = code_report(sample_sqlite, "86357", payer="Nowhere Health")
    assert unknown.coverage.rows == []
    assert unknown.summary[0] == f"{NOT_AVAILABLE}: the store holds no policy from Nowhere Health."


def test_icd_code_inside_a_listed_range_with_its_hierarchy(sample_sqlite: Store) -> None:
    report = code_report(sample_sqlite, "D81.1")
    (row,) = report.coverage.rows
    assert (row.payer, row.matched, row.code_range) == ("Aspen Ridge Health Plan", "range", "D80.0-D84.9")
    assert report.overview.descriptions[0].source.startswith("ICD-10-CM")
    relations = {(h.relation, h.code) for h in report.hierarchy}
    assert ("parent", "D81") in relations
    assert report.clinical.modifiers == []  # diagnoses take no modifiers


def test_imported_fees_and_descriptions_are_shown_with_their_files(
    sample_sqlite: Store, tmp_path: Path
) -> None:
    clfs = tmp_path / "CLFS25Q1.csv"
    clfs.write_text("YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE\n2025,86357,,20250101,N,12.34\n")
    import_clfs(sample_sqlite.engine, clfs)
    cpt = tmp_path / "my-cpt.csv"
    cpt.write_text("code,description\n86357,Licensed descriptor text for the test\n")
    import_cpt(sample_sqlite.engine, cpt)

    report = code_report(sample_sqlite, "86357")
    (fee,) = report.fees
    assert (fee.schedule, fee.year, fee.amount, fee.source_file) == ("CLFS", 2025, "12.34", "CLFS25Q1.csv")
    assert Decimal(fee.amount or "0") == Decimal("12.34")
    first = report.overview.descriptions[0]
    assert first.text == "Licensed descriptor text for the test" and "my-cpt.csv" in first.source
    site = {f.label: f for f in report.overview.facts}["Typical site of service"]
    assert site.value.startswith("Clinical laboratory") and "CLFS25Q1.csv" in (site.source or "")
    assert any("CLFS 2025" in line for line in report.reference_data)
    benchmarks = markdown_sections(report)["Reimbursement Benchmarks"]
    assert "12.34" in benchmarks and NOT_AVAILABLE not in benchmarks


def test_related_codes_count_the_policies_sharing_them(sample_sqlite: Store) -> None:
    related = {(c.system, c.code): c for c in code_report(sample_sqlite, "86357").related}
    assert related[("CPT", "86356")].policies == 1
    assert related[("CPT", "86356")].description == "Mononuclear cell antigen, quantitative"
    assert related[("ICD-10-CM", "D80.0-D84.9")].is_range
    assert ("CPT", "86357") not in related


def test_a_related_code_cites_the_first_policy_that_describes_it(sqlite_store: Store) -> None:
    def naming(payer: str, described: list[str | None]) -> Policy:
        listed = [("CPT", "86356", text, None, "listed") for text in described]
        return Policy(
            payer, f"{payer[:2]}-1", "NK cells", codes=[NK_CODES[0], *listed], path=f"/docs/{payer}.txt"
        )

    sqlite_store.add(*build(naming("Alder Care", [None])))
    beech = sqlite_store.add(*build(naming("Beech Health", ["Mononuclear cell antigen", "A second mention"])))
    sqlite_store.add(*build(naming("Cypress Plan", ["Another wording"])))

    first, *_ = code_report(sqlite_store, "86357").related
    assert (first.code, first.policies) == ("86356", 3)
    assert first.description == "Mononuclear cell antigen"
    assert first.citation is not None and first.citation.policy_id == beech.policy_id


def test_a_string_that_is_no_code_and_named_nowhere_is_refused(sqlite_store: Store) -> None:
    with pytest.raises(QueryError, match="not a billing code"):
        code_report(sqlite_store, "hello")
    with pytest.raises(QueryError):
        code_report(sqlite_store, "86357", payer="   ")


def test_json_carries_the_same_facts(sample_sqlite: Store) -> None:
    report = code_report(sample_sqlite, "86357")
    data = json.loads(render(report, "json"))
    assert data["schema_version"] == 1 and data["kind"] == "code"
    assert data["code"] == "86357" and data["system"] == "CPT"
    assert [r["payer"] for r in data["coverage"]["rows"]] == [r.payer for r in report.coverage.rows]
    assert data["coverage"]["rows"][0]["citation"]["span"] == list(
        report.coverage.rows[0].citation.span or ()
    )
    assert data["summary"] == report.summary
