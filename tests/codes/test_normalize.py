"""normalize / readings / validate: from what a person types to (system, canonical code)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medpolicy.codes import CodeError, normalize, readings, system_name, validate
from medpolicy.codes.icd10cm import codes_in_order
from medpolicy.codes.normalize import SYSTEMS
from medpolicy.codes.systems import classify

icd10cm_codes = st.sampled_from(codes_in_order())


@given(icd10cm_codes)
def test_every_icd10cm_code_round_trips_with_and_without_its_dot(code: str) -> None:
    assert normalize(code) == ("ICD-10-CM", code)
    assert normalize(code.replace(".", "")) == ("ICD-10-CM", code)
    assert normalize(f"  {code.lower()} ") == ("ICD-10-CM", code)


@given(st.from_regex(r"\A\d{5}\Z"))
def test_five_digit_strings_are_cpt_category_i(text: str) -> None:
    assert normalize(text) == ("CPT", text)
    assert classify(text) == "CPT"
    assert validate("CPT", text) is None


@given(st.from_regex(r"\A\d{4}[FTU]\Z"))
def test_four_digits_and_a_letter_are_cpt(text: str) -> None:
    assert normalize(text.lower()) == ("CPT", text)


@settings(max_examples=300)
@given(st.text(max_size=12))
def test_any_string_is_a_code_or_a_clear_error(text: str) -> None:
    try:
        system, code = normalize(text)
    except CodeError as exc:
        assert str(exc)
    else:
        assert system in SYSTEMS
        assert code == code.strip().upper()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("c3490", ("ICD-10-CM", "C34.90")),
        ("C34.90", ("ICD-10-CM", "C34.90")),
        ("0dtj4zz", ("ICD-10-PCS", "0DTJ4ZZ")),
        ("86357", ("CPT", "86357")),
        ("0537t", ("CPT", "0537T")),
        ("S2107", ("HCPCS", "S2107")),
        ("j9035", ("HCPCS", "J9035")),
        ("D0120", ("CDT", "D0120")),
        ("U07.1", ("ICD-10-CM", "U07.1")),
        ("S72001A", ("ICD-10-CM", "S72.001A")),
        ("250.00", ("ICD-9-CM", "250.00")),
        ("00.10", ("ICD-9-CM", "00.10")),
    ],
)
def test_normalize_reads_the_likely_system(raw: str, expected: tuple[str, str]) -> None:
    assert normalize(raw) == expected


def test_dotless_icd10cm_needs_to_be_in_the_code_set() -> None:
    # C34.99 does not exist, so C3499 is only a HCPCS-shaped string.
    assert normalize("C3499") == ("HCPCS", "C3499")
    with pytest.raises(CodeError, match="C349X"):
        normalize("C349X")


def test_a_hcpcs_code_that_is_also_dotless_icd10cm_lists_both_readings() -> None:
    assert readings("J1100") == [("ICD-10-CM", "J11.00"), ("HCPCS", "J1100")]
    assert normalize("J1100", system="HCPCS") == ("HCPCS", "J1100")


def test_icd9_needs_the_hint_for_v_and_e_codes() -> None:
    assert normalize("V10.3") == ("ICD-10-CM", "V10.3")
    assert normalize("V10.3", system="icd9") == ("ICD-9-CM", "V10.3")
    assert normalize("E8490", system="ICD-9-CM") == ("ICD-9-CM", "E849.0")
    assert normalize("25000", system="ICD-9-CM") == ("ICD-9-CM", "250.00")
    with pytest.raises(CodeError):
        normalize("E849.0")


def test_dotless_icd9_prefers_a_diagnosis_then_a_procedure() -> None:
    assert normalize("4019", system="ICD-9-CM") == ("ICD-9-CM", "401.9")
    assert normalize("0010", system="ICD-9-CM") == ("ICD-9-CM", "001.0")
    assert normalize("0001", system="ICD-9-CM") == ("ICD-9-CM", "00.01")  # 000.1 is no diagnosis


def test_with_a_system_only_the_shape_matters() -> None:
    assert normalize("C34.99", system="ICD-10-CM") == ("ICD-10-CM", "C34.99")
    assert validate("ICD-10-CM", "C34.99") is False
    with pytest.raises(CodeError, match="not a well-formed CPT code"):
        normalize("8635", system="CPT")


def test_cpt_asked_for_as_hcpcs_is_reported_as_cpt() -> None:
    assert normalize("86357", system="HCPCS") == ("CPT", "86357")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12345-6789-01", "12345-6789-01"), ("1234-5678-90", "01234-5678-90"), ("12345678901", "12345-6789-01")],
)
def test_ndc_is_written_in_the_eleven_digit_form(raw: str, expected: str) -> None:
    assert normalize(raw, system="NDC") == ("NDC", expected)


def test_revenue_codes_are_four_digits() -> None:
    assert normalize("360", system="rev") == ("REV", "0360")


@pytest.mark.parametrize("raw", ["", "   ", "hello", "12", "1234567", "C34.9.0"])
def test_strings_that_are_no_code_raise_a_value_error(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize(raw)


def test_unknown_system_names_are_refused() -> None:
    with pytest.raises(CodeError, match="unknown code system"):
        system_name("SNOMED")


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        ("ICD-10-CM", "C34.90", True),
        ("ICD-10-CM", "C3490", True),
        ("ICD-10-CM", "C34.99", False),
        ("ICD-10-PCS", "0DTJ4ZZ", True),
        ("ICD-10-PCS", "0DTJ4ZY", False),
        ("ICD-9-CM", "250.00", True),
        ("ICD-9-CM", "250", True),
        ("ICD-9-CM", "250.99", False),
        ("CPT", "86357", None),
        ("CPT", "8635", False),
        ("HCPCS", "J9035", None),
        ("HCPCS", "99999X", False),
    ],
)
def test_validate(system: str, code: str, expected: bool | None) -> None:
    assert validate(system, code) is expected
