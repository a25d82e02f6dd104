"""DOCX reading: body order, headings, lists, tables, header/footer, and broken packages."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from medpolicy.errors import UnreadableDocument
from medpolicy.read import DOCX, read_bytes


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def policy_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Acme Health Plan – Policy MP-077"
    document.sections[0].footer.paragraphs[0].text = "© 2025 Acme Health Plan"
    document.add_heading("Sleeve Gastrectomy", level=0)
    document.add_paragraph("This policy describes coverage of sleeve gastrectomy.")
    document.add_heading("Coding Information", level=1)
    document.add_paragraph("The following codes apply:")
    table = document.add_table(rows=4, cols=2)
    for row, (code, description) in enumerate(
        [("Code", "Description"), ("43775", "Laparoscopic sleeve gastrectomy"), ("S2083", "Band adjustment")]
    ):
        table.cell(row, 0).text = code
        table.cell(row, 1).text = description
    merged = table.cell(3, 0).merge(table.cell(3, 1))
    merged.text = "Codes are listed for reference only"
    document.add_paragraph("Criteria follow the table.")
    document.add_paragraph("Body mass index of 40 or more", style="List Number")
    document.add_paragraph("Failed medical weight loss", style="List Number")
    document.add_paragraph("Either applies", style="List Bullet")
    document.add_paragraph("   ")
    return _save(document)


def test_body_order_headings_tables_and_lists(policy_docx: bytes) -> None:
    result = read_bytes(policy_docx, "policy.docx")
    assert result.source.media_type == DOCX
    assert result.text.text.splitlines() == [
        "Acme Health Plan – Policy MP-077",
        "",
        "Sleeve Gastrectomy",
        "",
        "This policy describes coverage of sleeve gastrectomy.",
        "",
        "Coding Information",
        "",
        "The following codes apply:",
        "Code | Description",
        "43775 | Laparoscopic sleeve gastrectomy",
        "S2083 | Band adjustment",
        "Codes are listed for reference only",
        "Criteria follow the table.",
        "1. Body mass index of 40 or more",
        "2. Failed medical weight loss",
        "• Either applies",
        "© 2025 Acme Health Plan",
    ]


def test_segments_name_paragraphs_and_table_rows(policy_docx: bytes) -> None:
    text = read_bytes(policy_docx, "policy.docx").text
    by_content = {text.text[s.start:s.end]: s.element for s in text.segments}
    assert by_content["Acme Health Plan – Policy MP-077"] == "header"
    assert by_content["Sleeve Gastrectomy"] == "p[1]"
    assert by_content["The following codes apply:"] == "p[4]"
    assert by_content["43775 | Laparoscopic sleeve gastrectomy"] == "table[1]/row[2]"
    assert by_content["Criteria follow the table."] == "p[5]"
    assert by_content["© 2025 Acme Health Plan"] == "footer"


def test_vertically_merged_cells_are_not_repeated() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Sleeve"
    table.cell(0, 1).text = "43775"
    table.cell(1, 1).text = "43843"
    text = read_bytes(_save(document), "merged.docx").text.text
    assert text.splitlines() == ["Sleeve | 43775", " | 43843"]


def test_not_a_zip_is_corrupt() -> None:
    with pytest.raises(UnreadableDocument, match=r"^broken.docx: DOCX is corrupt \(not a zip\)$"):
        read_bytes(b"this is not a zip archive at all", "broken.docx")


def test_truncated_docx_is_corrupt(policy_docx: bytes) -> None:
    with pytest.raises(UnreadableDocument, match=r"DOCX is corrupt"):
        read_bytes(policy_docx[: len(policy_docx) // 2], "half.docx")


def test_zip_that_is_not_a_docx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(UnreadableDocument, match=r"zip archive"):
        read_bytes(buffer.getvalue(), "archive.docx")
    with pytest.raises(UnreadableDocument, match=r"^archive.zip: zip archive that is not a DOCX$"):
        read_bytes(buffer.getvalue(), "archive.zip")


def test_docx_with_a_broken_main_part_is_corrupt(policy_docx: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(policy_docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = b"<w:document><unclosed" if item.filename == "word/document.xml" else source.read(item)
            archive.writestr(item, data)
    with pytest.raises(UnreadableDocument, match=r"^bad.docx: DOCX is corrupt: "):
        read_bytes(buffer.getvalue(), "bad.docx")


def test_docx_without_text_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"DOCX has no text"):
        read_bytes(_save(docx.Document()), "blank.docx")


def test_tracked_changes_fields_and_content_controls() -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def run(text: str, tag: str = "w:t") -> str:
        return f"<w:r><{tag}>{text}</{tag}></w:r>"

    document = docx.Document()
    paragraph = document.add_paragraph("Covered codes: ")
    for markup in (
        f'<w:ins {nsdecls("w")} w:id="1" w:author="a">{run("43644")}</w:ins>',
        f'<w:del {nsdecls("w")} w:id="2" w:author="a">{run(" 43999", "w:delText")}</w:del>',
        f'<w:fldSimple {nsdecls("w")} w:instr="PAGE">{run(" and 43775")}</w:fldSimple>',
        f'<w:sdt {nsdecls("w")}><w:sdtContent>{run(".")}</w:sdtContent></w:sdt>',
    ):
        paragraph._p.append(parse_xml(markup))
    assert read_bytes(_save(document), "tracked.docx").text.text == "Covered codes: 43644 and 43775.\n"
