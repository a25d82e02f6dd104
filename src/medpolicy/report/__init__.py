"""Reports people can hand on: per code, per policy, and codes × payers, as Markdown, HTML, PDF or JSON.

    >>> import medpolicy
    >>> from medpolicy.report import code_report, render
    >>> with medpolicy.open("policies.db") as store:                  # doctest: +SKIP
    ...     pdf = render(code_report(store, "86357"), "pdf")

Every statement in a report comes from a stored document and cites it (policy, version,
section, page, character span); where the store holds nothing, the report says
"Data not available".
"""

from medpolicy.report.code_report import code_report
from medpolicy.report.comparison import comparison_report
from medpolicy.report.model import (
    NOT_AVAILABLE,
    Citation,
    CodeReport,
    ComparisonReport,
    PolicyReport,
    Report,
)
from medpolicy.report.policy_report import policy_report
from medpolicy.report.render import FORMATS, UnknownFormat, render, render_all

__all__ = [
    "FORMATS",
    "NOT_AVAILABLE",
    "Citation",
    "CodeReport",
    "ComparisonReport",
    "PolicyReport",
    "Report",
    "UnknownFormat",
    "code_report",
    "comparison_report",
    "policy_report",
    "render",
    "render_all",
]
