"""The extractor on our own labelled corpus: payer layouts in PDF, HTML, DOCX and text.

Each demo document sits beside NAME.expected.json, written with the document. The
figures asserted here are floors for the corpus as a whole and per field, so a rule
that helps one layout and breaks another shows up.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from medpolicy.demo import list_documents
from medpolicy.extract import extract
from medpolicy.read import read_path

STATUS_ALIASES = {"covered": "medically_necessary", "conditional": "medically_necessary"}


def _f1(pred: set[object], gold: set[object]) -> float:
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    if not tp:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def _code_key(system: str | None, code: str) -> tuple[str, str]:
    s = (system or "").upper()
    s = "CPT" if s in {"PLA", "CPT-PLA"} else s
    c = code.upper()
    return s, c.replace(".", "") if s.startswith("ICD") else c


def _tokens(s: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (s or "").lower())) - {"of", "the", "and", "inc", "health", "plan"}


def _similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and len(ta & tb) / max(len(ta), len(tb)) >= 0.6


def _score(doc: Path) -> dict[str, float]:
    gold = json.loads(doc.with_name(doc.stem + ".expected.json").read_text(encoding="utf-8"))
    ex = extract(read_path(doc).text)
    listed = {_code_key(c.system, c.code) for c in ex.codes if c.role == "listed"}
    gold_codes = {_code_key(c.get("system"), c["code"]) for c in gold.get("codes", [])}
    statuses = {STATUS_ALIASES.get(p.status, p.status) for p in ex.coverage}
    gold_statuses = {STATUS_ALIASES.get(c["status"], c["status"]) for c in gold.get("coverage", [])}
    gd = gold.get("dates") or {}
    asked = [
        k
        for k in ("effective", "last_revised", "original_effective", "published", "next_review")
        if gd.get(k) or getattr(ex.dates, k)
    ]
    return {
        "codes": _f1(listed, gold_codes),
        "coverage": _f1(statuses, gold_statuses),
        "dates": sum(gd.get(k) == getattr(ex.dates, k) for k in asked) / len(asked) if asked else 1.0,
        "policy_number": float((gold.get("policy_number") or "").upper() == (ex.policy_number or "").upper()),
        "title": float(_similar(gold.get("title"), ex.title)),
        "doc_type": float(gold.get("doc_type") == ex.doc_type),
    }


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    docs = [d for d in list_documents() if d.with_name(d.stem + ".expected.json").exists()]
    assert len(docs) >= 30
    return {d.name: _score(d) for d in docs}


def test_every_format_is_in_the_corpus() -> None:
    assert {d.suffix for d in list_documents()} >= {".pdf", ".html", ".docx", ".txt"}


FLOORS = {"codes": 0.95, "coverage": 0.9, "dates": 0.9, "policy_number": 0.9, "title": 0.9, "doc_type": 0.95}


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_accuracy_over_the_corpus(scores: dict[str, dict[str, float]], field: str) -> None:
    mean = sum(s[field] for s in scores.values()) / len(scores)
    worst = sorted(scores.items(), key=lambda kv: kv[1][field])[:3]
    assert mean >= FLOORS[field], f"{field}: {mean:.3f}; worst {[(n, round(s[field], 2)) for n, s in worst]}"


def test_every_format_reads_well(scores: dict[str, dict[str, float]]) -> None:
    by_format: dict[str, list[float]] = defaultdict(list)
    for name, s in scores.items():
        by_format[Path(name).suffix].append(sum(s.values()) / len(s))
    for fmt, values in by_format.items():
        assert sum(values) / len(values) >= 0.85, (fmt, values)
