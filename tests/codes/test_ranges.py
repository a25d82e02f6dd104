"""Code ranges: parsing the ways documents write them, membership and expansion per system."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from medpolicy.codes import (
    CodeError,
    CodeRangeSpec,
    code_order_span,
    expand_range,
    in_range,
    is_billable,
    parse_range,
    range_order_span,
)
from medpolicy.codes.icd10cm import codes_in_order, position

cpt_numbers = st.integers(min_value=0, max_value=99999)
billable_icd10cm = st.sampled_from([c for c in codes_in_order() if is_billable(c)])


@pytest.mark.parametrize(
    "text",
    [
        "86355-86357",
        "86355 - 86357",
        "86355–86357",
        "86355—86357",
        "86355 to 86357",
        "86355 through 86357",
        "86355 THRU 86357",
    ],
)
def test_separators(text: str) -> None:
    assert parse_range(text) == CodeRangeSpec("CPT", "86355", "86357")


@given(cpt_numbers, cpt_numbers, cpt_numbers)
def test_cpt_membership_is_integer_comparison(a: int, b: int, x: int) -> None:
    low, high = min(a, b), max(a, b)
    rng = parse_range(f"{low:05d}-{high:05d}")
    assert in_range(f"{x:05d}", rng) == (low <= x <= high)


@given(cpt_numbers, cpt_numbers)
def test_cpt_endpoints_are_in_their_range(a: int, b: int) -> None:
    low, high = sorted((a, b))
    rng = parse_range(f"{low:05d} through {high:05d}")
    assert in_range(rng.start, rng)
    assert in_range(rng.end, rng)


@settings(max_examples=200)
@given(billable_icd10cm, billable_icd10cm)
def test_icd10cm_endpoints_are_in_their_range(first: str, second: str) -> None:
    start, end = sorted((first, second), key=position)
    rng = parse_range(f"{start}–{end}")
    assert rng == CodeRangeSpec("ICD-10-CM", start, end)
    assert in_range(start, rng)
    assert in_range(end, rng)


@settings(max_examples=100)
@given(billable_icd10cm, billable_icd10cm, billable_icd10cm)
def test_icd10cm_membership_follows_tabular_order(first: str, second: str, code: str) -> None:
    start, end = sorted((first, second), key=position)
    rng = CodeRangeSpec("ICD-10-CM", start, end)
    assert in_range(code, rng) == (position(start) <= position(code) <= position(end))


@settings(max_examples=200)
@given(st.text(max_size=25))
def test_any_text_is_a_range_or_a_clear_error(text: str) -> None:
    try:
        rng = parse_range(text)
    except CodeError:
        return
    assert in_range(rng.end, rng)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("C81.00–C96.9", ["C83.30", "C96", "C96.Z", "C96.9", "C81", "C81.00"], ["C80.1", "D00.0", "C80"]),
        ("C18.0-C18.9", ["C18.4", "C18"], ["C19", "C17.9"]),
        ("C33-C34.92", ["C34.12", "C33", "C34", "C34.9", "C34.92"], ["C37", "C32.9"]),
        ("C43.0-C44.99", ["C4A.0"], ["C45.0"]),
        ("86355-86357", ["86356"], ["86358", "8635", "0535T"]),
        ("0500T-0600T", ["0537T"], ["00537", "0537U"]),
        ("J9000 thru J9999", ["J9035"], ["J8999", "Q9035", "C9035"]),
        ("0DTJ0ZZ-0DTJ8ZZ", ["0DTJ4ZZ"], ["0DTK0ZZ"]),
    ],
)
def test_membership(text: str, inside: list[str], outside: list[str]) -> None:
    rng = parse_range(text)
    for code in inside:
        assert in_range(code, rng), code
    for code in outside:
        assert not in_range(code, rng), code


def test_a_category_is_inside_only_when_all_of_it_is() -> None:
    rng = parse_range("C34.10-C34.92")
    assert in_range("C34.1", rng)
    assert not in_range("C34", rng)
    assert not in_range("C34.0", rng)


def test_an_end_that_is_no_longer_a_code_still_bounds_the_range() -> None:
    rng = parse_range("C96.Z9-C96.9", system="ICD-10-CM")
    assert in_range("C96.9", rng)
    assert not in_range("C96.6", rng)


def test_icd9_ranges_stay_within_their_volume() -> None:
    rng = parse_range("250.00-250.93", system="ICD-9-CM")
    assert in_range("250.41", rng)
    assert in_range("25041", rng)
    assert not in_range("251.0", rng)
    assert not in_range("25.04", rng)
    with pytest.raises(CodeError, match="diagnosis"):
        parse_range("250.00-25.04", system="ICD-9-CM")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("86357-86355", "ends before it starts"),
        ("C96.9-C81.00", "ends before it starts"),
        ("86355-0537T", "different CPT categories"),
        ("J9000-Q9999", "different letters"),
        ("86355-C34.90", "different systems"),
        ("86355", "not a code range"),
        ("hello-world", "not a code"),
    ],
)
def test_bad_ranges_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(CodeError, match=message):
        parse_range(text)


def test_letter_and_four_digit_ranges_read_as_hcpcs() -> None:
    # Documents write ICD-10-CM with its dot, so J1000-J1100 is a HCPCS range even though both ends are
    # also dotless ICD-10-CM codes.
    assert parse_range("J1000-J1100").system == "HCPCS"
    assert parse_range("J10.00-J11.00").system == "ICD-10-CM"


def test_expand_cpt_and_hcpcs_numbers() -> None:
    assert expand_range(parse_range("86355-86357")) == ["86355", "86356", "86357"]
    assert expand_range(parse_range("0598T-0600T")) == ["0598T", "0599T", "0600T"]
    assert expand_range(parse_range("J0120-J0122")) == ["J0120", "J0121", "J0122"]


def test_expand_icd10cm_follows_the_code_set_including_descendants_of_the_end() -> None:
    codes = expand_range(parse_range("C33-C34.12"))
    assert codes == ["C33", "C34.0", "C34.00", "C34.01", "C34.02", "C34.1", "C34.10", "C34.11", "C34.12"]
    whole = expand_range(parse_range("C81.00-C96.9"))
    assert whole[0] == "C81" and whole[-1] == "C96.9"
    assert "C96.Z" in whole and "C83.30" in whole
    assert all(in_range(code, parse_range("C81.00-C96.9")) for code in whole)


def test_expand_icd10cm_end_category_brings_its_descendants() -> None:
    codes = expand_range(parse_range("C18.9-C19"))
    assert codes == ["C18.9", "C19"]
    assert expand_range(parse_range("C19-C20"))[-1] == "C20"
    assert "S72.001A" in expand_range(parse_range("S72.0-S72.001"))


def test_expand_pcs_and_icd9_use_their_tables() -> None:
    assert expand_range(parse_range("0DTJ0ZZ-0DTJ8ZZ")) == ["0DTJ0ZZ", "0DTJ4ZZ", "0DTJ7ZZ", "0DTJ8ZZ"]
    assert expand_range(parse_range("401-401.9", system="ICD-9-CM")) == ["401", "401.0", "401.1", "401.9"]


def test_expansion_beyond_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="more than the limit"):
        expand_range(parse_range("10000-69999"))
    with pytest.raises(ValueError, match="more than the limit of 5"):
        expand_range(parse_range("C81.00-C96.9"), limit=5)


@given(cpt_numbers, st.integers(min_value=0, max_value=50))
def test_cpt_expansion_matches_membership(start: int, width: int) -> None:
    end = start + width
    assume(end <= 99999)
    rng = parse_range(f"{start:05d}-{end:05d}")
    codes = expand_range(rng)
    assert len(codes) == width + 1
    assert all(in_range(code, rng) for code in codes)


# Order spans: a store filters ranges on them, so they must never leave out a code the range holds.

any_icd10cm = st.sampled_from(codes_in_order())
cpt_like = st.one_of(
    cpt_numbers.map(lambda n: f"{n:05d}"),
    st.integers(min_value=1, max_value=999).map(lambda n: f"{n:04d}T"),
    st.integers(min_value=1, max_value=999).map(lambda n: f"{n:04d}U"),
)
hcpcs_like = st.builds(
    lambda letter, n: f"{letter}{n:04d}", st.sampled_from("AEGJKLQ"), st.integers(min_value=0, max_value=9999)
)


def _within(span: tuple[int, int] | None, bounds: tuple[int, int] | None) -> bool:
    return span is not None and bounds is not None and bounds[0] <= span[0] and span[1] <= bounds[1]


@given(any_icd10cm, any_icd10cm, any_icd10cm)
def test_icd10cm_order_spans_agree_with_membership(first: str, second: str, code: str) -> None:
    start, end = sorted((first, second), key=position)
    rng = CodeRangeSpec("ICD-10-CM", start, end)
    assert in_range(code, rng) == _within(code_order_span("ICD-10-CM", code), range_order_span(rng))


@given(st.one_of(cpt_like, hcpcs_like), st.one_of(cpt_like, hcpcs_like), st.one_of(cpt_like, hcpcs_like))
def test_number_order_spans_never_leave_out_a_member(first: str, second: str, code: str) -> None:
    for system in ("CPT", "HCPCS"):
        rng = CodeRangeSpec(system, min(first, second), max(first, second))
        try:
            inside = in_range(code, rng)
        except ValueError:  # ends that are not codes of the system hold nothing
            continue
        if inside:
            assert _within(code_order_span(system, code), range_order_span(rng))


def test_order_spans_of_codes_and_ranges() -> None:
    assert (
        code_order_span("CPT", "86357") == code_order_span("CPT", "86357 ") != code_order_span("CPT", "0537T")
    )
    assert _within(code_order_span("CPT", "0538T"), range_order_span(CodeRangeSpec("CPT", "0537T", "0540T")))
    assert not _within(
        code_order_span("CPT", "86357"), range_order_span(CodeRangeSpec("CPT", "86355", "86356"))
    )
    # a category is inside a range only when all of it is
    lung = range_order_span(CodeRangeSpec("ICD-10-CM", "C33", "C34.92"))
    assert _within(code_order_span("ICD-10-CM", "C34.1"), lung)
    assert not _within(
        code_order_span("ICD-10-CM", "C34"), range_order_span(CodeRangeSpec("ICD-10-CM", "C34.0", "C34.12"))
    )
    assert code_order_span("ICD-10-PCS", "0016070") is None
