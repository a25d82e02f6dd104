"""CMS's real tables (first records of a late-2025 download), read from the shared corpus when present."""

from __future__ import annotations

from pathlib import Path

from medpolicy.api import Store
from medpolicy.mcd import import_mcd, load_documents


def test_real_tables_compose_into_documents_whose_spans_hold(sample: Path) -> None:
    documents = {d.source.path: d for d in load_documents(sample)}
    assert "mcd:lcd/L33312" in documents
    for document in documents.values():
        text = document.text.text
        assert "<p>" not in text and "&#" not in text and "&nbsp;" not in text
        for code in document.extraction.codes:
            assert all(text[s:e] == code.code for s, e in code.spans)
        for position in document.extraction.coverage:
            assert text[position.spans[0][0] : position.spans[0][1]] == position.statement
    lcd = documents["mcd:lcd/L33312"]
    assert {c.code for c in lcd.extraction.codes} >= {"A9900", "E2601", "K0669"}
    assert "HCPCS MODIFIERS:" in lcd.text.text
    sad = documents["mcd:article/A52527"].text.text
    assert "Kesimpta® (ofatumumab)" in sad  # a Windows-1252 byte in an otherwise UTF-8 file
    assert "use modifier “JA”" in sad


def test_real_sample_import_finds_lcd_33312_for_a9900_and_is_idempotent(sample: Path, store: Store) -> None:
    first = import_mcd(store, sample)
    assert first.new == first.lcds + first.articles > 0
    assert "L33312" in {p.policy_number for p in store.code("A9900").policies}
    again = import_mcd(store, sample)
    assert again.unchanged == len(again.items) == len(first.items)
