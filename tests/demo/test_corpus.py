"""The shipped demo corpus: enough documents, payers and formats, valid expected facts, versions."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import docx
import pypdfium2
import pytest

from medpolicy.demo import (
    EXPECTED_SUFFIX,
    corpus_dir,
    expected_facts,
    expected_path,
    list_documents,
    write_evaluation_set,
)

REQUIRED_KEYS = {
    "payer",
    "policy_number",
    "title",
    "doc_type",
    "dates",
    "codes",
    "mentioned_codes",
    "code_ranges",
    "coverage",
    "related_policies",
    "references_count",
    "pmids",
    "history_entries_count",
}
DATE_KEYS = {"effective", "last_revised", "original_effective", "published", "next_review"}
STATUSES = {"medically_necessary", "investigational", "not_medically_necessary", "not_covered", "cosmetic"}
DOC_TYPES = {
    "medical_policy",
    "clinical_policy_bulletin",
    "lcd",
    "ncd",
    "billing_article",
    "code_page",
    "coverage_summary",
    "other",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

DOCUMENTS = list_documents()
FACTS = {document.name: expected_facts(document) for document in DOCUMENTS}


def test_corpus_has_at_least_thirty_documents() -> None:
    assert len(DOCUMENTS) >= 30


def test_list_documents_returns_documents_only() -> None:
    assert all(not path.name.endswith(EXPECTED_SUFFIX) for path in DOCUMENTS)
    assert {path.suffix for path in DOCUMENTS} == {".pdf", ".html", ".docx", ".txt"}
    assert all(path.parent == corpus_dir() for path in DOCUMENTS)


def test_every_format_is_well_represented() -> None:
    counts = defaultdict(int)
    for document in DOCUMENTS:
        counts[document.suffix] += 1
    assert counts[".pdf"] >= 6 and counts[".html"] >= 6 and counts[".docx"] >= 5 and counts[".txt"] >= 1


def test_at_least_eight_payers() -> None:
    payers = {facts["payer"] for facts in FACTS.values() if facts["payer"]}
    assert len(payers) >= 8


def test_every_document_has_an_expected_file_and_nothing_is_orphaned() -> None:
    stems = {d.name.removesuffix(d.suffix) for d in DOCUMENTS}
    expected = {p.name.removesuffix(EXPECTED_SUFFIX) for p in corpus_dir().glob("*" + EXPECTED_SUFFIX)}
    assert stems == expected
    assert all(expected_path(d).is_file() for d in DOCUMENTS)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_expected_facts_follow_the_gold_format(name: str) -> None:
    facts = FACTS[name]
    assert facts.keys() >= REQUIRED_KEYS
    assert facts["doc_type"] in DOC_TYPES
    assert set(facts["dates"]) == DATE_KEYS
    assert all(value is None or ISO_DATE.match(value) for value in facts["dates"].values())
    assert all({"system", "code", "description"} <= code.keys() for code in facts["codes"])
    listed = {(c["system"], c["code"]) for c in facts["codes"]}
    assert len(listed) == len(facts["codes"]), "a code is listed twice"
    assert not listed & {(c["system"], c["code"]) for c in facts["mentioned_codes"]}
    assert all(c["coverage"] in STATUSES | {None} for c in facts["codes"])
    for position in facts["coverage"]:
        assert position["status"] in STATUSES
        assert position["statement_excerpt"].strip()
    assert all(re.fullmatch(r"[A-Z0-9.]+-[A-Z0-9.]+", r) for r in facts["code_ranges"])
    assert all(re.fullmatch(r"\d{6,9}", pmid) for pmid in facts["pmids"])
    if facts["references_count"] is not None:
        assert facts["references_count"] >= len(facts["pmids"])


def test_documents_imitate_every_layout_family() -> None:
    families = {facts["family"] for facts in FACTS.values()}
    assert families >= {
        "bcbsa",
        "aetna-cpb",
        "cigna",
        "uhc",
        "medicare",
        "floridablue-mcg",
        "humana",
        "anthem",
        "bcbs-minimal",
        "bulletin",
        "code-page",
    }
    doc_types = {facts["doc_type"] for facts in FACTS.values()}
    assert doc_types >= {
        "medical_policy",
        "clinical_policy_bulletin",
        "lcd",
        "ncd",
        "billing_article",
        "code_page",
        "other",
    }


def _versions() -> dict[tuple[str, str], list[dict[str, Any]]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for facts in FACTS.values():
        if facts["payer"] and facts["policy_number"]:
            groups[(facts["payer"], facts["policy_number"])].append(facts)
    return {
        key: sorted(group, key=lambda f: f["dates"]["effective"] or f["dates"]["last_revised"])
        for key, group in groups.items()
        if len(group) > 1
    }


def test_two_policies_come_in_two_versions_with_different_effective_dates() -> None:
    with_new_effective_date = [
        key
        for key, (old, new) in _versions().items()
        if old["dates"]["effective"] and old["dates"]["effective"] != new["dates"]["effective"]
    ]
    assert len(with_new_effective_date) >= 2


@pytest.mark.parametrize("key", sorted(_versions()))
def test_second_version_adds_and_removes_a_code_and_moves_a_position(key: tuple[str, str]) -> None:
    old, new = _versions()[key]
    old_codes = {(c["system"], c["code"]) for c in old["codes"]}
    new_codes = {(c["system"], c["code"]) for c in new["codes"]}
    assert new_codes - old_codes, "version 2 adds no code"
    assert old_codes - new_codes, "version 2 removes no code"
    was_investigational = {p["applies_to"] for p in old["coverage"] if p["status"] == "investigational"}
    now_necessary = {p["applies_to"] for p in new["coverage"] if p["status"] == "medically_necessary"}
    assert was_investigational & now_necessary


def test_one_code_has_different_positions_at_different_payers() -> None:
    positions: dict[str, set[str]] = defaultdict(set)
    for facts in FACTS.values():
        for code in facts["codes"]:
            if code["code"] == "86357" and code["coverage"]:
                positions[code["coverage"]].add(facts["payer"])
    assert len(positions["investigational"]) >= 2
    assert len(positions["medically_necessary"]) >= 1


def test_pdfs_have_a_text_layer_several_pages_and_page_numbers() -> None:
    for document in (d for d in DOCUMENTS if d.suffix == ".pdf"):
        pdf = pypdfium2.PdfDocument(document)
        try:
            pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        finally:
            pdf.close()
        assert len(pages) >= 2, document.name
        joined = " ".join(" ".join(pages).split())
        assert " ".join(FACTS[document.name]["title"].split()) in joined, document.name
        assert re.search(rf"Page:? 2 of {len(pages)}", joined), document.name


def test_docx_documents_hold_real_tables() -> None:
    for document in (d for d in DOCUMENTS if d.suffix == ".docx"):
        tables = docx.Document(str(document)).tables
        assert tables, document.name
        cells = {cell.text for table in tables for row in table.rows for cell in row.cells}
        listed = {c["code"] for c in FACTS[document.name]["codes"]}
        assert listed & cells, f"{document.name}: no listed code sits in a table cell"


def test_corpus_fits_in_three_megabytes() -> None:
    assert sum(path.stat().st_size for path in corpus_dir().iterdir()) < 3_000_000


def test_write_evaluation_set_pairs_each_document_with_one_gold_file(tmp_path: Path) -> None:
    docs, gold = write_evaluation_set(tmp_path)
    assert sorted(p.name for p in docs.iterdir()) == sorted(d.name for d in DOCUMENTS)
    for document in docs.iterdir():
        stem = document.name.removesuffix(document.suffix)
        assert len(list(docs.glob(stem + ".*"))) == 1
        assert (gold / f"{stem}.json").read_bytes() == expected_path(
            corpus_dir() / document.name
        ).read_bytes()


def _read_path() -> Any:
    try:
        from medpolicy.read import read_path
    except ImportError:
        pytest.skip("medpolicy.read.read_path is not importable yet")
    return read_path


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_document_reads_and_shows_its_listed_codes(document: Path) -> None:
    result = _read_path()(document)
    text = result.text.text
    assert text.strip()
    flat = " ".join(text.split())
    facts = FACTS[document.name]
    if facts["policy_number"]:
        assert facts["policy_number"] in flat
    missing = [c["code"] for c in facts["codes"] if c["code"] not in text]
    assert not missing, f"listed codes missing from the read text: {missing}"
