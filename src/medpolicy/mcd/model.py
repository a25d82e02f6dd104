"""What an MCD document adds to the contract's facts: the `mcd` key of its stored extraction JSON.

The contract allows added keys. `mcd` keeps what the tables say exactly and the text
only shows: the document's CMS IDs and version, its contractors and their states, the
documents it relates to, and every code group with its paragraph (for claim checks:
which diagnoses go with which codes, and the "must be billed with" rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medpolicy.model import Extraction, Span


@dataclass(slots=True)
class ContractorFacts:
    id: int
    type_id: int
    version: int
    name: str | None
    number: str | None  # the CMS contractor number, e.g. "01112"
    type: str | None  # e.g. "A and B MAC", when the download has contractor_type_lookup
    states: list[str] = field(default_factory=list)


@dataclass(slots=True)
class GroupFacts:
    """One code group: `kind` is "hcpcs", "modifier", "icd10_covered", "icd10_noncovered" or "icd10_pcs"."""

    kind: str
    group: int
    paragraph: str
    codes: list[str]
    asterisk: str | None = None  # covered ICD-10 groups: what the asterisk beside a code means
    flagged: list[str] = field(default_factory=list)  # the codes marked with that asterisk
    spans: list[Span] = field(default_factory=list)  # the group in the text, paragraph to last code
    article: str | None = None  # on an LCD: the billing article the group comes from


@dataclass(slots=True)
class McdFacts:
    kind: str  # "lcd", "article" or "ncd"
    document_id: str  # "L33312", "A52370", or an NCD's manual section
    mcd_id: int  # lcd_id, article_id or NCD_id
    version: int
    article_type: str | None = None
    contractors: list[ContractorFacts] = field(default_factory=list)
    related_lcds: list[str] = field(default_factory=list)
    related_articles: list[str] = field(default_factory=list)
    related_ncds: list[str] = field(default_factory=list)
    groups: list[GroupFacts] = field(default_factory=list)


@dataclass(slots=True)
class McdExtraction(Extraction):
    """An Extraction built from MCD tables; `to_contract()` includes the added `mcd` key."""

    mcd: McdFacts | None = None
