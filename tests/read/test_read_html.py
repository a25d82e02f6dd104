"""HTML reading: what is kept, what is dropped, how blocks become lines, and encodings."""

from __future__ import annotations

import pytest

from medpolicy.errors import UnreadableDocument
from medpolicy.read import HTML, read_bytes

PAGE = """<!DOCTYPE html>
<html><head><title>Natural Killer Cells &ndash; Acme Health</title>
<style>p { color: red }</style><script>var tracking = "do not read me";</script></head>
<body>
<header><a href="/">Acme Health home</a> <a href="/login">Log in</a></header>
<nav><ul><li>Menu item</li></ul></nav>
<div role="navigation">Breadcrumb trail</div>
<main>
<article>
<header><h1>Natural   Killer (NK)
 Cells</h1></header>
<p>Policy&nbsp;number: 2.04.99 &amp; effective <b>01/01/2025</b>.<br>Second line of the paragraph.</p>
<h2>Coverage</h2>
<ul><li>NK cell testing is <em>investigational</em>.</li><li>Other uses are not covered.</li></ul>
<h2>Coding</h2>
<table>
<thead><tr><th>Code</th><th>Description</th></tr></thead>
<tbody>
<tr><td>86357</td><td>Natural killer (NK) cells, total count</td></tr>
<tr><td>0537T</td><td><p>Chimeric antigen</p><p>receptor T-cell</p></td></tr>
</tbody></table>
<h2>References</h2>
<ol><li>Smith J. A study. 2020.</li><li>Jones K. Another study. 2021.</li></ol>
<noscript>Enable JavaScript</noscript><template><p>hidden template</p></template>
<svg><text>chart label</text></svg>
</article>
</main>
<aside>Related links</aside>
<footer>© Acme Health. Privacy policy.</footer>
</body></html>
"""


def _lines(html: str) -> list[str]:
    return read_bytes(html.encode(), "page.html").text.text.splitlines()


def test_reads_content_and_drops_site_furniture() -> None:
    result = read_bytes(PAGE.encode(), "page.html")
    text = result.text.text
    assert result.source.media_type == HTML
    for dropped in ("do not read me", "Acme Health home", "Menu item", "Breadcrumb", "Enable JavaScript",
                    "hidden template", "chart label", "Related links", "Privacy policy", "color: red"):
        assert dropped not in text
    assert text.splitlines() == [
        "Natural Killer Cells – Acme Health",
        "",
        "Natural Killer (NK) Cells",
        "",
        "Policy number: 2.04.99 & effective 01/01/2025.",
        "Second line of the paragraph.",
        "",
        "Coverage",
        "",
        "• NK cell testing is investigational.",
        "• Other uses are not covered.",
        "",
        "Coding",
        "",
        "Code | Description",
        "86357 | Natural killer (NK) cells, total count",
        "0537T | Chimeric antigen receptor T-cell",
        "",
        "References",
        "",
        "1. Smith J. A study. 2020.",
        "2. Jones K. Another study. 2021.",
    ]


def test_segments_name_the_elements() -> None:
    text = read_bytes(PAGE.encode(), "page.html").text
    by_content = {text.text[s.start:s.end]: s.element for s in text.segments}
    assert by_content["Natural Killer Cells – Acme Health"] == "title"
    assert by_content["Natural Killer (NK) Cells"] == "h1"
    assert by_content["Coverage"] == "h2"
    assert by_content["Second line of the paragraph."] == "p"
    assert by_content["• Other uses are not covered."] == "li"
    assert by_content["Code | Description"] == "table[1]/tr[1]"
    assert by_content["86357 | Natural killer (NK) cells, total count"] == "table[1]/tr[2]"


def test_page_level_header_is_dropped_but_an_article_header_is_kept() -> None:
    lines = _lines("<body><header>Site banner</header><article><header><h1>Policy title</h1></header>"
                   "<p>Body.</p></article></body>")
    assert lines == ["Policy title", "", "Body."]


def test_layout_tables_read_as_blocks_and_nested_data_tables_as_rows() -> None:
    html = """<body><table><tr><td><h2>Criteria</h2><p>First paragraph.</p>
    <table><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></table></td></tr></table></body>"""
    assert _lines(html) == ["Criteria", "", "First paragraph.", "A | 1", "B | 2"]


def test_ordered_list_start_nested_lists_and_preformatted_text() -> None:
    html = """<body><ol start="4"><li>Fourth<ul><li>detail</li></ul></li><li>Fifth</li></ol>
    <pre>  indented
     code</pre></body>"""
    assert _lines(html) == ["4. Fourth", "  • detail", "5. Fifth", "  indented", "     code"]


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Only a title</title></head></html>",
        "<html><body><script>var x = 1;</script><nav>menu</nav>   </body></html>",
        "<!doctype html>",
    ],
)
def test_html_without_body_text_is_refused(html: str) -> None:
    with pytest.raises(UnreadableDocument, match=r"^empty.html: HTML has no body text$"):
        read_bytes(html.encode(), "empty.html")


def test_meta_charset_is_honoured() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>\x93Quoted\x94 \xa9 2024</p></body>'
    result = read_bytes(html.encode("latin-1"), "cp.html")
    assert result.text.text == "“Quoted” © 2024\n"
    assert result.warnings == []


def test_http_equiv_charset_and_latin1_label_mean_windows_1252() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
            "<body><p>\x96 dash</p></body></html>")
    assert read_bytes(html.encode("latin-1"), "old.html").text.text == "– dash\n"


def test_bom_wins_over_meta_and_utf16_is_read() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Café ≥ 35</p></body></html>'
    assert read_bytes(b"\xef\xbb\xbf" + html.encode(), "bom.html").text.text == "Café ≥ 35\n"
    assert read_bytes(html.encode("utf-16"), "wide.html").text.text == "Café ≥ 35\n"


def test_undeclared_non_utf8_falls_back_to_windows_1252_with_a_warning() -> None:
    result = read_bytes(b"<html><body><p>caf\xe9</p></body></html>", "undeclared.html")
    assert result.text.text == "café\n"
    assert result.warnings == ["HTML declares no charset and is not UTF-8; decoded as Windows-1252"]


def test_deeply_nested_markup_does_not_overflow() -> None:
    html = "<body>" + "<div>" * 5000 + "deep text" + "</div>" * 5000 + "</body>"
    assert "deep text" in read_bytes(html.encode(), "deep.html").text.text
