"""Properties of the readers over generated input: never a traceback, exact offsets, lossless text."""

from __future__ import annotations

import io
from html import escape

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.errors import UnreadableDocument
from medpolicy.read import ReadResult, read_bytes
from medpolicy.read.normalize import normalize, normalize_newlines

from .handmade_pdf import handmade_pdf

NAMES = st.sampled_from(["doc.pdf", "doc.html", "doc.docx", "doc.txt", "doc", "DOC.PDF", "page.htm"])
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _docx_seed() -> bytes:
    document = docx.Document()
    document.add_heading("Seed", level=1)
    document.add_paragraph("A paragraph with code 86357.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "0537T"
    table.cell(0, 1).text = "Cell"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SEEDS = [
    handmade_pdf("Seed document text 43644"),
    handmade_pdf("Locked", encrypted=True),
    _docx_seed(),
    b"<!doctype html><html><body><h1>T</h1><table><tr><td>a</td><td>b</td></tr></table></body></html>",
    "plain “text”\r\nwith lines\f\n".encode("utf-16"),
]


@st.composite
def mutated_seeds(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    cut = draw(st.integers(len(data) // 3, len(data)))
    return bytes(data[:cut])


ANY_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda tail: b"%PDF-1.7\n" + tail, st.binary(max_size=2000)),
    st.builds(lambda tail: b"PK\x03\x04" + tail, st.binary(max_size=2000)),
    st.builds(lambda text: f"<html><body>{text}".encode(), st.text(max_size=500)),
    mutated_seeds(),
)


def assert_segments_well_formed(result: ReadResult) -> None:
    length = len(result.text.text)
    previous_end = 0
    for segment in result.text.segments:
        assert 0 <= segment.start < segment.end <= length
        assert segment.start >= previous_end
        previous_end = segment.end


@FUZZ
@given(data=ANY_BYTES, name=NAMES)
def test_any_bytes_read_or_fail_cleanly(data: bytes, name: str) -> None:
    try:
        result = read_bytes(data, name)
    except UnreadableDocument as error:
        assert error.path == name
        assert error.reason and "\n" not in error.reason
        return
    assert result.text.text.strip()
    assert result.source.path == name
    assert_segments_well_formed(result)


PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
TEXT = st.text(st.one_of(PRINTABLE, st.sampled_from("\n\r\t\f")), min_size=1, max_size=300).filter(str.strip)


@FUZZ
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "utf-16-le", "utf-16-be"]))
def test_unicode_text_round_trips(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff").encode(encoding) + data
    result = read_bytes(data, "any.txt", media_type="text/plain")
    assert result.text.text == normalize(normalize_newlines(text))
    assert result.warnings == []
    assert_segments_well_formed(result)


BLOCK = st.tuples(
    st.sampled_from(["p", "h2", "li", "div", "td", "pre", "span"]),
    st.text(st.one_of(PRINTABLE, st.just(" ")), min_size=1, max_size=40),
)


@FUZZ
@given(blocks=st.lists(BLOCK, min_size=1, max_size=12))
def test_html_segments_are_ordered_and_hold_their_text(blocks: list[tuple[str, str]]) -> None:
    body = "".join(
        f"<table><tr><td>{escape(text)}</td><td>x</td></tr></table>" if tag == "td"
        else f"<ul><li>{escape(text)}</li></ul>" if tag == "li"
        else f"<{tag}>{escape(text)}</{tag}>"
        for tag, text in blocks
    )
    try:
        result = read_bytes(f"<html><body>{body}</body></html>".encode(), "gen.html")
    except UnreadableDocument as error:
        assert error.reason == "HTML has no body text"
        assert not "".join(text for _, text in blocks).strip()
        return
    assert_segments_well_formed(result)
    covered = "".join(result.text.text[s.start:s.end] for s in result.text.segments)
    assert "".join(covered.split()) == "".join(result.text.text.split())


SOUP_TAGS = ["header", "footer", "nav", "div", "p", "table", "tr", "td", "th", "ul", "ol", "li", "b", "span",
             "article", "main", "script", "pre", "br", "h2", "template", "caption", "tbody"]
TAG_SOUP = st.lists(
    st.one_of(
        st.builds("<{}>".format, st.sampled_from(SOUP_TAGS)),
        st.builds("</{}>".format, st.sampled_from(SOUP_TAGS)),
        st.sampled_from(['<div hidden>', '<div role="navigation">', '<ol start="x">', '<li value="7">',
                         "&amp;", "&nbsp;", "<!--", "-->"]),
        st.text(max_size=10),
    ),
    max_size=60,
)


@FUZZ
@given(pieces=TAG_SOUP)
def test_tag_soup_reads_or_fails_cleanly(pieces: list[str]) -> None:
    try:
        result = read_bytes("".join(pieces).encode(), "soup.html", media_type="text/html")
    except UnreadableDocument as error:
        assert error.reason in ("HTML has no body text", "empty file")
        return
    assert_segments_well_formed(result)


@pytest.mark.parametrize("seed", SEEDS[:1] + SEEDS[2:], ids=["pdf", "docx", "html", "utf16-text"])
def test_seeds_are_readable(seed: bytes) -> None:
    assert_segments_well_formed(read_bytes(seed, "seed"))
