"""tools/build_demo_corpus.py: the source markup, the facts it records, the shipped corpus being current."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medpolicy.demo import corpus_dir

ROOT = Path(__file__).resolve().parents[2]


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_demo_corpus", ROOT / "tools" / "build_demo_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()
SOURCES = builder.load_sources()

HEADER = """name: {name}
family: bcbsa
format: txt
payer: Example Plan
doc_type: medical_policy
policy_number: 1.02.03
title: Example Policy
effective: 2025-03-01
distractors: 99201
{extra}---
"""

FOOTER = "page_footer: Page {page} of {pages}\n"


def write_source(tmp_path: Path, body: str, name: str = "example", extra: str = "") -> Path:
    path = tmp_path / f"{name}.mpdoc"
    path.write_text(HEADER.format(name=name, extra=extra) + body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- shipped corpus


def test_every_source_lints_cleanly() -> None:
    problems = {s.name: builder.lint(s, builder.render_text(s)) for s in SOURCES}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_shipped_expected_facts_match_the_source(source: object) -> None:
    shipped = json.loads((corpus_dir() / f"{source.name}.expected.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(builder.expected_facts(source)))


@pytest.mark.parametrize("source", [s for s in SOURCES if s.fmt in {"txt", "html"}], ids=lambda s: s.name)
def test_shipped_text_and_html_documents_match_the_source(source: object) -> None:
    shipped = (corpus_dir() / f"{source.name}.{source.fmt}").read_text(encoding="utf-8")
    rendered = (
        builder.render_text(source) if source.fmt == "txt" else builder.render_html(source, for_print=False)
    )
    assert shipped == rendered


def test_every_source_was_rendered() -> None:
    assert {f"{s.name}.{s.fmt}" for s in SOURCES} == {
        p.name for p in corpus_dir().iterdir() if not p.name.endswith(".expected.json")
    }


# --------------------------------------------------------------------------- markup


def test_markers_record_codes_ranges_positions_and_render_as_plain_text(tmp_path: Path) -> None:
    body = (
        "# Example Policy\n"
        "> Effective Date: {{D:effective:%B %-d, %Y}}\n"
        "> Example Plan policy 1.02.03, see also {{P:1.02.09}}\n"
        "{{C:investigational:NK testing|Testing with {{L:86357}} is considered investigational.}}\n"
        "Removed {{M:86359}} in 2024. Ranges {{R:C18.0 – C18.9}} apply. Mail: Spokane, WA 99201.\n"
        "@codes coverage=medically_necessary\n"
        "| Code | Description |\n"
        "|---|---|\n"
        "|= HCPCS\n"
        "| S2107 | Adoptive immunotherapy |\n"
        "|=(investigational) ICD-10\n"
        "| N96 | ~ |\n"
        "| D80.0 – D80.9 | Antibody defects |\n"
        "@references\n"
        "1. Author A. A study. J Demo. 2020;1:1-2. PMID 31234567\n"
        "2. Author B. Another. J Demo. 2021;2:3-4.\n"
        "@history\n"
        "| Date | Comments |\n"
        "|---|---|\n"
        "| 01/01/2025 | New |\n"
    )
    source = builder.parse_source(write_source(tmp_path, body))
    facts = builder.expected_facts(source)
    text = builder.render_text(source)
    assert facts["codes"] == [
        {"system": "CPT", "code": "86357", "description": None, "coverage": None},
        {
            "system": "HCPCS",
            "code": "S2107",
            "description": "Adoptive immunotherapy",
            "coverage": "medically_necessary",
        },
        {
            "system": "ICD-10-CM",
            "code": "N96",
            "description": "Recurrent pregnancy loss",
            "coverage": "investigational",
        },
    ]
    assert facts["mentioned_codes"] == [{"system": "CPT", "code": "86359"}]
    assert facts["code_ranges"] == ["C18.0-C18.9", "D80.0-D80.9"]
    assert facts["coverage"] == [
        {
            "statement_excerpt": "Testing with 86357 is considered investigational.",
            "status": "investigational",
            "applies_to": "NK testing",
        }
    ]
    assert facts["related_policies"] == ["1.02.09"]
    assert (facts["references_count"], facts["pmids"], facts["history_entries_count"]) == (2, ["31234567"], 1)
    assert "Effective Date: March 1, 2025" in text
    assert "{{" not in text and "Recurrent pregnancy loss" in text
    assert builder.lint(source, text) == []


def test_lint_flags_undeclared_code_shaped_tokens_and_missing_dates(tmp_path: Path) -> None:
    body = "# Example Policy\nPolicy 1.02.03 lists 86357 and was mailed to 99201 and 98104.\n"
    source = builder.parse_source(write_source(tmp_path, body))
    problems = builder.lint(source, builder.render_text(source))
    assert any("'86357'" in p for p in problems)
    assert any("'98104'" in p for p in problems)
    assert not any("'99201'" in p for p in problems)
    assert any("effective" in p for p in problems)
    assert "a policy with no listed codes" in problems


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{C:approved:x|It is approved.}}\n", "unknown status 'approved'"),
        ("@frobnicate\n", "unknown directive @frobnicate"),
        ("{{L:ABC}}\n", "'ABC' is not code-shaped"),
        ("{{D:next_review:%Y}}\n", "date marker for 'next_review'"),
        ("@codes\nA paragraph.\n", "@codes must be followed by a table or list"),
        ("| a | ~ |\n", "'~' description belongs in a @codes table"),
    ],
)
def test_source_errors_name_the_file_line_and_problem(tmp_path: Path, body: str, message: str) -> None:
    path = write_source(tmp_path, "# Example Policy\n" + body)
    with pytest.raises(builder.SourceError) as caught:
        builder.parse_source(path)
    assert str(caught.value).startswith("example.mpdoc:")
    assert message in str(caught.value)


def test_a_source_that_is_not_utf8_is_reported_by_name(tmp_path: Path) -> None:
    path = tmp_path / "latin.mpdoc"
    path.write_bytes("name: latin\n---\nCaf\u00e9\n".encode("latin-1"))
    with pytest.raises(builder.SourceError, match=r"^latin.mpdoc: not UTF-8 text"):
        builder.parse_source(path)


def test_front_matter_name_must_match_the_file(tmp_path: Path) -> None:
    path = write_source(tmp_path, "# Example Policy\n", name="example")
    path = path.rename(tmp_path / "other.mpdoc")
    with pytest.raises(builder.SourceError, match="differs from the file name"):
        builder.parse_source(path)


def test_text_output_marks_page_breaks_with_footers_and_form_feeds(tmp_path: Path) -> None:
    body = "# Example Policy\nFirst page.\n@pagebreak\nSecond page.\n"
    path = write_source(tmp_path, body, extra=FOOTER)
    text = builder.render_text(builder.parse_source(path))
    assert "Page 1 of 2\n\f" in text and text.rstrip().endswith("Page 2 of 2")


def test_css_content_turns_page_placeholders_into_counters() -> None:
    assert builder.css_content('Page {page} of {pages} "x"') == (
        '"Page " counter(page) " of " counter(pages) " \\"x\\""'
    )
    assert builder.css_content(None) == "none"


# --------------------------------------------------------------------------- properties

CPT = st.from_regex(r"\A[0-9]{5}\Z") | st.from_regex(r"\A[0-9]{4}[FTU]\Z")
HCPCS = st.from_regex(r"\A[ABCEGHJKLMPQRSTV][0-9]{4}\Z")
ICD = st.from_regex(r"\A[A-TV-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\Z")


@given(CPT)
def test_cpt_shapes_are_cpt(code: str) -> None:
    assert builder.code_system(code) == "CPT"


@given(HCPCS)
def test_hcpcs_shapes_are_hcpcs(code: str) -> None:
    assert builder.code_system(code) == "HCPCS"


@given(ICD)
def test_dotted_icd_shapes_are_icd10cm(code: str) -> None:
    assert builder.code_system(code) == "ICD-10-CM"


@given(ICD, ICD, st.sampled_from(["-", "–", " – ", " - ", "—"]))
def test_ranges_normalise_to_a_plain_hyphen(start: str, end: str, dash: str) -> None:
    assert builder.normalise_range(f"{start}{dash}{end}") == f"{start}-{end}"


@given(CPT, ICD)
def test_ranges_across_systems_are_not_ranges(cpt: str, icd: str) -> None:
    assert builder.normalise_range(f"{cpt} – {icd}") is None


CELL = st.text(st.characters(blacklist_characters="|{}\n\r", blacklist_categories=("Cs",)), max_size=20).map(
    str.strip
)


@given(st.lists(CELL, min_size=1, max_size=6))
def test_split_cells_round_trips_a_row(cells: list[str]) -> None:
    assert builder.split_cells("| " + " | ".join(cells) + " |") == cells


@given(st.lists(CELL, min_size=1, max_size=4))
def test_a_pipe_inside_a_marker_does_not_split_a_cell(cells: list[str]) -> None:
    marked = [f"{{{{C:investigational:x|{c}}}}}" for c in cells]
    assert builder.split_cells("| " + " | ".join(marked) + " |") == marked


@given(st.text(max_size=80))
def test_plain_is_idempotent(text: str) -> None:
    assert builder.plain(builder.plain(text)) == builder.plain(text)


# --------------------------------------------------------------------------- binary formats


def test_docx_rendering_is_reproducible(tmp_path: Path) -> None:
    source = next(s for s in SOURCES if s.fmt == "docx")
    builder.write_docx(source, tmp_path / "one.docx")
    builder.write_docx(source, tmp_path / "two.docx")
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()


def test_pdf_rendering_repeats_the_page_margins_on_every_page(tmp_path: Path) -> None:
    import pypdfium2

    body = "# Example Policy\nExample Plan policy 1.02.03.\n@pagebreak\nSecond page.\n"
    path = write_source(tmp_path, body, extra=FOOTER)
    target = tmp_path / "example.pdf"
    builder.write_pdf(builder.parse_source(path), target)
    pdf = pypdfium2.PdfDocument(target)
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert "Second page." in pages[1]
