"""Writing an MCD document out as readable text, with facts whose spans point into that text.

The text is laid out like the document's page on the Medicare Coverage Database: title,
IDs and dates, contractors, related documents, the narrative sections, then the coding
sections ("CPT/HCPCS Codes", "ICD-10-CM Codes that Support Medical Necessity", ...) with
each group's paragraph above its codes, one code per line ("A9900 Description"). Every
list is sorted, so the same tables always give the same text (and the same sha256). The text's
segments name the table each stretch of lines came from (`Segment.element`, e.g. "article_x_hcpc_code").
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from medpolicy.mcd.csvtable import Row
from medpolicy.mcd.documents import COVERED, NONCOVERED, CodeGroup, CodeRow, McdDocument, iso_date
from medpolicy.mcd.htmltext import html_to_line, html_to_text
from medpolicy.mcd.model import ContractorFacts, GroupFacts, McdExtraction, McdFacts
from medpolicy.model import (
    CodeFact,
    CoveragePosition,
    Dates,
    HistoryEntry,
    RelatedPolicy,
    Section,
    Segment,
    Source,
    Span,
    Text,
)

PAYER = "CMS (Medicare)"
MEDIA_TYPE = "text/plain"
_GROUP_HEADINGS = {
    "hcpcs": "CPT/HCPCS Codes",
    "modifier": "CPT/HCPCS Modifiers",
    COVERED: "ICD-10-CM Codes that Support Medical Necessity",
    NONCOVERED: "ICD-10-CM Codes that DO NOT Support Medical Necessity",
    "icd10_pcs": "ICD-10-PCS Codes",
}
_GROUP_STATUS = {COVERED: "medically_necessary", NONCOVERED: "not_medically_necessary"}
# NCD coverage level codes (cvrg_lvl_cd) as the NCD download's data dictionary defines them.
NCD_COVERAGE_LEVELS = {
    "1": "Full coverage; no special conditions",
    "2": "Restricted coverage",
    "3": "No coverage",
    "4": "Coverage at local MAC discretion",
}
_LCD_SECTIONS = (  # (lcd.csv column, heading, section kind)
    ("issue", "Issue", "description"),
    ("cms_cov_policy", "CMS National Coverage Policy", "related"),
    ("indication", "Coverage Indications, Limitations, and/or Medical Necessity", "policy"),
    ("diagnoses_support", "Diagnoses that Support Medical Necessity", "policy"),
    ("diagnoses_dont_support", "Diagnoses that DO NOT Support Medical Necessity", "policy"),
    ("summary_of_evidence", "Summary of Evidence", "rationale"),
    ("analysis_of_evidence", "Analysis of Evidence (Rationale for Determination)", "rationale"),
    ("coding_guidelines", "Coding Guidelines", "guidance"),
    ("doc_reqs", "Documentation Requirements", "guidance"),
    ("util_guide", "Utilization Guidelines", "guidance"),
    ("source_info", "Sources of Information", "references"),
    ("bibliography", "Bibliography", "references"),
    ("appendices", "Appendices", "boilerplate"),
    ("associated_info", "Associated Information", "guidance"),
)
_ARTICLE_SECTIONS = (
    ("description", "Article Guidance", "guidance"),
    ("other_comments", "Other Comments", "guidance"),
    ("cms_cov_policy", "CMS National Coverage Policy", "related"),
)
_NCD_SECTIONS = (
    ("itm_srvc_desc", "Item/Service Description", "description"),
    ("indctn_lmtn", "Indications and Limitations of Coverage", "policy"),
    ("xref_txt", "Cross Reference", "related"),
    ("othr_txt", "Other Information", "guidance"),
)


@dataclass(frozen=True, slots=True)
class ComposedDocument:
    """A document ready for `Store.add`: its text, where it came from, and its facts."""

    text: Text
    source: Source
    extraction: McdExtraction


class _Writer:
    """Appends lines, keeping spans exact by construction, sections and table-of-origin segments."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._length = 0
        self._segments: list[Segment] = []
        self._sections: list[Section] = []
        self._open: tuple[str, str, int] | None = None

    @property
    def position(self) -> int:
        return self._length

    def line(self, text: str, element: str | None = None) -> Span:
        line = " ".join(text.split())
        start = self._length
        self._parts.append(line + "\n")
        self._starts.append(start)
        self._length += len(line) + 1
        end = start + len(line)
        last = self._segments[-1] if self._segments else None
        if last is not None and last.element == element and last.end + 1 == start:
            last.end = end
        else:
            self._segments.append(Segment(start, end, element=element))
        return start, end

    def block(self, text: str, element: str | None = None) -> Span | None:
        """Several lines (a converted HTML cell); the span from the first line's start to the last's end."""
        spans = [self.line(line, element) for line in text.splitlines() if line.strip()]
        return (spans[0][0], spans[-1][1]) if spans else None

    def slice(self, span: Span) -> str:
        """The text written at `span`."""
        first = bisect_right(self._starts, span[0]) - 1
        last = bisect_right(self._starts, span[1] - 1)
        joined = "".join(self._parts[first:last])
        offset = self._starts[first]
        return joined[span[0] - offset : span[1] - offset]

    def section(self, heading: str, kind: str) -> Span:
        self._close()
        span = self.line(heading)
        self._open = (heading, kind, span[0])
        return span

    def _close(self) -> None:
        if self._open is not None:
            heading, kind, start = self._open
            self._sections.append(Section(heading, kind, [(start, max(start, self._length - 1))]))
            self._open = None

    def finish(self) -> tuple[Text, list[Section]]:
        self._close()
        return Text("".join(self._parts), self._segments), self._sections


@dataclass(slots=True)
class _Facts:
    """Facts gathered while writing: codes keep one entry per (system, code), spans accumulating."""

    mcd: McdFacts
    codes: dict[tuple[str, str], CodeFact] = field(default_factory=dict)
    coverage: list[CoveragePosition] = field(default_factory=list)
    related: list[RelatedPolicy] = field(default_factory=list)

    def code(self, row: CodeRow, span: Span, coverage: str | None) -> None:
        key = (row.system, row.code)
        fact = self.codes.get(key)
        if fact is None:
            self.codes[key] = CodeFact(
                row.system, row.code, row.description or None, "listed", coverage, [span]
            )
            return
        fact.spans.append(span)
        if fact.description is None and row.description:
            fact.description = row.description
        if fact.coverage != coverage:
            fact.coverage = None  # listed both as supporting and as not supporting medical necessity


def compose(document: McdDocument, related: dict[tuple[str, int], McdDocument]) -> ComposedDocument:
    """The text and facts of one document; `related` holds the other documents of the download."""
    writer = _Writer()
    facts = _Facts(
        McdFacts(
            document.kind,
            document.document_id,
            document.id,
            document.version,
            article_type=document.article_type,
        )
    )
    extraction = McdExtraction(payer=PAYER, mcd=facts.mcd)
    if document.kind == "lcd":
        _compose_lcd(document, related, writer, facts, extraction)
    elif document.kind == "article":
        _compose_article(document, related, writer, facts, extraction)
    else:
        _compose_ncd(document, writer, extraction)
    text, sections = writer.finish()
    extraction.sections = sections
    extraction.codes = list(facts.codes.values())
    extraction.coverage = facts.coverage
    extraction.related_policies = facts.related
    if document.base is None:
        base = {"lcd": "lcd.csv", "article": "article.csv", "ncd": "ncd_trkg.csv"}[document.kind]
        extraction.warnings.append(
            f"{base} was not in the download: the title, dates and narrative are unknown"
        )
    path = f"mcd:{document.kind}/{document.document_id if document.kind != 'ncd' else document.id}"
    digest = hashlib.sha256(text.text.encode("utf-8")).hexdigest()
    return ComposedDocument(text, Source(path, digest, MEDIA_TYPE), extraction)


# --- LCDs ---------------------------------------------------------------------------------------------------


def _compose_lcd(
    lcd: McdDocument,
    related: dict[tuple[str, int], McdDocument],
    writer: _Writer,
    facts: _Facts,
    extraction: McdExtraction,
) -> None:
    base = lcd.base
    extraction.doc_type = "lcd"
    extraction.policy_number = lcd.document_id
    extraction.title = _title(base, "title")
    writer.line(extraction.title or f"Local Coverage Determination {lcd.document_id}", "lcd")
    writer.line(f"Local Coverage Determination (LCD): {lcd.document_id}, version {lcd.version}", "lcd")
    writer.line(f"Payer: {PAYER}, Medicare Coverage Database", "lcd")
    if base is not None:
        original = iso_date(base["orig_det_eff_date"])
        revision = iso_date(base["rev_eff_date"])
        updated = iso_date(base["last_updated"])
        extraction.dates = Dates(
            effective=revision or original, last_revised=updated, original_effective=original
        )
        _date_lines(
            writer,
            "lcd",
            (
                ("Original Effective Date", original),
                ("Revision Effective Date", revision),
                ("Revision Ending Date", iso_date(base["rev_end_date"])),
                ("Retirement Date", iso_date(base["date_retired"]) or iso_date(base["ent_det_end_date"])),
                ("Last Updated", updated),
            ),
        )
        if base["determination_number"]:
            writer.line(f"Determination Number: {html_to_line(base['determination_number'])}", "lcd")
    _contractors(lcd, writer, facts)
    _related(lcd, related, writer, facts)
    if base is not None:
        _narrative(writer, base, _LCD_SECTIONS, "lcd")
    _code_groups(lcd, writer, facts)
    _article_codes(lcd, related, writer, facts)
    _history(lcd, writer, extraction, "lcd_x_revision_history")
    if base is not None:
        _narrative(writer, base, (("keywords", "Keywords", "boilerplate"),), "lcd")


def _article_codes(
    lcd: McdDocument, related: dict[tuple[str, int], McdDocument], writer: _Writer, facts: _Facts
) -> None:
    """The CPT/HCPCS codes of the billing articles related to the LCD, each noting its article."""
    articles = [related[("article", a)] for a in sorted(lcd.related_articles) if ("article", a) in related]
    articles = [
        a for a in articles if a.groups_of("hcpcs") or a.groups_of(COVERED) or a.groups_of(NONCOVERED)
    ]
    if not articles:
        return
    writer.section("CPT/HCPCS Codes in Related Billing and Coding Articles", "coding")
    for article in articles:
        title = _title(article.base, "title")
        writer.line(f"Article {article.document_id}" + (f": {title}" if title else ""), "article")
        start = writer.position
        codes: list[str] = []
        for group in article.groups_of("hcpcs"):
            for row in group.codes:
                if row.code in codes:
                    continue
                codes.append(row.code)
                span = _code_line(writer, row, "article_x_hcpc_code")
                facts.code(row, span, None)
        covered = {row.code for group in article.groups_of(COVERED) for row in group.codes}
        noncovered = {row.code for group in article.groups_of(NONCOVERED) for row in group.codes}
        if covered or noncovered:
            writer.line(
                f"ICD-10-CM codes in {article.document_id}: {len(covered)} that support medical necessity, "
                f"{len(noncovered)} that do not",
                "article",
            )
        facts.mcd.groups.append(
            GroupFacts(
                "hcpcs", 0, "", codes, spans=[(start, writer.position - 1)], article=article.document_id
            )
        )


# --- Articles -----------------------------------------------------------------------------------------------


def _compose_article(
    article: McdDocument,
    related: dict[tuple[str, int], McdDocument],
    writer: _Writer,
    facts: _Facts,
    extraction: McdExtraction,
) -> None:
    base = article.base
    is_billing = article.article_type is None or "billing" in article.article_type.lower()
    extraction.doc_type = "billing_article" if is_billing else "other"
    extraction.policy_number = article.document_id
    extraction.title = _title(base, "title")
    kind_name = article.article_type or "Billing and Coding"
    fallback_title = kind_name if kind_name.lower().endswith("article") else f"{kind_name} Article"
    writer.line(extraction.title or f"{fallback_title} {article.document_id}", "article")
    writer.line(f"Medicare Coverage Article: {article.document_id}, version {article.version}", "article")
    writer.line(f"Article Type: {kind_name}", "article")
    writer.line(f"Payer: {PAYER}, Medicare Coverage Database", "article")
    if base is not None:
        effective = iso_date(base["article_eff_date"])
        published = iso_date(base["article_pub_date"])
        updated = iso_date(base["last_updated"])
        extraction.dates = Dates(effective=effective, last_revised=updated, published=published)
        _date_lines(
            writer,
            "article",
            (
                ("Article Effective Date", effective),
                ("Article Published Date", published),
                (
                    "Article Ending Date",
                    iso_date(base["article_end_date"]) or iso_date(base["article_rev_end_date"]),
                ),
                ("Retirement Date", iso_date(base["date_retired"])),
                ("Last Updated", updated),
            ),
        )
    _contractors(article, writer, facts)
    _related(article, related, writer, facts)
    if base is not None:
        _narrative(writer, base, _ARTICLE_SECTIONS, "article")
    _code_groups(article, writer, facts)
    if article.bill_types:
        writer.section("Bill Type Codes", "coding")
        for code, description in article.bill_types:
            writer.line(f"{code} {description}".strip(), "article_x_bill_code")
    if article.revenue_codes:
        writer.section("Revenue Codes", "coding")
        for row in article.revenue_codes:
            facts.code(row, _code_line(writer, row, "article_x_revenue_code"), None)
    if article.code_table:
        _code_table(article, writer, facts)
    if base is not None:
        _narrative(writer, base, (("add_icd10_info", "Additional ICD-10 Information", "coding"),), "article")
    _history(article, writer, extraction, "article_x_revision_history")
    if base is not None:
        _narrative(writer, base, (("keywords", "Keywords", "boilerplate"),), "article")


def _code_table(article: McdDocument, writer: _Writer, facts: _Facts) -> None:
    heading = (
        "Self-Administered Drug Exclusion List"
        if "self" in (article.article_type or "").lower() or "sad" in (article.article_type or "").lower()
        else "Code Table"
    )
    writer.section(heading, "coding")
    for entry in article.code_table:
        details = [
            "; ".join(entry.brand_name.splitlines()),
            "; ".join(entry.comments.splitlines()),
            f"effective {entry.effective}" if entry.effective else "",
            f"ends {entry.ends}" if entry.ends else "",
        ]
        rest = " | ".join(part for part in details if part)
        if entry.code is None:
            writer.line(rest or f"row {entry.row}", "article_x_code_table")
            continue
        line = f"{entry.code.code} {entry.code.description}".strip() + (f" | {rest}" if rest else "")
        start = writer.line(line, "article_x_code_table")[0]
        facts.code(entry.code, (start, start + len(entry.code.code)), None)


# --- NCDs ---------------------------------------------------------------------------------------------------


def _compose_ncd(ncd: McdDocument, writer: _Writer, extraction: McdExtraction) -> None:
    base = ncd.base
    extraction.doc_type = "ncd"
    section = base["ncd_mnl_sect"] if base is not None else ""
    extraction.policy_number = section or None
    extraction.title = _title(base, "ncd_mnl_sect_title")
    writer.line(extraction.title or f"National Coverage Determination {ncd.document_id}", "ncd_trkg")
    kind = "National Coverage Determination (NCD)"
    if base is not None and base["natl_cvrg_type"].lower() in ("false", "n", "0"):
        kind = "Coverage provision in the National Coverage Determinations Manual"
    number = f"{section}, " if section else ""
    writer.line(f"{kind}: {number}NCD ID {ncd.id}, version {ncd.version}", "ncd_trkg")
    writer.line(f"Payer: {PAYER}, Medicare Coverage Database", "ncd_trkg")
    if base is None:
        return
    effective = iso_date(base["ncd_efctv_dt"])
    updated = iso_date(base["last_updt_tmstmp"])
    published = iso_date(base["trnsmtl_issnc_dt"])
    extraction.dates = Dates(effective=effective, last_revised=updated, published=published)
    _date_lines(
        writer,
        "ncd_trkg",
        (
            ("Effective Date", effective),
            ("Implementation Date", iso_date(base["ncd_impltn_dt"])),
            ("Termination Date", iso_date(base["ncd_trmntn_dt"])),
            ("Transmittal Issue Date", published),
            ("Last Updated", updated),
        ),
    )
    if base["trnsmtl_num"]:
        writer.line(f"Transmittal Number: {html_to_line(base['trnsmtl_num'])}", "ncd_trkg")
    if base["trnsmtl_url"]:
        writer.line(f"Transmittal URL: {html_to_line(base['trnsmtl_url'])}", "ncd_trkg")
    level = base["cvrg_lvl_cd"]
    if level:
        meaning = NCD_COVERAGE_LEVELS.get(level)
        writer.line(
            f"Coverage Level: {meaning} ({level})" if meaning else f"Coverage Level: {level}", "ncd_trkg"
        )
    for category in ncd.benefit_categories:
        writer.line(f"Benefit Category: {category}", "ncd_trkg_bnft_xref")
    _narrative(writer, base, _NCD_SECTIONS, "ncd_trkg")
    history = html_to_text(base["rev_hstry"])
    if history:
        writer.section("Transmittal and Revision History", "history")
        writer.block(history, "ncd_trkg")


# --- shared parts -------------------------------------------------------------------------------------------


def _title(base: Row | None, column: str) -> str | None:
    if base is None:
        return None
    return html_to_line(base[column]) or None


def _date_lines(writer: _Writer, element: str, dates: Iterable[tuple[str, str | None]]) -> None:
    for label, value in dates:
        if value:
            writer.line(f"{label}: {value}", element)


def _narrative(writer: _Writer, base: Row, sections: Iterable[tuple[str, str, str]], element: str) -> None:
    for column, heading, kind in sections:
        text = html_to_text(base[column])
        if text:
            writer.section(heading, kind)
            writer.block(text, element)


def _contractors(document: McdDocument, writer: _Writer, facts: _Facts) -> None:
    if not document.contractors:
        return
    writer.section("Contractor Information", "boilerplate")
    table = f"{document.kind}_x_contractor"
    for contractor in document.contractors:
        name = contractor.name or f"Contractor {contractor.id}"
        details = [
            contractor.type or "",
            f"contractor number {contractor.number}" if contractor.number else "",
        ]
        about = ", ".join(d for d in details if d)
        line = name + (f" ({about})" if about else "")
        if contractor.states:
            line += f"; jurisdiction: {', '.join(contractor.states)}"
        writer.line(line, table)
        facts.mcd.contractors.append(
            ContractorFacts(
                contractor.id,
                contractor.type_id,
                contractor.version,
                contractor.name,
                contractor.number,
                contractor.type,
                list(contractor.states),
            )
        )


def _related(
    document: McdDocument, related: dict[tuple[str, int], McdDocument], writer: _Writer, facts: _Facts
) -> None:
    entries: list[tuple[str, str, int]] = (
        [("LCD", "lcd", i) for i in sorted(document.related_lcds)]
        + [("Article", "article", i) for i in sorted(document.related_articles)]
        + [("NCD", "ncd", i) for i in sorted(document.related_ncds)]
    )
    if not entries:
        return
    writer.section("Related Local Coverage Documents", "related")
    for label, kind, number in entries:
        other = related.get((kind, number))
        if kind == "ncd":
            identifier = other.document_id if other is not None else f"NCD ID {number}"
            facts.mcd.related_ncds.append(identifier)
        else:
            identifier = f"{'L' if kind == 'lcd' else 'A'}{number}"
            (facts.mcd.related_lcds if kind == "lcd" else facts.mcd.related_articles).append(identifier)
        title = _title(
            other.base if other is not None else None, "ncd_mnl_sect_title" if kind == "ncd" else "title"
        )
        writer.line(
            f"{label} {identifier}" + (f": {title}" if title else ""), f"{document.kind}_related_documents"
        )
        facts.related.append(RelatedPolicy(identifier, title))


def _code_groups(document: McdDocument, writer: _Writer, facts: _Facts) -> None:
    """The coding sections, and the coverage positions the ICD-10 sections state (see `_position`)."""
    lists_covered = any(group.codes for group in document.groups_of(COVERED))
    for kind, heading in _GROUP_HEADINGS.items():
        groups = document.groups_of(kind)
        if not groups:
            continue
        heading_span = writer.section(heading, "coding")
        table = f"{document.kind}_x_{_TABLE_STEMS[kind]}"
        written = [_code_group(group, writer, facts, table) for group in groups]
        status = _GROUP_STATUS.get(kind)
        # Non-covered groups state a position only in an article listing no covered diagnosis (the
        # service is then not covered at all); elsewhere they list exceptions, their codes carry their status.
        if status is not None and (kind == COVERED or not lists_covered):
            facts.coverage.append(_position(status, heading_span, written, writer))


_TABLE_STEMS = {
    "hcpcs": "hcpc_code",
    "modifier": "hcpc_modifier",
    COVERED: "icd10_covered",
    NONCOVERED: "icd10_noncovered",
    "icd10_pcs": "icd10_pcs_code",
}


@dataclass(frozen=True, slots=True)
class _WrittenGroup:
    number: int
    paragraph: Span | None
    asterisk: Span | None


def _code_group(group: CodeGroup, writer: _Writer, facts: _Facts, table: str) -> _WrittenGroup:
    """A group's paragraph, its codes one per line, and the explanation of its asterisks."""
    start = writer.position
    paragraph_span: Span | None = None
    if group.paragraph:
        writer.line(f"Group {group.number} Paragraph:", f"{table}_group")
        paragraph_span = writer.block(group.paragraph, f"{table}_group")
    if group.codes:
        writer.line(f"Group {group.number} Codes:", table)
    status = _GROUP_STATUS.get(group.kind)
    for row in group.codes:
        span = _code_line(writer, row, table)
        if row.system != "modifier":
            facts.code(row, span, status)
    asterisk_span: Span | None = None
    if group.asterisk:
        writer.line(f"Group {group.number} Asterisk Explanation:", f"{table}_group")
        asterisk_span = writer.block(group.asterisk, f"{table}_group")
    end = writer.position - 1
    facts.mcd.groups.append(
        GroupFacts(
            group.kind,
            group.number,
            group.paragraph,
            [row.code for row in group.codes],
            asterisk=group.asterisk or None,
            flagged=[row.code for row in group.codes if row.flagged],
            spans=[(start, max(start, end))],
        )
    )
    return _WrittenGroup(group.number, paragraph_span, asterisk_span)


def _position(status: str, heading: Span, groups: list[_WrittenGroup], writer: _Writer) -> CoveragePosition:
    """One position per ICD-10 section, so every code of the section takes it as its statement.

    The store gives a code the statement of the nearest position with the code's status; one
    position per group would hand the codes at the end of a long group the next group's
    paragraph. A section of one group states its paragraph (its asterisk note as a criterion);
    a section of several states its heading, each group's paragraph and note a criterion.
    (The `mcd` key keeps every group with its own codes.)
    """
    if len(groups) == 1:
        [group] = groups
        statement = group.paragraph or heading
        criteria = [writer.slice(group.asterisk)] if group.asterisk is not None else []
        return CoveragePosition(status, writer.slice(statement), None, criteria, [statement])
    criteria = []
    for group in groups:
        for part in (group.paragraph, group.asterisk):
            if part is not None:
                criteria.append(f"Group {group.number}: {' '.join(writer.slice(part).split())}")
    return CoveragePosition(status, writer.slice(heading), None, criteria, [heading])


def _code_line(writer: _Writer, row: CodeRow, table: str) -> Span:
    code = row.code + ("*" if row.flagged else "")
    start = writer.line(f"{code} {row.description}".strip(), table)[0]
    return start, start + len(row.code)


def _history(document: McdDocument, writer: _Writer, extraction: McdExtraction, table: str) -> None:
    if not document.history:
        return
    writer.section("Revision History", "history")
    for day, text in document.history:
        lines = text.splitlines()
        writer.line(f"{day or 'Undated'}: {lines[0]}", table)
        for more in lines[1:]:
            writer.line(more, table)
        extraction.history.append(HistoryEntry(day, " ".join(lines)))
