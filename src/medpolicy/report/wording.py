"""How reports word statuses, counts and lists (shared by the builders and the templates)."""

from __future__ import annotations

from collections.abc import Sequence

from medpolicy.query.results import MIXED, NO_DATA, NO_POLICY, NOT_STATED

STATUS_ORDER: tuple[str, ...] = (
    "medically_necessary",
    "investigational",
    "not_medically_necessary",
    "not_covered",
    "cosmetic",
    MIXED,
    NOT_STATED,
    NO_POLICY,
    NO_DATA,
)

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


def status_class(status: str | None) -> str:
    """A CSS class name for a status badge."""
    return "status-" + (status or NOT_STATED).replace("_", "-").replace(" ", "-")


def status_rank(status: str | None) -> int:
    key = status or NOT_STATED
    return STATUS_ORDER.index(key) if key in STATUS_ORDER else len(STATUS_ORDER)


def doc_type_label(doc_type: str) -> str:
    return DOC_TYPE_LABELS.get(doc_type, doc_type.replace("_", " ").capitalize())


def plural(count: int, singular: str, many: str | None = None) -> str:
    """ "1 payer", "3 payers"."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def shorten(text: str | None, limit: int = 160) -> str:
    """`text` on one line, cut at a word boundary with "…" when longer than `limit`."""
    if not text:
        return ""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(",;:") + "…"
