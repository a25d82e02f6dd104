"""Marking facts in a document's text: well-formed HTML, the text unchanged, every span marked."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from medpolicy.web.highlight import Mark, mark_up

TAG = re.compile(r"<mark[^>]*>|</mark>")


class _MarkChecker(HTMLParser):
    """Checks that <mark> elements nest properly; collects the text inside each anchored mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.open_anchors: list[str | None] = []
        self.inside: dict[str, str] = {}
        self.other_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "mark":
            self.other_tags.append(tag)
            return
        anchor = dict(attrs).get("id")
        assert anchor not in self.inside, f"duplicate id {anchor}"
        if anchor:
            self.inside[anchor] = ""
        self.open_anchors.append(anchor)

    def handle_endtag(self, tag: str) -> None:
        assert tag == "mark" and self.open_anchors, "unbalanced </mark>"
        self.open_anchors.pop()

    def handle_data(self, data: str) -> None:
        for anchor in self.open_anchors:
            if anchor:
                self.inside[anchor] += data


def _check(text: str, marks: list[Mark]) -> _MarkChecker:
    out = mark_up(text, marks)
    assert html.unescape(TAG.sub("", str(out))) == text
    checker = _MarkChecker()
    checker.feed(str(out))
    checker.close()
    assert checker.open_anchors == [] and checker.other_tags == []
    return checker


def test_nested_marks_nest() -> None:
    text = "Code 86357 is investigational."
    out = mark_up(text, [Mark(0, 30, "p", "fact-p", "fact"), Mark(5, 10, "c", "fact-c", "fact code")])
    assert str(out) == (
        '<mark id="fact-p" class="fact" data-fact="p">Code '
        '<mark id="fact-c" class="fact code" data-fact="c">86357</mark> is investigational.</mark>'
    )


def test_crossing_marks_are_split_and_the_continuation_has_no_id() -> None:
    out = str(mark_up("abcdefgh", [Mark(0, 5, "a", "fact-a", "x"), Mark(3, 8, "b", "fact-b", "y")]))
    assert out == (
        '<mark id="fact-a" class="x" data-fact="a">abc<mark id="fact-b" class="y" data-fact="b">de</mark></mark>'
        '<mark class="y" data-fact="b">fgh</mark>'
    )


def test_document_text_and_attributes_are_escaped() -> None:
    text = "<script>alert('x')</script> & \"quotes\""
    out = str(mark_up(text, [Mark(0, 8, 'f"><script>', 'a"b', "c<d")]))
    assert "<script>" not in out
    assert "&lt;script&gt;" in out and "&amp;" in out
    assert 'id="a&#34;b"' in out and 'data-fact="f&#34;&gt;&lt;script&gt;"' in out


def test_spans_outside_the_text_are_clipped_or_dropped() -> None:
    assert str(mark_up("abc", [Mark(2, 99, "f", "fact-f", "x"), Mark(5, 9, "g", "fact-g", "x")])) == (
        'ab<mark id="fact-f" class="x" data-fact="f">c</mark>'
    )
    assert str(mark_up("abc", [Mark(2, 2, "f", "fact-f", "x")])) == "abc"


@st.composite
def _text_and_marks(draw: st.DrawFn) -> tuple[str, list[Mark]]:
    text = draw(st.text(alphabet=st.sampled_from("ab <>&\"'\n"), max_size=60))
    count = draw(st.integers(0, 8))
    marks = []
    for n in range(count):
        start = draw(st.integers(-3, len(text) + 3))
        end = draw(st.integers(-3, len(text) + 3))
        marks.append(Mark(start, end, f"f{n}", f"fact-{n}", "fact"))
    return text, marks


@given(_text_and_marks())
def test_any_marks_give_well_formed_html_around_the_unchanged_text(case: tuple[str, list[Mark]]) -> None:
    text, marks = case
    checker = _check(text, marks)
    for mark in marks:
        start, end = max(0, mark.start), min(len(text), mark.end)
        if start < end:
            assert mark.anchor is not None
            assert text[start:end].startswith(checker.inside[mark.anchor])
            assert checker.inside[mark.anchor]
        else:
            assert mark.anchor not in checker.inside
