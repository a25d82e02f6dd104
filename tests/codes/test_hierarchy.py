"""ICD-10-CM hierarchy, offline descriptions and the modifier catalog."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medpolicy.codes import (
    CodeError,
    ancestors,
    children,
    describe_offline,
    is_billable,
    is_descendant,
    modifier,
    modifiers_for,
    parent,
)
from medpolicy.codes.icd10cm import codes_in_order, position, span


def test_parent_children_and_ancestors() -> None:
    assert parent("C34.90") == "C34.9"
    assert parent("C3490") == "C34.9"
    assert parent("C34") is None
    assert children("C34") == ["C34.0", "C34.1", "C34.2", "C34.3", "C34.8", "C34.9"]
    assert children("C34.90") == []
    assert ancestors("C34.90") == ["C34.9", "C34"]
    assert ancestors("S72.001A") == ["S72.001", "S72.00", "S72.0", "S72"]


def test_billable_means_no_children() -> None:
    assert is_billable("C34.90")
    assert not is_billable("C34")
    assert is_billable("S72.001A")
    assert not is_billable("S72.001")


def test_descendants() -> None:
    assert is_descendant("C34.90", "C34")
    assert is_descendant("C34.90", "C34.9")
    assert not is_descendant("C34", "C34")
    assert not is_descendant("C34.90", "C33")


def test_hierarchy_refuses_codes_outside_the_code_set() -> None:
    with pytest.raises(CodeError, match=r"C34\.99"):
        parent("C34.99")


def test_a_one_category_block_sharing_its_name_is_not_its_parent() -> None:
    # The tabular list has a block named B10 holding only category B10.
    assert parent("B10") is None
    assert children("B10") == ["B10.0", "B10.8"]


@given(st.sampled_from(codes_in_order()))
def test_a_code_spans_its_descendants(code: str) -> None:
    first, last = span(code)
    assert position(code) <= first <= last
    assert is_billable(codes_in_order()[first])
    for child in children(code):
        assert parent(child) == code
        assert first <= span(child)[0] and span(child)[1] <= last


def test_describe_icd10cm() -> None:
    info = describe_offline("c3490")
    assert (info.system, info.code, info.valid, info.billable) == ("ICD-10-CM", "C34.90", True, True)
    assert (
        info.descriptions[0].text == "Malignant neoplasm of unspecified part of unspecified bronchus or lung"
    )
    assert info.descriptions[0].source == "ICD-10-CM FY2026 (simple-icd-10-cm)"
    assert info.parent == "C34.9"
    assert info.chapter == "Chapter 2: Neoplasms (C00-D49)"
    assert info.category == "ICD-10-CM billable code"


def test_describe_icd10cm_category() -> None:
    info = describe_offline("C34")
    assert info.billable is False
    assert info.category == "ICD-10-CM category (not billable)"
    assert len(info.children) == 6


def test_describe_icd10cm_code_outside_the_set_when_the_system_is_given() -> None:
    info = describe_offline("C34.99", system="ICD-10-CM")
    assert info.valid is False
    assert info.descriptions == []


def test_describe_pcs() -> None:
    info = describe_offline("0dtj4zz")
    assert info.system == "ICD-10-PCS" and info.valid and info.billable
    assert info.descriptions[0].text == "Resection of Appendix, Percutaneous Endoscopic Approach"
    assert info.descriptions[0].source.startswith("ICD-10-PCS")
    assert info.chapter == "Section 0: Medical and Surgical"


def test_describe_icd9() -> None:
    info = describe_offline("250.00")
    assert info.system == "ICD-9-CM"
    assert info.descriptions[0].text.startswith("Diabetes mellitus without mention of complication")
    assert info.parent == "250.0"
    category = describe_offline("250", system="ICD-9-CM")
    assert category.valid and category.billable is False
    assert "250.0" in category.children
    assert (
        category.chapter == "Endocrine, Nutritional and Metabolic Diseases, and Immunity Disorders (240-279)"
    )
    procedure = describe_offline("00.10")
    assert procedure.category == "ICD-9-CM procedure code"
    assert procedure.chapter == "Procedures and Interventions, Not Elsewhere Classified (00)"


@pytest.mark.parametrize(
    ("code", "category", "chapter"),
    [
        ("86357", "CPT Category I", "Pathology and Laboratory"),
        ("99213", "CPT Category I", "Evaluation and Management"),
        ("0537T", "CPT Category III", "Emerging technology, services and procedures"),
        ("3008F", "CPT Category II", "Performance measurement"),
        ("0001U", "CPT PLA (Proprietary Laboratory Analyses)", "Proprietary laboratory analyses"),
    ],
)
def test_describe_cpt_has_no_descriptions_offline(code: str, category: str, chapter: str) -> None:
    info = describe_offline(code)
    assert (info.system, info.valid, info.category, info.chapter) == ("CPT", None, category, chapter)
    assert info.descriptions == []


def test_describe_hcpcs_names_its_letter_section() -> None:
    info = describe_offline("J9035")
    assert info.category == "HCPCS Level II (J: drugs administered other than oral)"
    assert info.valid is None


def test_modifier_catalog_is_complete_and_well_formed() -> None:
    raw = resources.files("medpolicy").joinpath("data/modifiers.json").read_text(encoding="utf-8")
    entries = json.loads(raw)["modifiers"]
    assert len(entries) >= 40
    assert len({e["code"] for e in entries}) == len(entries)
    cpt = ["22", "24", "25", "26", "27", "33", "50", "51", "52", "53", "57", "58", "59", "62"]
    cpt += ["76", "77", "78", "79", "80", "82", "90", "91", "95"]
    hcpcs = ["TC", "XE", "XS", "XP", "XU", "QW", "GA", "GX", "GY", "GZ", "KX", "JW", "JZ", "LT", "RT"]
    hcpcs += ["GT", "GQ", "Q5", "Q6", "SA", "SB", "QX", "QY", "QZ", "CR", "FY", "JG", "TB", "PO", "PN", "ER"]
    required = cpt + hcpcs
    for code in required:
        found = modifier(code)
        assert found is not None, code
        assert found.meaning and found.when


def test_modifier_lookup() -> None:
    found = modifier(" qw ")
    assert found is not None and found.system == "HCPCS"
    assert modifier("ZZ") is None


@pytest.mark.parametrize(
    ("system", "code", "expected", "absent"),
    [
        ("CPT", "86357", {"90", "91", "QW", "59", "XU", "GA", "GZ"}, {"26"}),
        ("CPT", "71046", {"26", "TC", "LT", "RT"}, {"90"}),
        ("CPT", "27447", {"50", "51", "59", "LT", "RT", "78", "79", "80", "82"}, {"QW"}),
        ("CPT", "99214", {"24", "25", "57", "95"}, {"TC"}),
        ("HCPCS", "J9035", {"JW", "JZ", "JG", "TB"}, {"RR"}),
        ("HCPCS", "E0601", {"KX", "GA", "GY", "GZ", "RR", "NU", "UE"}, {"JW"}),
        ("HCPCS", "L3000", {"KX", "LT", "RT"}, set()),
    ],
)
def test_modifiers_for_code_families(system: str, code: str, expected: set[str], absent: set[str]) -> None:
    codes = [m.code for m in modifiers_for(system, code)]
    assert expected <= set(codes)
    assert not absent & set(codes)
    assert len(codes) == len(set(codes))


def test_diagnoses_have_no_modifiers() -> None:
    assert modifiers_for("ICD-10-CM", "C34.90") == []
