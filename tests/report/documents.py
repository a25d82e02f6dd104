"""Policies written for the report tests: text laid out line by line, with an Extraction whose spans fit it.

Fictional payers and wording; code numbers are real. Every fact records where its words
landed, so a test can check that a report's citation points at the words it quotes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from medpolicy.model import (
    CodeFact,
    CodeRange,
    CoveragePosition,
    Dates,
    Extraction,
    HistoryEntry,
    Section,
    Source,
    Text,
)

# (status, statement, applies_to, criteria)
Position = tuple[str, str, str | None, list[str]]
# (system, code, description, coverage, role)
Code = tuple[str, str, str | None, str | None, str]


@dataclass
class Policy:
    payer: str | None
    number: str | None
    title: str
    effective: str | None = "2025-01-01"
    doc_type: str = "medical_policy"
    positions: list[Position] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    ranges: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    history: list[tuple[str | None, str]] = field(default_factory=list)
    path: str = "/docs/policy.txt"


def build(policy: Policy) -> tuple[Text, Source, Extraction]:
    """The policy's text, its Source and an Extraction with spans into the text."""
    lines: list[str] = []
    length = 0

    def line(content: str) -> tuple[int, int]:
        nonlocal length
        start = length
        lines.append(content)
        length += len(content) + 1
        return start, start + len(content)

    for header in (policy.payer, f"Policy Number: {policy.number}" if policy.number else None, policy.title):
        if header:
            line(header)
    if policy.effective:
        line(f"Effective Date: {policy.effective}")
    policy_start = line("Policy")[0]
    positions = []
    for status, statement, applies_to, criteria in policy.positions:
        span = line(statement)
        for criterion in criteria:
            line(f"- {criterion}")
        positions.append(CoveragePosition(status, statement, applies_to, list(criteria), [span]))
    coding_start = line("Coding")[0]
    codes = []
    for system, code, description, coverage, role in policy.codes:
        start, _ = line(f"{code} {description or ''}".strip())
        codes.append(CodeFact(system, code, description, role, coverage, [(start, start + len(code))]))
    ranges = [
        CodeRange(system, first, last, [line(f"{first}-{last}")], coverage)
        for system, first, last, coverage in policy.ranges
    ]
    history_start = line("Policy History")[0]
    history = []
    for when, entry in policy.history:
        line(f"{when or ''} {entry}".strip())
        history.append(HistoryEntry(when, entry))
    text = "\n".join(lines) + "\n"
    extraction = Extraction(
        doc_type=policy.doc_type,
        payer=policy.payer,
        policy_number=policy.number,
        title=policy.title,
        dates=Dates(effective=policy.effective),
        codes=codes,
        code_ranges=ranges,
        coverage=positions,
        history=history,
        sections=[
            Section("Policy", "policy", [(policy_start, coding_start)]),
            Section("Coding", "coding", [(coding_start, history_start)]),
            Section("Policy History", "history", [(history_start, len(text))]),
        ],
    )
    source = Source(policy.path, hashlib.sha256(text.encode()).hexdigest(), "text/plain")
    return Text(text), source, extraction


NK_CODES: list[Code] = [
    ("CPT", "86357", "Natural killer cells, total count", None, "listed"),
    ("CPT", "86356", "Mononuclear cell antigen, quantitative", None, "listed"),
]

ASPEN = Policy(
    payer="Aspen Ridge Health Plan",
    number="AR-2.04",
    title="Natural Killer Cell Testing",
    effective="2025-03-01",
    positions=[
        (
            "medically_necessary",
            "NK cell counts are medically necessary for suspected hemophagocytic lymphohistiocytosis.",
            "NK cell counts",
            ["Persistent fever for seven days or more", "Cytopenia of two cell lines"],
        ),
    ],
    codes=NK_CODES,
    ranges=[("ICD-10-CM", "D80.0", "D84.9", None)],
    path="/docs/aspen-nk.txt",
)
BIRCH = Policy(
    payer="Birchwood Mutual",
    number="BM-77",
    title="Immune Cell Assays <script>alert('x')</script>",
    effective="2024-07-15",
    positions=[
        (
            "investigational",
            "Immune cell assays are investigational <script>alert('x')</script> for | all indications.",
            "immune cell assays",
            [],
        )
    ],
    codes=[("CPT", "86357", "NK count <b>bold</b>", "investigational", "listed")],
    path="/docs/birch.txt",
)
CEDAR_V1 = Policy(
    payer="Cedar Valley Health",
    number="CV-9",
    title="Lymphocyte Testing",
    effective="2024-01-01",
    positions=[
        ("investigational", "Lymphocyte subset testing is investigational.", "lymphocyte testing", [])
    ],
    codes=[("CPT", "86357", None, None, "listed"), ("CPT", "86359", "T cells, total count", None, "listed")],
    path="/docs/cedar-2024.txt",
)
CEDAR_V2 = Policy(
    payer="Cedar Valley Health",
    number="CV-9",
    title="Lymphocyte Testing",
    effective="2025-06-01",
    positions=[
        (
            "medically_necessary",
            "Lymphocyte subset testing is medically necessary for HIV.",
            "lymphocyte testing",
            [],
        )
    ],
    codes=[("CPT", "86357", None, None, "listed")],
    history=[("2025-06-01", "Position changed to medically necessary for HIV.")],
    path="/docs/cedar-2025.txt",
)
CODE_PAGE = Policy(
    payer=None,
    number=None,
    title="CPT 86357 code page",
    effective=None,
    doc_type="code_page",
    codes=[("CPT", "86357", "Counts natural killer cells in blood", None, "listed")],
    path="/docs/code-page.txt",
)
