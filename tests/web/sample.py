"""The small store the web tests share: hand-built policies with known facts, spans and versions."""

from __future__ import annotations

from medpolicy.api import Store
from store.documents import PolicySpec, policy_document

PREMERA_V1 = PolicySpec(
    payer="Premera Blue Cross",
    number="8.01.01",
    title="Adoptive Immunotherapy",
    effective="2024-01-01",
)
PREMERA_V2 = PolicySpec(
    payer="Premera Blue Cross",
    number="8.01.01",
    title="Adoptive Immunotherapy",
    effective="2025-02-01",
    positions=[
        (
            "medically_necessary",
            "Adoptive immunotherapy with natural killer cells is medically necessary for relapsed lymphoma.",
            "adoptive immunotherapy for relapsed lymphoma",
        ),
    ],
    codes=[
        ("CPT", "86357", "Natural killer (NK) cells, total count", None, "listed"),
        ("HCPCS", "S2107", "Adoptive immunotherapy", None, "listed"),
        ("CPT", "0537T", "CAR-T cell harvest", "medically_necessary", "listed"),
    ],
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
    codes=[("CPT", "86357", "NK cells total count", "not_covered", "listed")],
    ranges=[("ICD-10-CM", "C81.00", "C96.9", None)],
)
HOSTILE = PolicySpec(
    payer="Evergreen Mutual",
    number="MP-666",
    title="<script>alert('title')</script> Cell Therapy",
    effective="2022-07-15",
    positions=[
        (
            "not_medically_necessary",
            "Repeat infusions <img src=x onerror=alert('statement')> are not medically necessary.",
            "repeat infusions",
        ),
    ],
    codes=[("CPT", "86357", "<b>bold</b> count", None, "listed")],
    extra="<script>alert('body')</script>",
)


def fill(store: Store) -> dict[str, int]:
    """Store the sample policies (Premera in two versions); their ids by name."""
    ids: dict[str, int] = {}
    for name, spec in (
        ("premera", PREMERA_V1),
        ("premera", PREMERA_V2),
        ("aetna", AETNA),
        ("hostile", HOSTILE),
    ):
        stored = store.add(*policy_document(spec, path=f"/docs/{name}.txt"))
        assert stored.policy_id is not None
        ids[name] = stored.policy_id
    return ids
