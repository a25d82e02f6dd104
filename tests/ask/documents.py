"""Small fictional policies written for the ask tests, stored with hand-built extractions.

`build(spec)` lays a policy out line by line and records where each fact landed, so the
extraction it returns carries real spans into its text; `add(store, spec)` stores it.
The store then holds exactly these facts, whatever the extractor would make of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from medpolicy.api import Store
from medpolicy.model import (
    CodeFact,
    CodeRange,
    CoveragePosition,
    Dates,
    Extraction,
    Section,
    Source,
    Text,
)


@dataclass
class Spec:
    payer: str | None
    number: str | None
    title: str
    effective: str | None = "2025-06-01"
    last_revised: str | None = None
    doc_type: str = "medical_policy"
    # (status, statement, applies_to)
    positions: list[tuple[str, str, str | None]] = field(default_factory=list)
    # (system, code, description, coverage) listed in the coding section
    codes: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    # (system, start, end, coverage) listed in the coding section
    ranges: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    # (system, code) named only in the history
    mentioned: list[tuple[str, str]] = field(default_factory=list)
    extra: str = ""  # more text, e.g. a modifier note
    path: str = ""


class _Layout:
    def __init__(self) -> None:
        self.text = ""

    def line(self, content: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += content + "\n"
        return start, start + len(content)


def build(spec: Spec) -> tuple[Text, Source, Extraction]:
    out = _Layout()
    if spec.payer:
        out.line(spec.payer)
    if spec.number:
        out.line(f"Medical Policy {spec.number}")
    out.line(spec.title)
    if spec.effective:
        out.line(f"Effective Date: {spec.effective}")
    if spec.last_revised:
        out.line(f"Last Revised: {spec.last_revised}")
    out.line("")
    sections: list[Section] = []
    policy_start = out.line("Policy")[0]
    positions = []
    for status, statement, applies_to in spec.positions:
        positions.append(CoveragePosition(status, statement, applies_to, [], [out.line(statement)]))
    if spec.extra:
        out.line(spec.extra)
    sections.append(Section("Policy", "policy", [(policy_start, len(out.text))]))
    out.line("")
    coding_start = out.line("Coding")[0]
    codes = []
    for system, code, description, coverage in spec.codes:
        start, end = out.line(f"{code}  {description or ''}".rstrip())
        codes.append(CodeFact(system, code, description, "listed", coverage, [(start, start + len(code))]))
    ranges = []
    for system, first, last, coverage in spec.ranges:
        start, end = out.line(f"{first}-{last}")
        ranges.append(CodeRange(system, first, last, [(start, end)], coverage))
    sections.append(Section("Coding", "coding", [(coding_start, len(out.text))]))
    if spec.mentioned:
        out.line("")
        history_start = out.line("History")[0]
        for system, code in spec.mentioned:
            start, _ = out.line(f"Code {code} was removed from this policy.")
            offset = start + len("Code ")
            codes.append(CodeFact(system, code, None, "mentioned", None, [(offset, offset + len(code))]))
        sections.append(Section("History", "history", [(history_start, len(out.text))]))
    extraction = Extraction(
        doc_type=spec.doc_type,
        payer=spec.payer,
        policy_number=spec.number,
        title=spec.title,
        dates=Dates(effective=spec.effective, last_revised=spec.last_revised),
        codes=codes,
        code_ranges=ranges,
        coverage=positions,
        sections=sections,
    )
    sha = hashlib.sha256(out.text.encode("utf-8")).hexdigest()
    path = spec.path or f"/docs/{(spec.payer or 'none').split()[0].lower()}-{spec.number or spec.title}.txt"
    return Text(out.text), Source(path, sha, "text/plain"), extraction


def add(store: Store, spec: Spec) -> None:
    store.add(*build(spec))


ORCHARD = "Orchard Valley Health"
RIVERSTONE = "Riverstone Health Plan"
MEADOWLARK = "Meadowlark Mutual"

NK_ORCHARD = Spec(
    ORCHARD,
    "OV-2.01",
    "Natural Killer (NK) Cell Testing",
    effective="2025-03-01",
    positions=[
        (
            "investigational",
            "Natural killer cell testing is considered investigational for recurrent pregnancy loss.",
            "NK cell testing for recurrent pregnancy loss",
        )
    ],
    codes=[("CPT", "86357", "Natural killer cells, total count", "investigational")],
)
NK_RIVERSTONE = Spec(
    RIVERSTONE,
    "RS-118",
    "Lymphocyte Subset and NK Cell Counts",
    effective="2025-09-01",
    positions=[
        (
            "medically_necessary",
            "Lymphocyte subset testing, including natural killer cell counts, is medically necessary for "
            "suspected primary immunodeficiency.",
            "lymphocyte subset testing for primary immunodeficiency",
        ),
        (
            "investigational",
            "NK cell testing is investigational for infertility and recurrent pregnancy loss.",
            "NK cell testing for infertility",
        ),
    ],
    codes=[
        ("CPT", "86357", "Natural killer cells, total count", None),
        ("ICD-10-CM", "D84.9", "Immunodeficiency, unspecified", "medically_necessary"),
        ("ICD-10-CM", "N96", "Recurrent pregnancy loss", "investigational"),
    ],
    ranges=[("ICD-10-CM", "D80.0", "D80.9", "medically_necessary")],
    mentioned=[("CPT", "86359")],
)
TMS_MEADOWLARK_2014 = Spec(
    MEADOWLARK,
    "MM-77",
    "Transcranial Magnetic Stimulation",
    effective="2014-05-01",
    last_revised="2014-04-10",
    positions=[
        (
            "medically_necessary",
            "Repetitive transcranial magnetic stimulation is medically necessary for treatment-resistant "
            "major depressive disorder.",
            "rTMS for treatment-resistant depression",
        )
    ],
    codes=[("CPT", "90867", "Therapeutic repetitive TMS, initial", "medically_necessary")],
    extra="Report 90867 with modifier 59 only when a separate session was held on the same day.",
)
SLEEP_ORCHARD_V1 = Spec(
    ORCHARD,
    "OV-5.10",
    "Home Sleep Apnea Testing",
    effective="2025-01-01",
    positions=[
        (
            "investigational",
            "Home sleep apnea testing with a type II monitor is considered investigational.",
            "type II home sleep apnea testing",
        )
    ],
    codes=[("HCPCS", "G0398", "Home sleep study test with type II portable monitor", "investigational")],
    path="/docs/orchard-sleep.txt",
)
SLEEP_ORCHARD_V2 = Spec(
    ORCHARD,
    "OV-5.10",
    "Home Sleep Apnea Testing",
    effective="2026-02-01",
    positions=[
        (
            "medically_necessary",
            "Home sleep apnea testing with a type II monitor is medically necessary for suspected "
            "obstructive sleep apnea.",
            "type II home sleep apnea testing",
        )
    ],
    codes=[
        ("HCPCS", "G0398", "Home sleep study test with type II portable monitor", "medically_necessary"),
        ("HCPCS", "G0399", "Home sleep study test with type III portable monitor", "medically_necessary"),
    ],
    path="/docs/orchard-sleep-2026.txt",
)
CODE_PAGE = Spec(
    None,
    None,
    "CPT 86357 explained",
    effective=None,
    doc_type="code_page",
    codes=[("CPT", "86357", "Counts the natural killer cells in a blood sample", None)],
)
