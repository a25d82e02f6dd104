"""The words people read for medpolicy's vocabularies: statuses and document types.

Reports, web pages and the CLI show the same label for the same value.
"""

from __future__ import annotations

from medpolicy.query.results import MIXED, NO_DATA, NO_POLICY, NOT_STATED

STATUS_LABELS: dict[str, str] = {
    "medically_necessary": "Medically necessary",
    "investigational": "Investigational",
    "not_medically_necessary": "Not medically necessary",
    "not_covered": "Not covered",
    "cosmetic": "Cosmetic",
    MIXED: "Mixed",
    NOT_STATED: "Not stated",
    NO_POLICY: "No policy found",
    NO_DATA: "Data not available",
}

DOC_TYPE_LABELS: dict[str, str] = {
    "medical_policy": "Medical policy",
    "clinical_policy_bulletin": "Clinical policy bulletin",
    "lcd": "Local coverage determination",
    "ncd": "National coverage determination",
    "billing_article": "Billing and coding article",
    "code_page": "Code page",
    "coverage_summary": "Coverage summary",
    "other": "Other document",
}


def status_label(status: str | None) -> str:
    """ "investigational" → "Investigational"; None → "Not stated"."""
    key = status or NOT_STATED
    return STATUS_LABELS.get(key, key.replace("_", " ").capitalize())


def doc_type_label(doc_type: str | None) -> str:
    key = doc_type or "other"
    return DOC_TYPE_LABELS.get(key, key.replace("_", " ").capitalize())
