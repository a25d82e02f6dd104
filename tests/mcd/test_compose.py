"""The composed text and its facts: spans that point at what they name, deterministic text, the `mcd` key."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from medpolicy.mcd import ComposedDocument, load_documents
from medpolicy.model import Extraction

from .conftest import DOWNLOAD


@pytest.fixture(scope="module")
def documents() -> dict[str, ComposedDocument]:
    return {document.source.path: document for document in load_documents(DOWNLOAD)}


def at(document: ComposedDocument, span: tuple[int, int]) -> str:
    return document.text.text[span[0] : span[1]]


def line_at(document: ComposedDocument, offset: int) -> str:
    text = document.text.text
    return text[text.rfind("\n", 0, offset) + 1 : text.find("\n", offset)]


def test_sources_and_headers(documents: dict[str, ComposedDocument]) -> None:
    assert sorted(documents) == ["mcd:article/A59001", "mcd:article/A59002", "mcd:lcd/L39001", "mcd:ncd/501"]
    lcd = documents["mcd:lcd/L39001"]
    assert lcd.source.media_type == "text/plain"
    assert lcd.source.sha256 == hashlib.sha256(lcd.text.text.encode("utf-8")).hexdigest()
    facts = lcd.extraction
    assert (facts.doc_type, facts.payer, facts.policy_number, facts.title) == (
        "lcd", "CMS (Medicare)", "L39001", "Widget Therapy"
    )
    assert (facts.dates.original_effective, facts.dates.effective, facts.dates.last_revised) == (
        "2019-10-01", "2025-01-01", "2025-01-02"
    )
    article = documents["mcd:article/A59001"].extraction
    assert (article.doc_type, article.policy_number) == ("billing_article", "A59001")
    assert article.title == "Billing and Coding: Widget Therapy for WidgetPro™ Devices"  # 0x99 read as ™
    assert documents["mcd:article/A59002"].extraction.doc_type == "other"  # a SAD exclusion list
    ncd = documents["mcd:ncd/501"].extraction
    assert (ncd.doc_type, ncd.policy_number, ncd.title, ncd.dates.effective) == (
        "ncd", "999.1", "Widget Monitoring", "2020-06-01"
    )


def test_every_code_span_points_at_the_code_on_its_line(documents: dict[str, ComposedDocument]) -> None:
    for document in documents.values():
        for code in document.extraction.codes:
            assert code.spans, code
            for span in code.spans:
                assert at(document, span) == code.code
                assert line_at(document, span[0]).startswith(code.code)


def test_article_codes_roles_and_coverage(documents: dict[str, ComposedDocument]) -> None:
    article = documents["mcd:article/A59001"]
    codes = {(c.system, c.code): c for c in article.extraction.codes}
    assert set(codes) == {
        ("HCPCS", "A9900"), ("HCPCS", "J3590"), ("CPT", "0537T"),
        ("ICD-10-CM", "C34.90"), ("ICD-10-CM", "C34.91"), ("ICD-10-CM", "G96.89"), ("ICD-10-CM", "T66.XXXA"),
        ("ICD-10-CM", "Z00.00"),
    }
    assert {c.role for c in codes.values()} == {"listed"}
    assert codes[("ICD-10-CM", "C34.90")].coverage == "medically_necessary"
    assert codes[("ICD-10-CM", "Z00.00")].coverage == "not_medically_necessary"
    assert codes[("HCPCS", "J3590")].coverage is None
    assert codes[("HCPCS", "J3590")].description == "UNCLASSIFIED BIOLOGIC, EXAMPLE DESCRIPTION"
    assert line_at(article, codes[("ICD-10-CM", "G96.89")].spans[0][0]).startswith("G96.89* ")


def test_icd10_sections_are_positions_whose_statement_is_their_text(
    documents: dict[str, ComposedDocument],
) -> None:
    article = documents["mcd:article/A59001"]
    # Two covered groups: the section heading is the statement, each group's paragraph and note a criterion.
    # The non-covered group states no position of its own: the article lists covered diagnoses.
    [position] = article.extraction.coverage
    assert (position.status, position.statement) == (
        "medically_necessary", "ICD-10-CM Codes that Support Medical Necessity"
    )
    assert at(article, position.spans[0]) == position.statement
    assert position.criteria == [
        "Group 1: Group 1: lung indications for HCPCS J3590.",
        "Group 2: Group 2: post-radiation necrosis.",
        "Group 2: *ICD-10-CM code G96.89 must be billed with ICD-10-CM code T66.XXXA.",
    ]
    text = article.text.text
    paragraph = text.index("Group 2: post-radiation necrosis.")
    assert paragraph < text.index("G96.89*") < text.index("must be billed with")


def test_a_single_group_states_its_paragraph(download: Path) -> None:
    covered = download / "article_x_icd10_covered.csv"
    covered.write_bytes(covered.read_bytes().replace(b"59001,5,G96.89,1,2,", b"59001,5,G96.89,1,1,")
                        .replace(b"59001,5,T66.XXXA,1,2,", b"59001,5,T66.XXXA,1,1,"))
    groups = download / "article_x_icd10_covered_group.csv"
    groups.write_text(groups.read_text().splitlines()[0] + "\n" + groups.read_text().splitlines()[2]
                      .replace("59001,5,2,", "59001,5,1,") + "\n")
    article = next(d for d in load_documents(download) if d.source.path == "mcd:article/A59001")
    [position] = article.extraction.coverage
    assert position.statement == "Group 2: post-radiation necrosis."
    assert position.criteria == ["*ICD-10-CM code G96.89 must be billed with ICD-10-CM code T66.XXXA."]
    assert at(article, position.spans[0]) == position.statement


def test_an_article_listing_only_non_covered_diagnoses_states_that_position(download: Path) -> None:
    for name in ("article_x_icd10_covered.csv", "article_x_icd10_covered_group.csv"):
        (download / name).unlink()
    article = next(d for d in load_documents(download) if d.source.path == "mcd:article/A59001")
    [position] = article.extraction.coverage
    assert (position.status, position.statement) == (
        "not_medically_necessary", "Screening is not covered; append the –GY modifier."
    )


def test_mcd_key_keeps_groups_contractors_and_links(documents: dict[str, ComposedDocument]) -> None:
    article = documents["mcd:article/A59001"]
    mcd = article.extraction.mcd
    assert mcd is not None
    assert (mcd.kind, mcd.document_id, mcd.mcd_id, mcd.version) == ("article", "A59001", 59001, 5)
    assert mcd.related_lcds == ["L39001"]
    assert [c.name for c in mcd.contractors] == ["Example Medicare Services, LLC"]
    covered = [g for g in mcd.groups if g.kind == "icd10_covered"]
    assert [(g.group, g.codes, g.flagged) for g in covered] == [
        (1, ["C34.90", "C34.91"], []), (2, ["G96.89", "T66.XXXA"], ["G96.89"])
    ]
    assert "G96.89" in at(article, covered[1].spans[0])
    contract = article.extraction.to_contract(article.source)
    assert json.loads(json.dumps(contract))["mcd"]["groups"][0]["kind"] == "hcpcs"
    assert Extraction.from_contract(contract).codes == article.extraction.codes


def test_lcd_lists_its_own_codes_and_its_articles_codes(documents: dict[str, ComposedDocument]) -> None:
    lcd = documents["mcd:lcd/L39001"]
    codes = {c.code: c for c in lcd.extraction.codes}
    assert set(codes) == {"A9900", "E0999", "J3590", "0537T"}  # diagnoses stay on the article
    assert len(codes["A9900"].spans) == 2  # in the LCD's own table and through article A59001
    [j3590] = codes["J3590"].spans
    assert line_at(lcd, j3590[0]) == "J3590 UNCLASSIFIED BIOLOGIC, EXAMPLE DESCRIPTION"
    text = lcd.text.text
    assert text.index("Article A59001: Billing and Coding") < codes["J3590"].spans[0][0]
    assert "ICD-10-CM codes in A59001: 4 that support medical necessity, 1 that do not" in text
    assert lcd.extraction.mcd is not None
    [through_article] = [g for g in lcd.extraction.mcd.groups if g.article]
    assert (through_article.article, through_article.codes) == ("A59001", ["A9900", "J3590", "0537T"])


def test_narrative_contractors_history_and_sections(documents: dict[str, ComposedDocument]) -> None:
    lcd = documents["mcd:lcd/L39001"]
    text = lcd.text.text
    assert "• the patient’s condition is listed in the related billing article & documented." in text
    contractor = "Example Medicare Services, LLC (A and B MAC, contractor number 99101); jurisdiction: AK, WA"
    assert contractor in text
    assert [h.date for h in lcd.extraction.history] == ["2025-01-01", "2019-10-01"]
    sections = {s.heading: s for s in lcd.extraction.sections}
    policy = sections["Coverage Indications, Limitations, and/or Medical Necessity"]
    assert policy.kind == "policy"
    assert "reasonable and necessary" in at(lcd, policy.spans[0])
    assert [r.number for r in lcd.extraction.related_policies] == ["L39004", "A59001"]
    assert "<" not in text and "&nbsp;" not in text


def test_code_table_rows_keep_brand_names_decoded(documents: dict[str, ComposedDocument]) -> None:
    table = documents["mcd:article/A59002"]
    assert "J0129 EXAMPLE INJECTION, 10 MG | ExampleMab™ (examplemab); Note: if self-administered use " \
        "modifier “JB” | Apparent on its Face | effective 2021-03-27" in table.text.text
    assert "Widgetide | Acceptable Evidentiary Criteria Available" in table.text.text


def test_composed_text_is_deterministic() -> None:
    again = {d.source.path: d.source.sha256 for d in load_documents(DOWNLOAD)}
    assert again == {d.source.path: d.source.sha256 for d in load_documents(DOWNLOAD)}


def test_segments_name_the_tables_lines_came_from(documents: dict[str, ComposedDocument]) -> None:
    article = documents["mcd:article/A59001"]
    c3490 = article.text.text.index("C34.90 ")
    [segment] = [s for s in article.text.segments if s.start <= c3490 < s.end]
    assert segment.element == "article_x_icd10_covered"
