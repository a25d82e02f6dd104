"""A small store of hand-built policies the query tests share."""

from __future__ import annotations

from medpolicy.api import Store
from store.documents import PolicySpec, policy_document

PREMERA = PolicySpec(
    payer="Premera Blue Cross",
    number="8.01.01",
    title="Adoptive Immunotherapy",
    effective="2024-01-01",
    extra="Natural killer cells are lymphocytes of the innate immune system.",
)
AETNA = PolicySpec(
    payer="Aetna Inc.",
    number="0999",
    title="Natural Killer Cell Therapy",
    effective="2023-03-01",
    doc_type="clinical_policy_bulletin",
    positions=[
        (
            "investigational",
            "Aetna considers natural killer cell therapy experimental and investigational.",
            "natural killer cell therapy",
        )
    ],
    codes=[
        ("CPT", "86357", "NK cells total count", "not_covered", "listed"),
        ("CPT", "0537T", "CAR-T cell harvest", None, "listed"),
    ],
    ranges=[("ICD-10-CM", "C81.00", "C96.9", None)],
)
CIGNA = PolicySpec(
    payer="Cigna",
    number="MP-123",
    title="Lymphoma Immunotherapies",
    effective="2022-07-15",
    positions=[
        (
            "medically_necessary",
            "Chimeric antigen receptor therapy is medically necessary for lymphoma.",
            "CAR-T for lymphoma",
        ),
        ("not_medically_necessary", "Repeat infusions are not medically necessary.", "repeat infusions"),
    ],
    codes=[
        ("CPT", "0537T", "CAR-T harvest", "medically_necessary", "listed"),
        ("ICD-10-CM", "C83.30", "Diffuse large B-cell lymphoma", None, "listed"),
    ],
)
LCD = PolicySpec(
    payer=None,
    number="L35062",
    title="Biomarker Testing",
    effective="2021-01-01",
    doc_type="lcd",
    positions=[],
    codes=[("CPT", "86357", None, None, "mentioned")],
)


def fill(store: Store) -> dict[str, int]:
    """Store the four sample policies; their ids by payer."""
    ids = {}
    for name, spec in (("premera", PREMERA), ("aetna", AETNA), ("cigna", CIGNA), ("lcd", LCD)):
        ids[name] = store.add(*policy_document(spec, path=f"/docs/{name}.txt")).policy_id or 0
    return ids
