"""Plain text: encodings, newline handling, binary refusal, pages from form feeds."""

from __future__ import annotations

import pytest

from medpolicy.errors import UnreadableDocument
from medpolicy.read import TEXT, read_bytes
from medpolicy.read.plaintext import decode_text, looks_like_utf16

SAMPLE = "Policy 8.01.01 — “Adoptive Immunotherapy”\nCPT 86357 ≥ 2 µg\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        b"\xff\xfe" + SAMPLE.encode("utf-16-le"),
        b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"],
)
def test_unicode_encodings_decode_without_warnings(data: bytes) -> None:
    result = read_bytes(data, "policy.txt")
    assert result.text.text == SAMPLE
    assert result.warnings == []
    assert result.source.media_type == TEXT


def test_utf16_without_bom_is_recognised_by_its_nul_pattern() -> None:
    ascii_text = "Medical policy 2.04.99\nCodes: 86357, 0537T\n"
    assert looks_like_utf16(ascii_text.encode("utf-16-le")) == "utf-16-le"
    assert looks_like_utf16(ascii_text.encode("utf-16-be")) == "utf-16-be"
    assert read_bytes(ascii_text.encode("utf-16-le"), "wide.txt").text.text == ascii_text
    assert read_bytes(ascii_text.encode("utf-16-be"), "wide.txt").text.text == ascii_text


def test_windows_1252_curly_quotes_and_copyright() -> None:
    result = read_bytes(b"\x93Covered\x94 \xa9 2024 Acme \x96 policy", "cp1252.txt")
    assert result.text.text == "“Covered” © 2024 Acme – policy"
    assert result.warnings == ["text is not UTF-8; decoded as Windows-1252"]


def test_latin1_is_the_last_resort_and_says_so() -> None:
    text, warnings = decode_text(b"caf\xe9 \x81 menu")  # 0x81 is undefined in Windows-1252
    assert text == "café \x81 menu"
    assert warnings == [
        "text is neither UTF-8 nor Windows-1252; decoded as Latin-1, some characters may be wrong"
    ]


def test_newlines_are_unified_and_lines_kept_as_they_are() -> None:
    data = b"  indented line  \r\nsecond\rthird\n\n\nlast   "
    assert read_bytes(data, "lines.txt").text.text == "  indented line  \nsecond\nthird\n\n\nlast   "


def test_form_feeds_make_pages() -> None:
    result = read_bytes(b"first page\n\x0csecond page\n\x0cthird page\n", "pdftotext.txt")
    text = result.text
    assert text.text == "first page\n\fsecond page\n\fthird page\n"
    assert result.page_count == 3
    assert [(text.text[s.start:s.end], s.page) for s in text.segments] == [
        ("first page\n", 1), ("second page\n", 2), ("third page\n", 3)
    ]


def test_text_without_form_feeds_is_one_segment() -> None:
    result = read_bytes(b"one\ntwo\n", "plain.txt")
    assert [(s.start, s.end, s.page) for s in result.text.segments] == [(0, 8, None)]
    assert result.page_count is None


def test_a_stray_nul_is_replaced_not_fatal() -> None:
    assert read_bytes(b"policy\x00 text with one NUL byte in it", "nul.txt").text.text == (
        "policy\ufffd text with one NUL byte in it"
    )


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 8, b"\x00\x01\x02\x03\x04\x05" * 50, b"ELF\x7f\x00\x00\x02\x01" + b"\x00" * 200],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableDocument, match=r"^blob.txt: binary data that is not PDF, HTML, DOCX or"):
        read_bytes(data, "blob.txt")


def test_whitespace_only_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"no text"):
        read_bytes(b" \r\n\t \n", "blank.txt")
