"""Claim checks: before a claim is submitted, what the stored policies and CMS edits say about each line.

    >>> from medpolicy.check import ClaimLine, check_line
    >>> line = ClaimLine("Blue Cross and Blue Shield of Montana", "86357", dx=["D84.9"], date="2024-05-01")
    >>> check_line(store, line).outcome                      # doctest: +SKIP
    'investigational'

Importing this package registers the edit tables (`medpolicy.check.tables`) on the store's metadata.
"""

from medpolicy.check import tables  # noqa: F401  (registers ncci_ptp_edits and mue_values)
from medpolicy.check.batch import check_claims, check_line
from medpolicy.check.claims import ClaimLine, read_claims_csv
from medpolicy.check.edit_files import import_mue, import_ncci
from medpolicy.check.results import OUTCOMES, Determination, DocumentFinding, DxMatch, EditFinding

__all__ = [
    "OUTCOMES",
    "ClaimLine",
    "Determination",
    "DocumentFinding",
    "DxMatch",
    "EditFinding",
    "check_claims",
    "check_line",
    "import_mue",
    "import_ncci",
    "read_claims_csv",
]
