"""Find the sections payers use, under their many names, and say what kind each is.

A heading is a short line whose words (numbering, colons, markdown marks removed)
name a known section. Kinds drive the other extractors: codes in `coding` and
`policy` sections are listed, codes in `history` are mentioned; coverage positions
come from `policy` sections; references and history entries from their sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from medpolicy.extract.lines import Line

# kind -> exact heading names (normalised: lower case, '&' -> 'and', no trailing colon)
_EXACT: dict[str, tuple[str, ...]] = {
    "policy": (
        "policy",
        "policies",
        "policy statement",
        "policy statements",
        "policy coverage criteria",
        "coverage criteria",
        "coverage policy",
        "position statement",
        "position statements",
        "coverage position",
        "coverage rationale",
        "coverage determination",
        "coverage guidelines",
        "coverage guideline",
        "criteria",
        "medical necessity criteria",
        "clinical criteria",
        "indications and limitations of coverage",
        "indications and limitations of coverage and/or medical necessity",
        "coverage indications, limitations, and/or medical necessity",
        "coverage indications, limitations and/or medical necessity",
        "nationally covered indications",
        "nationally non-covered indications",
        "nationally noncovered indications",
        "covered indications",
        "non-covered indications",
        "noncovered indications",
        "limitations",
        "reimbursement guidelines",
        "medically necessary",
        "experimental/investigational",
        "experimental, investigational, or unproven",
        "experimental, investigational or unproven",
        "investigational",
        "not medically necessary",
        "investigational and not medically necessary",
        "medically necessary and investigational",
        "coverage statement",
        "coverage",
        "policy criteria",
        "policy: commercial",
        "policy: medicare",
        "policy commercial",
        "policy medicare",
        "coverage information",
        "medical necessity",
        "cosmetic",
        "not covered",
        "exclusions",
        "coverage limitations",
        "policy guidelines and criteria",
        "coverage summary",
        "coverage decision",
        "decision",
        "coverage position statement",
    ),
    "coding": (
        "coding",
        "coding information",
        "billing/coding information",
        "billing and coding",
        "billing/coding",
        "coding and billing",
        "coding/billing information",
        "applicable codes",
        "codes",
        "cpt codes",
        "hcpcs codes",
        "icd-10 codes",
        "icd-9 codes",
        "icd10 codes",
        "procedure codes",
        "procedural codes",
        "diagnosis codes",
        "cpt/hcpcs codes",
        "code reference",
        "coding guidelines",
        "billing guidelines",
        "coding section",
        "codes and descriptions",
        "procedure code(s)",
        "cpt code(s)",
        "hcpcs code(s)",
        "icd-10 code(s)",
        "billing information",
        "coding table",
        "coding implications",
        "code list",
        "codes used in this policy",
        "billing",
        "codes and billing",
        "provider claims codes",
        "claims codes",
        "billing codes",
        "code(s)",
        "code",
        "coding/billing",
        "revenue codes",
        "applicable billing codes",
        "procedure and diagnosis codes",
    ),
    "guidance": (
        "policy guidelines",
        "related information",
        "documentation requirements",
        "benefit application",
        "guidelines",
        "dosage/administration",
        "dosage and administration",
        "precautions",
        "prior authorization",
        "authorization information",
        "reimbursement information",
        "documentation",
        "special notes",
        "instructions",
        "dosing",
        "prior authorization information",
        "medical record documentation",
        "documentation requirements and utilization guidelines",
    ),
    "description": (
        "description",
        "background",
        "introduction",
        "overview",
        "summary",
        "item/service description",
        "general",
        "clinical background",
        "policy description",
        "description of procedure or service",
        "purpose",
        "scope",
        "summary and overview",
        "clinical context",
        "billing code overview",
        "common language description",
        "official description",
        "lay description",
        "general information",
        "indications",
        "fda status",
        "definition",
        "service description",
        "summary & overview",
        "general background",
        "clinical overview",
        "disease overview",
        "condition overview",
        "product description",
    ),
    "rationale": (
        "rationale",
        "evidence review",
        "summary of evidence",
        "analysis of evidence",
        "clinical evidence",
        "scientific background",
        "supporting evidence",
        "review of evidence",
        "literature review",
        "practice guidelines and position statements",
        "regulatory status",
        "ongoing and unpublished clinical trials",
        "medicare national coverage",
        "discussion",
        "clinical practice guidelines",
        "evidence summary",
        "supplemental information",
        "professional societies",
        "us food and drug administration",
        "use outside the us",
        "analysis of evidence (rationale for determination)",
        "summary of evidence and analysis",
        "evidence",
        "clinical evidence summary",
        "proposed process information",
        "summary of changes to evidence",
        "health equity considerations",
        "clinical studies",
        "published evidence",
        "technology assessments",
        "professional society guidelines",
        "national guidelines",
        "summary of clinical evidence",
        "review of clinical evidence",
    ),
    "references": (
        "references",
        "reference",
        "bibliography",
        "sources",
        "resources",
        "literature cited",
        "citations",
        "reference(s)",
        "references and resources",
        "cited references",
        "selected references",
        "references/bibliography",
    ),
    "history": (
        "history",
        "policy history",
        "revision history",
        "revision history information",
        "revision details",
        "policy revision history",
        "document history",
        "guideline update information",
        "update history",
        "policy history/revision information",
        "revisions",
        "change summary",
        "summary of changes",
        "policy updates",
        "review history",
        "history and revisions",
        "history of revisions",
        "policy history and revision information",
        "document revision history",
        "revision log",
        "date of origin",
        "version history",
        "updates",
        "changes",
    ),
    "related": (
        "related policies",
        "related medical policies",
        "related guidelines",
        "related coverage resources",
        "related commercial policies",
        "related documents",
        "related local coverage documents",
        "associated documents",
        "related national coverage documents",
        "related policy",
        "cross references",
        "cross reference",
        "related coverage policies",
        "related clinical policies",
        "related policies and guidelines",
        "related medicare advantage policies",
        "related reimbursement policies",
    ),
    "definitions": ("definitions", "definition of terms", "glossary", "abbreviations"),
    "boilerplate": (
        "disclaimer",
        "instructions for use",
        "important note",
        "program exceptions",
        "application",
        "table of contents",
        "appendix",
        "state and federal mandates",
        "benefit considerations",
        "questions and answers",
        "other",
        "committee approval",
        "transmittal information",
        "legal disclaimer",
        "copyright",
        "policy implementation/update information",
        "information pertaining to all policies",
        "contractor information",
        "public comments",
        "response to comments",
        "medicare advantage",
    ),
}

_HEADING_INDEX: dict[str, str] = {name: kind for kind, names in _EXACT.items() for name in names}

_NUMBERING = re.compile(r"^(?:#{1,6}\s*|\*\*|(?:[IVXLC]+|[A-Z]|\d{1,2})[.)]\s+|§\s*)")
_TRAILING = re.compile(r"[\s:*#.\-–—]+$")
_MAX_HEADING = 90


@dataclass(slots=True)
class SectionSpan:
    heading: str
    kind: str
    heading_line: int  # index of the heading line
    first: int  # first line index of the section body (the heading line itself for inline headings)
    last: int  # last line index, inclusive
    start: int  # offset of the heading
    end: int  # offset past the section's last character


def normalise_heading(text: str) -> str:
    s = text.strip().strip("|").strip()
    s = _NUMBERING.sub("", s)
    s = s.replace("&", "and")
    s = re.sub(r"[®™†‡*]", "", s)
    s = _TRAILING.sub("", s)
    return " ".join(s.lower().split())


@lru_cache(maxsize=8192)
def heading_kind(text: str) -> str | None:
    """The kind of section a heading line names, or None when it names none."""
    if not text or len(text) > _MAX_HEADING:
        return None
    norm = normalise_heading(text)
    kind = _HEADING_INDEX.get(norm)
    if kind:
        return kind
    if re.fullmatch(
        r"\d{4} updates?|(?:u\.?s\.? )?food and drug administration(?: \(fda\))?(?: status)?|"
        r"centers for medicare (?:and|&) medicaid services(?: \(cms\))?",
        norm,
    ):
        return "rationale"
    # Families of headings spelled many ways
    if re.fullmatch(
        r"(?:cpt|hcpcs|icd-?10(?:-cm|-pcs)?|icd-?9(?:-cm)?|procedure|procedural|diagnosis|"
        r"cpt/hcpcs|cpt\W? and hcpcs|revenue|ndc)(?: diagnosis| procedure)? ?codes?(?:\(s\))?.*",
        norm,
    ):
        return "coding"
    if re.fullmatch(r"(?:group \d+ (?:paragraph|codes))", norm):
        return "coding"
    if re.fullmatch(
        r"icd-?10(?:-cm)? (?:diagnosis )?codes? (?:that|which) (?:do not |does not |don't )?support medical necessity",
        norm,
    ):
        return "coding"
    if re.fullmatch(
        r"(?:policy )?(?:revision|review|update|version|change) (?:history|log|details)(?: information)?",
        norm,
    ):
        return "history"
    if re.fullmatch(
        r"related [a-z ]*(?:policies|policy|guidelines|documents|resources|articles|lcds?)", norm
    ):
        return "related"
    return None


_INLINE_LABEL = re.compile(r"^([A-Za-z][A-Za-z0-9 /&()\-]{2,45}?)\s*:\s*(\S.*)$")


def find_sections(lines: list[Line]) -> list[SectionSpan]:
    """Sections in reading order; text before the first heading is a `preamble` section."""
    heads: list[tuple[int, str, str, bool]] = []  # (line index, heading text, kind, inline)
    for ln in lines:
        if ln.furniture:
            continue
        t = ln.text
        if not t:
            continue
        kind = heading_kind(t)
        if kind and _looks_like_heading(t):
            if heads and heads[-1][2] == "coding" and kind == "description" and ln.index - heads[-1][0] <= 3:
                continue  # a 'Code | Description' table header, not a new section
            heads.append((ln.index, t, kind, False))
            continue
        m = _INLINE_LABEL.match(t)
        if m:
            kind = heading_kind(m.group(1))
            if kind in ("coding", "related", "history", "references"):
                heads.append((ln.index, m.group(1).strip(), kind, True))
    spans: list[SectionSpan] = []
    text_end = lines[-1].end if lines else 0
    first_head = heads[0][0] if heads else len(lines)
    if first_head > 0:
        spans.append(
            SectionSpan(
                "",
                "preamble",
                0,
                0,
                first_head - 1,
                0,
                lines[first_head - 1].end if first_head - 1 < len(lines) else text_end,
            )
        )
    for i, (idx, title, kind, inline) in enumerate(heads):
        nxt = heads[i + 1][0] if i + 1 < len(heads) else len(lines)
        last = max(idx, nxt - 1)
        spans.append(
            SectionSpan(title, kind, idx, idx if inline else idx + 1, last, lines[idx].start, lines[last].end)
        )
    return spans


def _looks_like_heading(text: str) -> bool:
    """Reject lines that merely start like a heading but are prose ('Policy number 12 ...')."""
    if text.endswith((".", ",", ";")) and not re.search(r"\b(?:[A-Z]|[IVX]+)\.$", text):
        return False
    if sum(c.isdigit() for c in text) > 6:
        return False
    return not (text[0].islower() and not text.startswith(("icd", "cpt")))


def section_at(spans: list[SectionSpan], line_index: int) -> SectionSpan | None:
    """The section holding a line (None before any section)."""
    found = None
    for sp in spans:
        if sp.heading_line <= line_index <= sp.last or (
            sp.kind == "preamble" and sp.first <= line_index <= sp.last
        ):
            found = sp
    return found
