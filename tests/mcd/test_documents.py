"""From tables to documents: latest versions, what is left out and why, links between LCDs and articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from medpolicy.mcd.archive import open_download
from medpolicy.mcd.documents import COVERED, NONCOVERED, Assembly, assemble, iso_date
from medpolicy.mcd.importer import load_tables

from .conftest import DOWNLOAD


def assembled(path: Path = DOWNLOAD) -> Assembly:
    with open_download(path) as download:
        return assemble(load_tables(download))


def test_documents_at_their_latest_version() -> None:
    assembly = assembled()
    assert [(d.document_id, d.version) for d in assembly.of_kind("lcd")] == [("L39001", 3)]
    assert [(d.document_id, d.version) for d in assembly.of_kind("article")] == [("A59001", 5), ("A59002", 2)]
    assert [(d.document_id, d.version) for d in assembly.of_kind("ncd")] == [("999.1", 2)]


def test_proposed_retired_draft_and_terminated_documents_are_skipped_with_reasons() -> None:
    skipped = assembled().skipped_documents.counts
    assert skipped == {
        "proposed LCD (not final)": 1,
        "retired LCD": 1,
        "draft article (not final)": 1,
        "terminated NCD (NCD_trmntn_dt is set)": 1,
    }


def test_rows_of_other_versions_and_bad_codes_are_counted() -> None:
    assembly = assembled()
    rows = assembly.skipped_rows.counts
    assert rows["lcd: an older version of the document"] == 1
    assert rows["lcd_x_hcpc_code: a version other than the document's current one"] == 1
    assert rows["lcd_x_hcpc_code: its document is not imported (not in lcd.csv, or not in effect)"] == 1
    assert rows["article_x_hcpc_code: not a well-formed HCPCS code"] == 1
    assert assembly.skipped_rows.first["article_x_hcpc_code: not a well-formed HCPCS code"].endswith(
        "article_x_hcpc_code.csv, line 5"
    )


def test_article_codes_groups_and_paragraphs() -> None:
    article = assembled().documents[("article", 59001)]
    hcpcs = article.groups_of("hcpcs")
    assert [(g.number, [c.code for c in g.codes]) for g in hcpcs] == [(1, ["A9900", "J3590"]), (2, ["0537T"])]
    assert [c.system for c in hcpcs[1].codes] == ["CPT"]
    covered = article.groups_of(COVERED)
    assert [[c.code for c in g.codes] for g in covered] == [["C34.90", "C34.91"], ["G96.89", "T66.XXXA"]]
    assert covered[1].codes[0].flagged and not covered[1].codes[1].flagged
    assert covered[1].asterisk == "*ICD-10-CM code G96.89 must be billed with ICD-10-CM code T66.XXXA."
    assert covered[1].codes[0].description == "Other specified disorders of central nervous system"
    assert article.groups_of(NONCOVERED)[0].paragraph == "Screening is not covered; append the –GY modifier."
    assert [c.code for c in article.groups_of("modifier")[0].codes] == ["JA", "JB"]
    assert article.article_type == "Billing and Coding"


def test_links_both_ways_and_contractors_with_states() -> None:
    assembly = assembled()
    lcd = assembly.documents[("lcd", 39001)]
    article = assembly.documents[("article", 59001)]
    assert lcd.related_articles == {59001}
    assert lcd.related_lcds == {39004}
    assert article.related_lcds == {39001}
    [contractor] = lcd.contractors
    assert (contractor.name, contractor.number, contractor.type, contractor.states) == (
        "Example Medicare Services, LLC",
        "99101",
        "A and B MAC",
        ["AK", "WA"],
    )
    assert [c.id for c in article.contractors] == [101]  # contractor 102 is flagged "ignore"
    assert lcd.history[0] == ("2025-01-01", "Revised the coverage criteria; added gadget accessories.")


def test_without_base_tables_documents_come_from_their_content_rows(download: Path) -> None:
    (download / "lcd.csv").unlink()
    (download / "article.csv").unlink()
    assembly = assembled(download)
    # The retired LCD's code row is now content of its own; the relation-only LCD 39000 is not a document.
    assert [(d.document_id, d.version) for d in assembly.of_kind("lcd")] == [("L39001", 3), ("L39003", 4)]
    assert ("lcd", 39000) not in assembly.documents
    assert any(note.startswith("lcd.csv is not in the download: 2 LCD(s)") for note in assembly.notes)
    assert assembly.documents[("lcd", 39001)].base is None


def test_a_link_only_the_lcd_states_still_relates_the_article(download: Path) -> None:
    (download / "article_related_documents.csv").write_text(
        "article_id,article_version,related_num,r_article_id,r_article_version,r_lcd_id,r_lcd_version,"
        "r_contractor_id,last_updated\n"
    )
    assembly = assembled(download)
    assert assembly.documents[("article", 59001)].related_lcds == {39001}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2019-10-01 00:00:00", "2019-10-01"),
        ("2025-05-22 13:37:29.373000000", "2025-05-22"),
        ("10/01/2019", "2019-10-01"),
        ("", None),
        ("2019-02-30 00:00:00", None),
        ("soon", None),
    ],
)
def test_iso_date(text: str, day: str | None) -> None:
    assert iso_date(text) == day


def test_rows_with_unreadable_ids_or_blank_codes_are_skipped(download: Path) -> None:
    codes = download / "lcd_x_hcpc_code.csv"
    codes.write_text(
        codes.read_text()
        + '"L39001","3","A9903","99","1","N","2025-01-02 10:00:00","ID WITH A PREFIX",""\n'
        + '"39001","3","","99","1","N","2025-01-02 10:00:00","NO CODE",""\n'
    )
    assembly = assembled(download)
    rows = assembly.skipped_rows.counts
    assert rows["lcd_x_hcpc_code: lcd_id or lcd_version is not a whole number"] == 1
    assert rows["lcd_x_hcpc_code: the hcpc_code_id cell is blank"] == 1
    assert assembly.skipped_rows.first["lcd_x_hcpc_code: the hcpc_code_id cell is blank"].endswith("line 7")
    lcd = assembly.documents[("lcd", 39001)]
    assert [c.code for g in lcd.groups_of("hcpcs") for c in g.codes] == ["A9900", "E0999"]


def test_fixture_files_keep_the_quirks_they_exercise() -> None:
    article = (DOWNLOAD / "article.csv").read_bytes()
    assert article.startswith(b"\xef\xbb\xbf") and b"\r\n" in article and b"\x99" in article
    assert b"\r\n" in (DOWNLOAD / "article_x_icd10_covered.csv").read_bytes()
    code_table = (DOWNLOAD / "article_x_code_table.csv").read_bytes()
    assert b"\x93" in code_table and b"\x99" in code_table
