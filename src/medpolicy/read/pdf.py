"""PDF: each page's text layer in reading order, without running headers and footers.

Pages are joined by a form feed on a line of its own ("…last line\\n\\f\\nfirst line…"),
so a page break stays visible to line-based readers, and each page's text is one
segment carrying its 1-based page number. PDFium reports a hyphen that ends a line as
U+FFFE and joins the lines itself; that is turned back into a line-end hyphen so one rule
(`hyphens`) decides every case.
"""

from __future__ import annotations

import re
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from medpolicy.errors import UnreadableDocument
from medpolicy.model import Text
from medpolicy.read.builder import FormatReading, TextBuilder
from medpolicy.read.furniture import remove_running_lines
from medpolicy.read.hyphens import join_hyphenated_lines, vocabulary
from medpolicy.read.normalize import normalize_newlines

PAGE_BREAK = "\f\n"
# PDFium's mark for a hyphen that ended a line (it drops the line break after it).
_PDFIUM_HYPHEN_BREAK = re.compile("\ufffe(?:\r\n|\r|\n)?")
_MIN_PAGE_CHARACTERS = 20
"""A page with fewer non-blank characters than this, and an image, looks scanned."""

# PDFium keeps global state and is not thread-safe.
_PDFIUM_LOCK = threading.Lock()

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "PDF is encrypted (password required)",
    pdfium_c.FPDF_ERR_SECURITY: "PDF is encrypted with an unsupported security handler",
    pdfium_c.FPDF_ERR_FORMAT: "PDF is corrupt: data format error",
    pdfium_c.FPDF_ERR_FILE: "PDF is corrupt: file cannot be parsed",
    pdfium_c.FPDF_ERR_PAGE: "PDF is corrupt: page not found or content error",
}


def read_pdf(data: bytes, name: str) -> FormatReading:
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument(name, "PDF is corrupt: no %PDF header")
    with _PDFIUM_LOCK:
        page_texts, image_pages = _page_texts(data, name)
    pages = [_page_lines(text) for text in page_texts]
    little_text = [
        number
        for number, lines in enumerate(pages, start=1)
        if _visible_characters(lines) < _MIN_PAGE_CHARACTERS
    ]
    if all(_visible_characters(lines) == 0 for lines in pages) or (
        len(little_text) == len(pages) and set(little_text) <= image_pages
    ):
        raise UnreadableDocument(name, "PDF has no text layer (scanned image?); OCR is not supported")
    warnings = []
    scanned = [number for number in little_text if number in image_pages]
    if scanned:
        warnings.append(_scanned_pages_warning(scanned))
    pages = remove_running_lines(pages)
    words = vocabulary(pages)
    pages = [_trim_blank_lines(join_hyphenated_lines(lines, words)) for lines in pages]
    return FormatReading(_assemble(pages), warnings, page_count=len(pages))


def _page_texts(data: bytes, name: str) -> tuple[list[str], set[int]]:
    """Raw text of every page, and the 1-based numbers of pages that hold images but little text."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = _LOAD_ERRORS.get(exc.err_code or -1, f"PDF is corrupt: {exc}")
        raise UnreadableDocument(name, reason) from exc
    try:
        texts = []
        image_pages = set()
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                if len("".join(text.split())) < _MIN_PAGE_CHARACTERS and _has_image(page):
                    image_pages.add(index + 1)
            finally:
                page.close()
            texts.append(text)
        return texts, image_pages
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(name, f"PDF is corrupt: {exc}") from exc
    finally:
        document.close()


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))


def _page_lines(text: str) -> list[str]:
    return normalize_newlines(_PDFIUM_HYPHEN_BREAK.sub("-\n", text)).split("\n")


def _visible_characters(lines: list[str]) -> int:
    return sum(len("".join(line.split())) for line in lines)


def _trim_blank_lines(lines: list[str]) -> list[str]:
    start = 0
    end = len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _scanned_pages_warning(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has no text layer (scanned image?); its text is missing"
    return f"pages {', '.join(map(str, numbers))} have no text layer (scanned images?); their text is missing"


def _assemble(pages: list[list[str]]) -> Text:
    builder = TextBuilder()
    for number, lines in enumerate(pages, start=1):
        if number > 1:
            builder.separate(PAGE_BREAK)
        if lines:
            builder.add("\n".join(lines), page=number)
            builder.separate("\n")
    return builder.build()
