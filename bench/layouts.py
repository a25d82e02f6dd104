"""Payer layouts: how each family of publishers arranges a policy (headings, field labels, code tables).

The layouts are imitations in spirit (a BCBS-plan medical policy, a numbered clinical
policy bulletin, a coverage policy with a coding-information section, a commercial
medical policy with applicable codes, a Medicare LCD and billing article); every word
is generated. Long narrative sections are padded with invented prose until the
document reaches its planned size.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from blocks import Block, Document, Fields, Heading, Items, Paragraph, Table, block_chars
from policies import (
    COSMETIC,
    INVESTIGATIONAL,
    MEDICALLY_NECESSARY,
    NOT_COVERED,
    NOT_MEDICALLY_NECESSARY,
    CodeEntry,
    PolicyVersion,
    prose,
)
from vocabulary import STREETS, TOWNS


@dataclass(frozen=True, slots=True)
class Narrative:
    """A place for invented prose, filled once the rest of the document is laid out."""

    section: str
    weight: float = 1.0


Part = Block | Narrative

_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.")
_GROUP_LABELS = {
    MEDICALLY_NECESSARY: "Codes covered when selection criteria are met:",
    INVESTIGATIONAL: "Codes not covered for indications listed in this policy (investigational):",
    NOT_MEDICALLY_NECESSARY: "Codes considered not medically necessary:",
    NOT_COVERED: "Codes not covered (contract exclusion):",
    COSMETIC: "Codes considered cosmetic:",
}
_DISCLAIMER = (
    "This document describes the plan's position on the services named here. It is not a guarantee of "
    "payment; benefits depend on the member's contract in effect on the date of service, and the plan may "
    "update this document at any time."
)


def us_date(d: dt.date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def long_date(d: dt.date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def short_month_date(d: dt.date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def render_document(version: PolicyVersion) -> Document:
    """The version laid out in its payer's layout, padded to its planned size."""
    build = _LAYOUTS[version.plan.layout]
    document, parts = build(version)
    _fill_narrative(document, parts, version)
    return document


def _fill_narrative(document: Document, parts: list[Part], version: PolicyVersion) -> None:
    fixed = sum(block_chars(p) for p in parts if not isinstance(p, Narrative)) + len(document.footer)
    narratives = [p for p in parts if isinstance(p, Narrative)]
    room = max(0, version.plan.target_chars - fixed)
    total_weight = sum(n.weight for n in narratives) or 1.0
    for part in parts:
        if not isinstance(part, Narrative):
            document.add(part)
            continue
        budget = room * part.weight / total_weight
        written = 0
        for paragraph in islice(prose(version, part.section), 10_000):
            if written >= budget:
                break
            document.add(Paragraph(paragraph))
            written += len(paragraph) + 2


def _address(version: PolicyVersion) -> str:
    rng = random.Random(version.plan.payer)
    town, state = rng.choice(TOWNS)
    return f"{rng.choice(STREETS)}, {town}, {state} {rng.randint(10000, 99950):05d}"


def _copyright(version: PolicyVersion) -> str:
    return f"© {version.effective.year} {version.plan.payer}. All rights reserved. {_address(version)}."


def _codes(version: PolicyVersion, system: str) -> list[CodeEntry]:
    return [c for c in version.codes if c.system == system]


def _code_rows(entries: list[CodeEntry]) -> tuple[tuple[str, str], ...]:
    return tuple((c.code, c.description) for c in entries)


def _position_items(version: PolicyVersion) -> list[Part]:
    parts: list[Part] = []
    for position in version.positions:
        parts.append(Paragraph(position.statement))
        if position.criteria:
            parts.append(
                Items(position.criteria, tuple(f"{chr(65 + i)}." for i in range(len(position.criteria))))
            )
    return parts


def _ranges_text(version: PolicyVersion) -> list[Part]:
    return [
        Paragraph(f"Diagnosis codes in the range {first}–{last} also apply to this policy.")
        for first, last in version.icd_ranges
    ]


def _history_rows(version: PolicyVersion, newest_first: bool) -> tuple[tuple[str, str], ...]:
    entries = sorted(version.history, key=lambda h: h.date, reverse=newest_first)
    return tuple((us_date(h.date), h.text) for h in entries)


def _references(version: PolicyVersion) -> Items:
    refs = version.references
    return Items(tuple(r.text for r in refs), tuple(f"{i}." for i in range(1, len(refs) + 1)))


# ---------------------------------------------------------------- layouts


def _bcbsa(version: PolicyVersion) -> tuple[Document, list[Part]]:
    plan = version.plan
    document = Document(
        version.title, f"{plan.payer} | Medical Policy {plan.number}", _copyright(version), paged=False
    )
    parts: list[Part] = [
        Paragraph(plan.payer, strong=True),
        Heading(f"MEDICAL POLICY – {plan.number}", 1),
        Heading(version.title, 1),
        Fields(
            (
                ("BCBSA Ref. Policy", plan.number),
                ("Effective Date", short_month_date(version.effective)),
                ("Last Revised", short_month_date(version.last_revised)),
                ("Replaces", "N/A"),
            )
        ),
        Heading("RELATED MEDICAL POLICIES:", 3),
        Items(tuple(f"{number} {title}" for number, title in version.related)),
        Heading("Introduction"),
        Narrative("introduction", 0.08),
        Heading("Policy Coverage Criteria"),
        Table(
            ("Service", "Medical Necessity"),
            tuple(
                (version.service_name, p.statement + " " + " ".join(p.criteria)) for p in version.positions
            ),
        ),
        Heading("Coding"),
        Table(
            ("Code", "Description"),
            (
                ("CPT", ""),
                *_code_rows(_codes(version, "CPT")),
                ("HCPCS", ""),
                *_code_rows(_codes(version, "HCPCS")),
                ("ICD-10-CM", ""),
                *_code_rows(_codes(version, "ICD-10-CM")),
            ),
        ),
        *_ranges_text(version),
        Paragraph(
            "Note: CPT codes and their descriptions are the property of the American Medical Association."
        ),
        Heading("Related Information"),
        Narrative("related", 0.07),
        Heading("Evidence Review"),
        Heading("Description", 3),
        Narrative("description", 0.1),
        Heading("Background", 3),
        Narrative("background", 0.35),
        Heading("Summary of Evidence", 3),
        Narrative("evidence", 0.4),
        Heading("References"),
        _references(version),
        Heading("History"),
        Table(("Date", "Comments"), _history_rows(version, newest_first=False)),
        Paragraph(_DISCLAIMER),
    ]
    return document, parts


def _aetna_cpb(version: PolicyVersion) -> tuple[Document, list[Part]]:
    plan = version.plan
    document = Document(
        version.title,
        f"{plan.payer} Clinical Policy Bulletin {plan.number}",
        _copyright(version),
        paged=False,
    )
    policy: list[Part] = []
    numerals = ("I.", "II.", "III.", "IV.", "V.")
    headings = {
        MEDICALLY_NECESSARY: "Medically Necessary",
        INVESTIGATIONAL: "Experimental, Investigational, or Unproven",
        NOT_MEDICALLY_NECESSARY: "Not Medically Necessary",
        NOT_COVERED: "Not Covered",
        COSMETIC: "Cosmetic",
    }
    for numeral, position in zip(numerals, version.positions, strict=False):
        policy.append(Heading(f"{numeral} {headings[position.status]}", 3))
        policy.append(Paragraph(position.statement))
        if position.criteria:
            policy.append(
                Items(position.criteria, tuple(f"{chr(65 + i)}." for i in range(len(position.criteria))))
            )
    code_rows: list[tuple[str, str]] = []
    for system, label in (("CPT", "CPT codes"), ("HCPCS", "HCPCS codes"), ("ICD-10-CM", "ICD-10 codes")):
        for status in (MEDICALLY_NECESSARY, INVESTIGATIONAL, NOT_MEDICALLY_NECESSARY, NOT_COVERED, COSMETIC):
            entries = [c for c in _codes(version, system) if c.status == status]
            if entries:
                code_rows.append((f"{label} {_GROUP_LABELS[status][6:]}", ""))
                code_rows.extend(_code_rows(entries))
    parts: list[Part] = [
        Paragraph(plan.payer, strong=True),
        Heading(f"Clinical Policy Bulletin: {version.title}", 1),
        Fields((("Number", plan.number),)),
        Heading("Policy History", 3),
        Fields(
            (
                ("Last Review", us_date(version.last_revised)),
                ("Effective", us_date(version.effective)),
                ("Next Review", us_date(version.next_review)),
            )
        ),
        Heading("Policy"),
        Paragraph(f"Scope of Policy: This Clinical Policy Bulletin addresses {version.title.lower()}."),
        *policy,
        Heading("Related Policies", 3),
        Items(tuple(f"CPB {number} - {title}" for number, title in version.related)),
        Heading("CPT Codes / HCPCS Codes / ICD-10 Codes"),
        Table(("Code", "Code Description"), tuple(code_rows)),
        *_ranges_text(version),
        Heading("Background"),
        Narrative("background", 0.75),
        Heading("Appendix", 3),
        Narrative("appendix", 0.25),
        Heading("References"),
        _references(version),
        Paragraph(
            f"Policy history: {'; '.join(f'{us_date(h.date)} {h.text}' for h in version.history[-3:])}."
        ),
    ]
    return document, parts


def _cigna(version: PolicyVersion) -> tuple[Document, list[Part]]:
    plan = version.plan
    document = Document(
        version.title, f"Medical Coverage Policy: {plan.number}", _copyright(version), paged=True
    )
    coding: list[Part] = [
        Paragraph(
            "Note: this list of codes may not be all-inclusive. Deleted codes and codes "
            "that are not effective at the time of service may not be eligible for payment."
        )
    ]
    for status in (MEDICALLY_NECESSARY, INVESTIGATIONAL, NOT_MEDICALLY_NECESSARY, NOT_COVERED, COSMETIC):
        entries = [c for c in version.codes if c.status == status]
        if not entries:
            continue
        lead = {
            MEDICALLY_NECESSARY: "Considered Medically Necessary when criteria in the applicable policy "
            "statements listed above are met:",
            INVESTIGATIONAL: "Considered Experimental/Investigational/Unproven:",
            NOT_MEDICALLY_NECESSARY: "Considered Not Medically Necessary:",
            NOT_COVERED: "Not Covered or Reimbursable:",
            COSMETIC: "Considered Cosmetic:",
        }[status]
        coding.append(Paragraph(lead, strong=True))
        for system, header in (
            ("CPT", "CPT®* Codes"),
            ("HCPCS", "HCPCS Codes"),
            ("ICD-10-CM", "ICD-10-CM Diagnosis Codes"),
        ):
            rows = [c for c in entries if c.system == system]
            if rows:
                coding.append(Table((header, "Description"), _code_rows(rows)))
    parts: list[Part] = [
        Heading(f"{plan.payer} Medical Coverage Policy", 1),
        Fields(
            (
                ("Effective Date", us_date(version.effective)),
                ("Next Review Date", us_date(version.next_review)),
                ("Coverage Policy Number", plan.number),
            ),
            style="leaders",
        ),
        Heading(version.title, 1),
        Heading("Table of Contents", 3),
        Fields(
            (
                ("Overview", "1"),
                ("Coverage Policy", "1"),
                ("General Background", "2"),
                ("Coding Information", "5"),
                ("References", "7"),
            ),
            style="leaders",
        ),
        Heading("Related Coverage Resources", 3),
        Items(tuple(f"{title} ({number})" for number, title in version.related)),
        Heading("INSTRUCTIONS FOR USE", 3),
        Paragraph(_DISCLAIMER),
        Heading("Overview"),
        Narrative("overview", 0.1),
        Heading("Coverage Policy"),
        *_position_items(version),
        Heading("General Background"),
        Narrative("background", 0.6),
        Heading("Professional Societies", 3),
        Narrative("societies", 0.3),
        Heading("Coding Information"),
        *coding,
        *_ranges_text(version),
        Heading("References"),
        _references(version),
        Heading("Revision Details"),
        Table(
            ("Type of Revision", "Summary of Changes", "Date"),
            tuple(
                ("Focused review" if i else "Annual review", text, date)
                for i, (date, text) in enumerate(_history_rows(version, newest_first=True))
            ),
        ),
    ]
    return document, parts


def _uhc(version: PolicyVersion) -> tuple[Document, list[Part]]:
    plan = version.plan
    document = Document(version.title, f"{version.title}", _copyright(version), paged=True)
    parts: list[Part] = [
        Heading(f"{plan.payer} Commercial Medical Policy", 1),
        Heading(version.title.upper(), 1),
        Fields((("Policy Number", plan.number), ("Effective Date", long_date(version.effective)))),
        Heading("Table of Contents", 3),
        Items(
            (
                "Coverage Rationale",
                "Applicable Codes",
                "Description of Services",
                "Clinical Evidence",
                "References",
                "Policy History/Revision Information",
                "Instructions for Use",
            )
        ),
        Heading("Related Commercial Policies", 3),
        Items(tuple(title for _, title in version.related)),
        Heading("Coverage Rationale"),
        *_position_items(version),
        Heading("Applicable Codes"),
        Paragraph(
            "The following list(s) of procedure and/or diagnosis codes is provided for reference purposes "
            "only "
            "and may not be all inclusive. Listing of a code in this policy does not imply that the service "
            "described by the code is a covered or non-covered health service."
        ),
        Table(("CPT Code", "Description"), _code_rows(_codes(version, "CPT"))),
        Paragraph("CPT® is a registered trademark of the American Medical Association"),
        Table(("HCPCS Code", "Description"), _code_rows(_codes(version, "HCPCS"))),
        Table(("Diagnosis Code", "Description"), _code_rows(_codes(version, "ICD-10-CM"))),
        *_ranges_text(version),
        Heading("Description of Services"),
        Narrative("services", 0.15),
        Heading("Clinical Evidence"),
        Narrative("evidence", 0.7),
        Heading("U.S. Food and Drug Administration (FDA)"),
        Narrative("fda", 0.15),
        Heading("References"),
        _references(version),
        Heading("Policy History/Revision Information"),
        Table(("Date", "Summary of Changes"), _history_rows(version, newest_first=True)),
        Heading("Instructions for Use"),
        Paragraph(_DISCLAIMER),
    ]
    return document, parts


def _contractor(version: PolicyVersion) -> Table:
    rng = random.Random(version.plan.payer)
    return Table(
        ("Contractor Name", "Contract Type", "Contract Number", "Jurisdiction", "State(s)"),
        tuple(
            (
                version.plan.payer,
                "A and B MAC",
                f"{rng.randint(10000, 15999)} - MAC {kind}",
                f"J - {rng.choice('EFHJKLN')}",
                state,
            )
            for kind, state in (("A", "Oregon"), ("B", "Kansas"))
        ),
    )


def _lcd(version: PolicyVersion) -> tuple[Document, list[Part]]:
    plan = version.plan
    document = Document(version.title, f"Created on {us_date(version.effective)}", "", paged=True)
    mentioned = ", ".join(c.code for c in version.codes if c.system != "ICD-10-CM")
    parts: list[Part] = [
        Heading("Local Coverage Determination (LCD)", 1),
        Heading(version.title, 1),
        Paragraph(plan.number),
        Heading("Contractor Information", 3),
        _contractor(version),
        Heading("LCD Information", 3),
        Fields(
            (
                ("LCD ID", plan.number),
                ("LCD Title", version.title),
                (
                    "Original Effective Date",
                    f"For services performed on or after {us_date(version.original_effective)}",
                ),
                (
                    "Revision Effective Date",
                    f"For services performed on or after {us_date(version.effective)}",
                ),
                ("Revision Ending Date", "N/A"),
            ),
            style="stacked",
        ),
        Heading("Coverage Indications, Limitations, and/or Medical Necessity"),
        *_position_items(version),
        Paragraph(
            "Services are reported with the codes listed in the related billing article, which include "
            f"{mentioned}."
        ),
        Narrative("indications", 0.2),
        Heading("Summary of Evidence"),
        Narrative("evidence", 0.5),
        Heading("Analysis of Evidence (Rationale for Determination)"),
        Narrative("analysis", 0.3),
        Heading("Bibliography"),
        _references(version),
        Heading("Revision History Information"),
        Table(
            ("Revision History Date", "Revision History Number", "Revision History Explanation"),
            tuple(
                (date, f"R{i + 1}", text)
                for i, (date, text) in enumerate(_history_rows(version, newest_first=True))
            ),
        ),
        Heading("Associated Documents"),
        Items(
            tuple(
                f"A{50000 + int(number[-4:]) % 9999:05d} - Billing and Coding: {title}"
                for number, title in version.related
                if number[-4:].isdigit()
            )
        ),
    ]
    return document, parts


def _article(version: PolicyVersion) -> tuple[Document, list[Part]]:
    plan = version.plan
    document = Document(version.title, f"Created on {us_date(version.effective)}", "", paged=True)
    procedures = [c for c in version.codes if c.system != "ICD-10-CM"]
    covered = [c for c in _codes(version, "ICD-10-CM") if c.status == MEDICALLY_NECESSARY]
    uncovered = [c for c in _codes(version, "ICD-10-CM") if c.status != MEDICALLY_NECESSARY]
    rng = random.Random(version.prose_seed)
    parts: list[Part] = [
        Heading(f"Billing and Coding: {version.title}", 1),
        Paragraph(plan.number),
        Heading("Contractor Information", 3),
        _contractor(version),
        Heading("Article Information", 3),
        Fields(
            (
                ("Article ID", plan.number),
                ("Article Title", f"Billing and Coding: {version.title}"),
                ("Article Type", "Billing and Coding"),
                ("Original Effective Date", us_date(version.original_effective)),
                ("Revision Effective Date", us_date(version.effective)),
            ),
            style="stacked",
        ),
        Heading("Article Guidance"),
        Narrative("guidance", 0.6),
        Heading("Coding Information"),
        Heading("Bill Type Codes", 3),
        Table(
            ("Code", "Description"),
            (
                ("0131", "Hospital Outpatient - Admit Through Discharge Claim"),
                ("0851", "Critical Access Hospital - Admit Through Discharge Claim"),
            ),
        ),
        Heading("Revenue Codes", 3),
        Table(
            ("Code", "Description"),
            (
                ("0360", "Operating Room Services - General Classification"),
                ("0510", "Clinic - General Classification"),
            ),
        ),
        Heading("CPT/HCPCS Codes", 3),
        Paragraph("Group 1 Paragraph: The codes below are reported for the services this article describes."),
        Paragraph("Group 1 Codes:", strong=True),
        Table(("Code", "Description"), _code_rows(procedures)),
        Heading("ICD-10-CM Codes that Support Medical Necessity", 3),
        Paragraph(
            f"Group 1 Paragraph: Report one of the following diagnosis codes; {rng.randint(2, 9)} "
            "of them require a secondary code."
        ),
        Paragraph("Group 1 Codes:", strong=True),
        Table(("Code", "Description"), _code_rows(covered)),
        *_ranges_text(version),
        Heading("ICD-10-CM Codes that DO NOT Support Medical Necessity", 3),
        Paragraph("Group 1 Codes:", strong=True),
        Table(("Code", "Description"), _code_rows(uncovered)),
        Heading("Revision History Information"),
        Table(
            ("Revision History Date", "Revision History Explanation"),
            _history_rows(version, newest_first=True),
        ),
        Heading("Associated Documents"),
        Narrative("associated", 0.4),
    ]
    return document, parts


_LAYOUTS: dict[str, Callable[[PolicyVersion], tuple[Document, list[Part]]]] = {
    "bcbsa": _bcbsa,
    "aetna_cpb": _aetna_cpb,
    "cigna": _cigna,
    "uhc": _uhc,
    "lcd": _lcd,
    "article": _article,
}
