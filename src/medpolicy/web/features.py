"""Optional parts of medpolicy the web app uses when they are installed: reports, questions, claim checks.

Each is looked up when used, so the app offers a feature as soon as its module provides it,
and answers 501 (API) or hides the link (pages) while it does not.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from medpolicy.web.errors import ApiError

REPORT = ("medpolicy.report", "code_report", "reports")
ASK = ("medpolicy.ask", "ask", "questions")
CHECK = ("medpolicy.check", "check_claims", "claim checks")

Feature = tuple[str, str, str]


def find(feature: Feature, name: str | None = None) -> Callable[..., Any] | None:
    """`feature`'s function `name` (default: its entry point), or None when not installed."""
    module_name, entry_point, _ = feature
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        return None
    if not callable(getattr(module, entry_point, None)):
        return None
    found = getattr(module, name or entry_point, None)
    return found if callable(found) else None


def available(feature: Feature) -> bool:
    return find(feature) is not None


def require(feature: Feature, name: str | None = None) -> Callable[..., Any]:
    """`feature`'s function, or an ApiError 501 saying this installation lacks it."""
    found = find(feature, name)
    if found is None:
        module_name, entry_point, label = feature
        raise ApiError(
            501,
            f"{label} are not available in this installation of medpolicy",
            f"{module_name}.{name or entry_point} is not installed",
        )
    return found
