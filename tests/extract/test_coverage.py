"""Coverage positions: the payer's wording mapped onto the status vocabulary, with criteria."""

from __future__ import annotations

import pytest

from medpolicy.extract import extract
from medpolicy.extract.status import classify_status


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            "Measurement of NK cells is considered experimental, investigational and unproven for any indication.",
            "investigational",
        ),
        ("Widget therapy is unproven and not medically necessary for all indications.", "investigational"),
        ("Gadget therapy is investigational and not medically necessary.", "investigational"),
        (
            "Bariatric surgery is considered medically necessary when all of the following criteria are met:",
            "medically_necessary",
        ),
        (
            "Initiation of the drug meets the definition of medical necessity when criteria are met:",
            "medically_necessary",
        ),
        ("Acupuncture for any other condition is not reasonable and necessary.", "not_medically_necessary"),
        ("Repeat testing is considered not medically necessary.", "not_medically_necessary"),
        (
            "All types of acupuncture for any condition other than cLBP are non-covered by Medicare.",
            "not_covered",
        ),
        ("The plan will not consider reimbursement of the following procedure codes.", "not_covered"),
        (
            "The plan will not consider reimbursement for this test when billed for any condition other than those "
            "listed below.",
            "medically_necessary",
        ),
        (
            "Members may be eligible under the Plan for home sleep testing when criteria are met.",
            "medically_necessary",
        ),
        ("Rhinoplasty for appearance alone is considered cosmetic.", "cosmetic"),
        ("CMS will cover acupuncture for chronic low back pain.", "medically_necessary"),
        ("The literature on this topic is growing.", None),
    ],
)
def test_wording_maps_onto_the_vocabulary(sentence: str, status: str | None) -> None:
    assert classify_status(sentence) == status


def test_criteria_are_the_items_under_a_statement() -> None:
    text = (
        "Policy\n"
        "Widget therapy is considered medically necessary when ALL of the following are met:\n"
        "1. The member has a confirmed diagnosis of widget disease.\n"
        "2. The member is 18 years or older.\n"
        "Widget therapy is considered investigational for all other indications.\n"
    )
    positions = extract(text).coverage
    assert [p.status for p in positions] == ["medically_necessary", "investigational"]
    assert positions[0].criteria == [
        "The member has a confirmed diagnosis of widget disease.",
        "The member is 18 years or older.",
    ]
    assert positions[0].applies_to == "Widget therapy"
    start, end = positions[1].spans[0]
    assert text[start:end].startswith("Widget therapy is considered investigational")


def test_disclaimers_state_no_position() -> None:
    text = (
        "Sample Health Plan Medical Policy\n"
        "Each benefit plan or contract defines which services are covered, which are excluded.\n"
        "The presence or absence of a code does not imply that the service is covered or non-covered.\n"
        "Policy\n"
        "Gadget testing is considered investigational.\n"
    )
    assert [p.status for p in extract(text).coverage] == ["investigational"]


def test_history_and_evidence_state_no_current_position() -> None:
    text = (
        "Policy\nGizmo implants are considered medically necessary for severe disease.\n"
        "Rationale\nEarlier trials found gizmo implants investigational in mild disease.\n"
        "History\n01/01/2020 Policy statement changed: gizmo implants no longer investigational.\n"
    )
    assert [p.status for p in extract(text).coverage] == ["medically_necessary"]
