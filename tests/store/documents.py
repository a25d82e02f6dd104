"""Small policy documents written for the tests, as text files and as hand-built extractions.

`policy_document` lays the text out line by line and records where each fact landed,
so the hand-built Extraction carries real spans into its text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from medpolicy.model import (
    CodeFact,
    CodeRange,
    CoveragePosition,
    Dates,
    Extraction,
    HistoryEntry,
    Reference,
    RelatedPolicy,
    Section,
    Source,
    Text,
)


@dataclass
class PolicySpec:
    payer: str | None = "Premera Blue Cross"
    number: str | None = "8.01.01"
    title: str = "Adoptive Immunotherapy"
    effective: str | None = "2024-01-01"
    doc_type: str = "medical_policy"
    # (status, statement, applies_to)
    positions: list[tuple[str, str, str | None]] = field(
        default_factory=lambda: [
            (
                "investigational",
                "Adoptive immunotherapy with natural killer cells is investigational.",
                "adoptive immunotherapy with natural killer cells",
            ),
        ]
    )
    # (system, code, description, coverage, role)
    codes: list[tuple[str, str, str | None, str | None, Literal["listed", "mentioned"]]] = field(
        default_factory=lambda: [
            ("CPT", "86357", "Natural killer (NK) cells, total count", None, "listed"),
            ("HCPCS", "S2107", "Adoptive immunotherapy", None, "listed"),
        ]
    )
    # (system, start, end, coverage)
    ranges: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    history: list[tuple[str | None, str]] = field(default_factory=list)
    related: list[tuple[str, str | None]] = field(default_factory=list)
    extra: str = ""


class _Layout:
    def __init__(self) -> None:
        self.text = ""

    def line(self, content: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += content + "\n"
        return start, start + len(content)


def policy_document(spec: PolicySpec, path: str = "/docs/policy.txt") -> tuple[Text, Source, Extraction]:
    """The text of `spec`, its Source (sha256 of the text) and an Extraction with spans into it."""
    out = _Layout()
    if spec.payer:
        out.line(spec.payer)
    if spec.number:
        out.line(f"Policy Number: {spec.number}")
    out.line(spec.title)
    if spec.effective:
        out.line(f"Effective Date: {spec.effective}")
    policy_start = out.line("Policy")[0]
    positions = []
    for status, statement, applies_to in spec.positions:
        positions.append(CoveragePosition(status, statement, applies_to, [], [out.line(statement)]))
    coding_start = out.line("Coding")[0]
    codes = []
    for system, code, description, coverage, role in spec.codes:
        start, _ = out.line(f"{code} {description or ''}".strip())
        codes.append(CodeFact(system, code, description, role, coverage, [(start, start + len(code))]))
    ranges = [
        CodeRange(system, start, end, [out.line(f"{start}-{end}")], coverage)
        for system, start, end, coverage in spec.ranges
    ]
    references = [Reference(n, ref, None, None) for n, ref in enumerate(spec.references, 1)]
    for ref in spec.references:
        out.line(ref)
    history = [HistoryEntry(when, entry) for when, entry in spec.history]
    for _, entry in spec.history:
        out.line(entry)
    if spec.extra:
        out.line(spec.extra)
    sections = [
        Section("Policy", "policy", [(policy_start, coding_start)]),
        Section("Coding", "coding", [(coding_start, len(out.text))]),
    ]
    extraction = Extraction(
        doc_type=spec.doc_type,
        payer=spec.payer,
        policy_number=spec.number,
        title=spec.title,
        dates=Dates(effective=spec.effective),
        codes=codes,
        code_ranges=ranges,
        coverage=positions,
        related_policies=[RelatedPolicy(number, title) for number, title in spec.related],
        references=references,
        history=history,
        sections=sections,
    )
    text = Text(out.text)
    source = Source(path, hashlib.sha256(out.text.encode()).hexdigest(), "text/plain")
    return text, source, extraction


def policy_text(
    payer: str, number: str, title: str, effective: str, statement: str, codes: list[tuple[str, str]]
) -> str:
    """A plain-text policy the way payers lay them out, for end-to-end ingest through the extractor."""
    coding = "\n".join(f"{code}  {description}" for code, description in codes)
    return (
        f"{payer}\nMedical Policy\n\n{title}\n\nPolicy Number: {number}\nEffective Date: {effective}\n\n"
        f"Policy Coverage Criteria\n{statement}\n\nCoding\nCPT / HCPCS codes:\n{coding}\n"
    )


def write_corpus(folder: Path, count: int) -> list[Path]:
    """`count` distinct small policies as .txt files under `folder` (two levels deep)."""
    paths = []
    for i in range(count):
        sub = folder / f"batch{i % 4}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"policy_{i:04d}.txt"
        path.write_text(
            policy_text(
                "Premera Blue Cross" if i % 2 else "Aetna",
                f"{i // 100 + 1}.{i % 100:02d}.{i % 7:02d}",
                f"Test Therapy Number {i}",
                f"2024-{i % 12 + 1:02d}-01",
                "Test therapy is considered investigational."
                if i % 3
                else "Test therapy is medically necessary.",
                [
                    ("86357", "Natural killer cells, total count"),
                    (f"{500 + i % 100:04d}T", "Emerging technology"),
                ],
            )
        )
        paths.append(path)
    return paths
