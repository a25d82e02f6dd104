"""The extractor on arbitrary text: it never fails, and every span it reports lies in the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.extract import extract
from medpolicy.model import STATUSES

# Text made of the pieces policies are made of, shuffled: headings, labels, codes, dates, prose.
PIECES = st.sampled_from(
    [
        "Policy\n",
        "Coding\n",
        "References\n",
        "History\n",
        "Related Policies\n",
        "Description\n",
        "Effective Date: 01/02/2025\n",
        "Policy Number: MP-1\n",
        "CPT\n",
        "86357\tA test\n",
        "C34.90 - C34.92\n",
        "J9035 Injection\n",
        "is considered investigational.\n",
        "is medically necessary when:\n",
        "1. Smith J. A study. J Med. 2020;1(2):3-4. PMID 12345678\n",
        "05/19/98 Replace policy.\n",
        "\f\n",
        "-- 2 of 9 --\n",
        "| 0537T | Cell therapy |\n",
        "Considered Not Covered when used to report:\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=40).map("".join))
def test_any_text_extracts_with_spans_inside_it(text: str) -> None:
    ex = extract(text)
    spans = [s for c in ex.codes for s in c.spans] + [s for p in ex.coverage for s in p.spans]
    spans += [s for r in ex.code_ranges for s in r.spans] + [s for sec in ex.sections for s in sec.spans]
    for start, end in spans:
        assert 0 <= start <= end <= len(text)
    assert all(p.status in STATUSES for p in ex.coverage)
    assert all(c.role in ("listed", "mentioned") for c in ex.codes)
    assert len({(c.system, c.code) for c in ex.codes}) == len(ex.codes)
    assert all(c.coverage is None for c in ex.codes if c.role == "mentioned")
