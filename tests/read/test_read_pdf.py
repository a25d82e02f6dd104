"""PDF reading: pages, running headers and footers, hyphenation, and the ways PDFs fail."""

from __future__ import annotations

import base64
import io
import logging
import time
from pathlib import Path

import pytest

from medpolicy.errors import UnreadableDocument
from medpolicy.read import PDF, read_bytes, read_path
from medpolicy.read.furniture import furniture_key
from shared_corpus import CIGNA_PDF

from .handmade_pdf import handmade_pdf

CIGNA = CIGNA_PDF
HEADER = "Acme Health Plan · Medical Policy MP-042"


def test_pages_become_segments_separated_by_form_feeds(three_page_pdf: Path) -> None:
    result = read_path(three_page_pdf)
    text = result.text
    assert result.page_count == 3
    assert result.source.media_type == PDF
    assert text.text.count("\f") == 2
    assert [segment.page for segment in text.segments] == [1, 2, 3]
    pages = text.text.split("\f\n")
    for segment, page_text in zip(text.segments, pages, strict=True):
        assert text.text[segment.start:segment.end] == page_text.rstrip("\n")
    assert text.page_at(text.text.index("43775")) == 2
    assert text.page_at(text.text.index("Example reference")) == 3
    assert text.page_at(text.text.index("Gastric Pacing")) == 1


def test_running_header_and_footer_are_kept_once(three_page_pdf: Path) -> None:
    text = read_path(three_page_pdf).text.text
    assert text.count(HEADER) == 1
    assert "Page 1 of 3" in text
    assert "Page 2 of 3" not in text
    assert "Page 3 of 3" not in text
    second_page = text.split("\f\n")[1]
    assert second_page.splitlines() == [
        "Coding Information",
        "Code Description",
        "43644 Laparoscopic gastric bypass",
        "43775 Laparoscopic sleeve gastrectomy",
    ]


def test_words_broken_at_line_end_are_joined(three_page_pdf: Path) -> None:
    text = read_path(three_page_pdf).text.text
    assert "considered biological in part" in text  # typesetter's hyphen: removed
    assert "long-term results" in text  # compound spelled with a hyphen elsewhere: kept
    assert "longterm" not in text
    assert "after gastrointestinal surgery" in text  # spelled without the hyphen elsewhere: removed
    assert "Roux-en-Y bypass" in text  # compound spelled with a hyphen elsewhere: kept
    assert "LAP-BAND device" in text  # upper-case continuation: kept
    assert "adults-when criteria" in text  # no evidence, typed hyphen: kept


def test_encrypted_pdf_asks_for_a_password() -> None:
    assert read_bytes(handmade_pdf("Readable"), "open.pdf").text.text == "Readable\n"
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(handmade_pdf("Readable", encrypted=True), "locked.pdf")
    assert caught.value.path == "locked.pdf"
    assert caught.value.reason == "PDF is encrypted (password required)"
    assert str(caught.value) == "locked.pdf: PDF is encrypted (password required)"


@pytest.mark.parametrize("fraction", [0.001, 0.05, 0.3, 0.6])
def test_truncated_pdf_is_corrupt(three_page_pdf: Path, fraction: float) -> None:
    data = three_page_pdf.read_bytes()
    with pytest.raises(UnreadableDocument, match=r"^truncated.pdf: PDF is corrupt: data format error$"):
        read_bytes(data[: int(len(data) * fraction)], "truncated.pdf")


def test_named_pdf_without_a_pdf_header_is_corrupt() -> None:
    with pytest.raises(UnreadableDocument, match=r"no %PDF header"):
        read_bytes(bytes(range(256)) * 4, "junk.pdf")


def test_pdf_without_text_has_no_text_layer() -> None:
    with pytest.raises(UnreadableDocument, match=r"no text layer .*OCR is not supported"):
        read_bytes(handmade_pdf(None), "blank.pdf")


def png_bytes(width: int = 120, height: int = 80) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _image_pdf(pages: list[str]) -> bytes:
    """Pages holding an image, and the given text (a page footer or a paragraph) under it."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    image = base64.b64encode(png_bytes()).decode()
    body = "".join(
        f'<div style="break-after: page"><img src="data:image/png;base64,{image}"><p>{text}</p></div>'
        for text in pages
    )
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def test_scanned_pages_with_only_page_numbers_have_no_text_layer() -> None:
    with pytest.raises(UnreadableDocument, match=r"no text layer"):
        read_bytes(_image_pdf(["Page 1", "Page 2"]), "scan.pdf")


def test_a_scanned_page_among_text_pages_is_a_warning() -> None:
    result = read_bytes(_image_pdf(["Coverage criteria apply to every member of the plan.", ""]), "mixed.pdf")
    assert result.page_count == 2
    assert "Coverage criteria" in result.text.text
    assert result.warnings == ["page 2 has no text layer (scanned image?); its text is missing"]


@pytest.mark.skipif(not CIGNA.exists(), reason="shared/ (the real corpus) is not beside the repository")
def test_real_policy_pdf() -> None:
    started = time.perf_counter()
    result = read_path(CIGNA)
    elapsed = time.perf_counter() - started
    print(f"\nread {CIGNA.name}: {result.page_count} pages, {len(result.text.text):,} characters "
          f"in {elapsed:.2f} s")
    text = result.text.text
    assert result.page_count == 111
    assert [segment.page for segment in result.text.segments] == list(range(1, 112))
    assert "43644" in text
    assert "43775" in text
    lines = text.splitlines()
    for running in ("Page 1 of 111", "Medical Coverage Policy: 0051"):
        key = furniture_key(running)
        assert sum(furniture_key(line) == key for line in lines) <= 1, running
    assert "Roux-en-Y gastric bypass" in text
    assert "\ufffe" not in text
