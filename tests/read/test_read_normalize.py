"""Character normalisation and the text builder's offset bookkeeping."""

from __future__ import annotations

from medpolicy.model import Segment
from medpolicy.read.builder import TextBuilder
from medpolicy.read.normalize import normalize, normalize_newlines


def test_normalize_characters() -> None:
    assert normalize("e\u0301") == "é"  # NFC
    assert normalize("a\u00a0b\u202fc") == "a b c"
    assert normalize("bio\u00adlogical") == "biological"
    assert normalize("\uf0b7 one \uf0a7 two \uf076 three \uf0d8 four") == "• one • two • three • four"
    assert normalize("\ufb01rst \ufb02ow e\ufb00ect") == "first flow effect"
    assert normalize("non\u2011covered \u2010") == "non-covered -"
    assert normalize("nul\x00") == "nul\ufffd"


def test_normalize_leaves_lines_alone() -> None:
    text = "  leading and trailing  \n\n\tTabbed\f\n– en dash stays – ©"
    assert normalize(text) == text


def test_normalize_newlines_keeps_form_feeds() -> None:
    assert normalize_newlines("a\r\nb\rc\n\fd") == "a\nb\nc\n\fd"


def test_builder_records_exact_offsets_after_normalisation() -> None:
    builder = TextBuilder()
    builder.add("\ufb01rst line", element="p")
    builder.separate("\n")
    builder.add("", element="p")
    builder.add("e\u0301te\u0301", page=2)
    text = builder.build()
    assert text.text == "first line\nété"
    assert text.segments == [Segment(0, 10, element="p"), Segment(11, 14, page=2)]
    assert text.text[11:14] == "été"
    assert text.page_at(12) == 2
    assert text.page_at(10) is None
