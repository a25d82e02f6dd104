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


def status_class(status: str | None) -> str:
    """A CSS class name for a status badge."""
    return "status-" + (status or NOT_STATED).replace("_", "-").replace(" ", "-")


def status_rank(status: str | None) -> int:
    key = status or NOT_STATED
    return STATUS_ORDER.index(key) if key in STATUS_ORDER else len(STATUS_ORDER)


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
