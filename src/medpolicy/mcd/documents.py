"""From MCD tables to documents: one LCD, billing article or NCD each, at its latest version.

Every table row belongs to one version of one document (`lcd_id`/`lcd_version`,
`article_id`/`article_version`, `NCD_id`/`NCD_vrsn_num`). The base table (`lcd.csv`,
`article.csv`, `ncd_trkg.csv`) says which documents exist and their current version;
without it, the highest version any table holds is taken, and a document is built
when that version has content (codes or code-group paragraphs). Rows of other versions,
proposed or retired documents and codes that are not well formed are skipped, and each
skip is counted with its reason. Nothing here writes: the result is plain data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from medpolicy.codes import normalize
from medpolicy.codes.errors import CodeError
from medpolicy.mcd.csvtable import Row, Table
from medpolicy.mcd.htmltext import html_to_line, html_to_text
from medpolicy.mcd.tables import DOCUMENT_KEYS, SPEC_BY_NAME, document_kind

BASE_TABLES = {"lcd": "lcd", "article": "article", "ncd": "ncd_trkg"}
# Tables that relate a document to others or describe it, but are no content of their own.
_ANCILLARY_TABLES = frozenset(
    {
        "lcd_related_documents",
        "lcd_related_ncd_documents",
        "lcd_x_contractor",
        "lcd_x_primary_jurisdiction",
        "lcd_x_revision_history",
        "article_related_documents",
        "article_related_ncd_documents",
        "article_x_contractor",
        "article_x_primary_jurisdiction",
        "article_x_revision_history",
        "ncd_trkg_bnft_xref",
    }
)
_KIND_NAMES = {"lcd": "LCD", "article": "article", "ncd": "NCD"}
# Each table tied to documents -> its (document id column, version column).
_KEY_COLUMNS = {
    spec.name: DOCUMENT_KEYS[kind]
    for spec in SPEC_BY_NAME.values()
    if (kind := document_kind(spec)) is not None
}
COVERED = "icd10_covered"
NONCOVERED = "icd10_noncovered"


@dataclass(slots=True)
class Skips:
    """Rows and documents left out, counted by reason, with the first place each reason occurred."""

    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)

    def add(self, reason: str, where: str | None = None) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        if where is not None:
            self.first.setdefault(reason, where)


@dataclass(slots=True)
class CodeRow:
    system: str
    code: str
    description: str
    flagged: bool = False  # an asterisk: the group's explanation applies to this code


@dataclass(slots=True)
class CodeGroup:
    """A numbered section of codes with the paragraph the contractor wrote above it."""

    kind: str  # "hcpcs", "icd10_covered", "icd10_noncovered", "icd10_pcs", "modifier"
    number: int
    paragraph: str
    codes: list[CodeRow] = field(default_factory=list)
    asterisk: str = ""  # covered ICD-10 groups: what the asterisk next to a code means


@dataclass(slots=True)
class CodeTableRow:
    """A row of an article's code table (self-administered drug exclusion lists)."""

    row: int
    code: CodeRow | None
    brand_name: str
    effective: str | None
    ends: str | None
    comments: str


@dataclass(slots=True)
class Contractor:
    id: int
    type_id: int
    version: int
    name: str | None
    number: str | None
    type: str | None
    states: list[str] = field(default_factory=list)


@dataclass(slots=True)
class McdDocument:
    """One document's data at its current version, before it is written out as text."""

    kind: str  # "lcd", "article", "ncd"
    id: int
    version: int
    base: Row | None = None  # its row of lcd.csv / article.csv / ncd_trkg.csv, when the download has it
    groups: list[CodeGroup] = field(default_factory=list)
    code_table: list[CodeTableRow] = field(default_factory=list)
    revenue_codes: list[CodeRow] = field(default_factory=list)
    bill_types: list[tuple[str, str]] = field(default_factory=list)
    related_lcds: set[int] = field(default_factory=set)
    related_articles: set[int] = field(default_factory=set)
    related_ncds: set[int] = field(default_factory=set)
    contractors: list[Contractor] = field(default_factory=list)
    history: list[tuple[str | None, str]] = field(default_factory=list)
    article_type: str | None = None
    benefit_categories: list[str] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        """The ID CMS shows: L33312, A52370; NCDs go by their manual section (220.6.17) or NCD ID."""
        if self.kind == "lcd":
            return f"L{self.id}"
        if self.kind == "article":
            return f"A{self.id}"
        section = self.base["ncd_mnl_sect"] if self.base is not None else ""
        return section or f"NCD {self.id}"

    def groups_of(self, kind: str) -> list[CodeGroup]:
        return [group for group in self.groups if group.kind == kind]


@dataclass(slots=True)
class Assembly:
    documents: dict[tuple[str, int], McdDocument]
    skipped_rows: Skips
    skipped_documents: Skips
    notes: list[str]

    def of_kind(self, kind: str) -> list[McdDocument]:
        return sorted((d for (k, _), d in self.documents.items() if k == kind), key=lambda d: d.id)


def assemble(tables: dict[str, Table]) -> Assembly:
    """The documents the tables describe, each at its current version."""
    return _Assembler(tables).run()


class _Assembler:
    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.rows = Skips()
        self.docs = Skips()
        self.notes: list[str] = []
        self.documents: dict[tuple[str, int], McdDocument] = {}
        self.selected: dict[str, dict[int, list[Row]]] = {}
        self.contractors = self._contractor_index()
        self.contractor_types = self._lookup("contractor_type_lookup", "contractor_type_id", "description")
        self.states = self._lookup("state_lookup", "state_id", "state_abbrev")
        self.jurisdictions = self._jurisdictions()

    def run(self) -> Assembly:
        for kind in DOCUMENT_KEYS:
            self._choose_versions(kind)
        for name in sorted(self.tables):
            spec = SPEC_BY_NAME[name]
            if document_kind(spec) is not None and name not in BASE_TABLES.values():
                self.selected[name] = self._rows_by_document(name)
        self._fill_articles()
        self._fill_lcds()
        self._fill_ncds()
        return Assembly(self.documents, self.rows, self.docs, self.notes)

    # --- which documents, at which version ------------------------------------------------------------

    def _choose_versions(self, kind: str) -> None:
        base = BASE_TABLES[kind]
        if base in self.tables:
            self._versions_from_base(kind, self.tables[base])
            return
        key_tables = sorted(n for n in self.tables if document_kind(SPEC_BY_NAME[n]) == kind)
        latest: dict[int, int] = {}
        for name in key_tables:
            for row in self.tables[name].rows:
                ids = self._ids(name, row, count=False)
                if ids is not None and ids[1] > latest.get(ids[0], -1):
                    latest[ids[0]] = ids[1]
        with_content: set[int] = set()
        for name in key_tables:
            if name in _ANCILLARY_TABLES:
                continue
            for row in self.tables[name].rows:
                ids = self._ids(name, row, count=False)
                if ids is not None and latest.get(ids[0]) == ids[1] and _has_content(name, row):
                    with_content.add(ids[0])
        for doc_id in sorted(with_content):
            self.documents[(kind, doc_id)] = McdDocument(kind, doc_id, latest[doc_id])
        if with_content:
            self.notes.append(
                f"{base}.csv is not in the download: {len(with_content)} {_KIND_NAMES[kind]}(s) built from "
                "the other tables, without title, dates or text"
            )

    def _versions_from_base(self, kind: str, table: Table) -> None:
        name = table.spec.name
        best: dict[int, tuple[int, Row]] = {}
        for row in table.rows:
            ids = self._ids(name, row)
            if ids is None:
                continue
            held = best.get(ids[0])
            if held is not None and held[0] >= ids[1]:
                self.rows.add(f"{name}: an older version of the document", row.where())
                continue
            if held is not None:
                self.rows.add(f"{name}: an older version of the document", held[1].where())
            best[ids[0]] = (ids[1], row)
        for doc_id, (version, row) in sorted(best.items()):
            reason = _not_in_effect(kind, row, table)
            if reason is not None:
                self.docs.add(reason, row.where())
                continue
            self.documents[(kind, doc_id)] = McdDocument(kind, doc_id, version, base=row)

    def _ids(self, table: str, row: Row, count: bool = True) -> tuple[int, int] | None:
        id_column, version_column = _KEY_COLUMNS[table]
        doc_id, version = _number(row[id_column]), _number(row[version_column])
        if doc_id is None or version is None:
            if count:
                self.rows.add(f"{table}: {id_column} or {version_column} is not a whole number", row.where())
            return None
        return doc_id, version

    def _rows_by_document(self, name: str) -> dict[int, list[Row]]:
        """The table's rows of each imported document's current version (duplicates dropped)."""
        kind = document_kind(SPEC_BY_NAME[name]) or ""
        label = BASE_TABLES[kind] + ".csv"
        found: dict[int, dict[tuple[str, ...], Row]] = defaultdict(dict)
        for row in self.tables[name].rows:
            ids = self._ids(name, row)
            if ids is None:
                continue
            document = self.documents.get((kind, ids[0]))
            if document is None:
                if BASE_TABLES[kind] in self.tables:
                    self.rows.add(
                        f"{name}: its document is not imported (not in {label}, or not in effect)",
                        row.where(),
                    )
                else:
                    self.rows.add(
                        f"{name}: its document has no codes or paragraphs at this version", row.where()
                    )
            elif ids[1] != document.version:
                self.rows.add(f"{name}: a version other than the document's current one", row.where())
            else:
                found[ids[0]].setdefault(row.key(), row)
        return {doc_id: list(rows.values()) for doc_id, rows in found.items()}

    def _rows(self, table: str, document: McdDocument) -> list[Row]:
        return self.selected.get(table, {}).get(document.id, [])

    # --- articles ---------------------------------------------------------------------------------------

    def _fill_articles(self) -> None:
        types = self._lookup("article_type_lookup", "article_type_id", "description")
        for (kind, _), document in sorted(self.documents.items()):
            if kind != "article":
                continue
            self._fill_code_groups(document, "article")
            self._fill_article_type(document, types)
            for row in self._rows("article_x_code_table", document):
                document.code_table.append(self._code_table_row(row))
            document.code_table.sort(key=lambda r: r.row)
            for row in self._rows("article_x_revenue_code", document):
                code = self._code(row, "article_x_revenue_code", "revenue_code_id", "REV", "description")
                if code is not None:
                    document.revenue_codes.append(code)
            document.revenue_codes.sort(key=lambda c: c.code)
            document.bill_types = sorted(
                {
                    (row["bill_code_id"], html_to_line(row["description"]))
                    for row in self._rows("article_x_bill_code", document)
                    if row["bill_code_id"]
                }
            )
            for row in self._rows("article_related_documents", document):
                _add_number(document.related_lcds, row["r_lcd_id"])
                _add_number(document.related_articles, row["r_article_id"])
            for row in self._rows("article_related_ncd_documents", document):
                _add_number(document.related_ncds, row["r_ncd_id"])
            self._fill_common(document, "article")
        # Links are stated on either side: an LCD naming an article relates the article to it too.
        for lcd in self._documents("lcd"):
            for row in self._rows("lcd_related_documents", lcd):
                article_id = _number(row["r_article_id"])
                if article_id is not None and ("article", article_id) in self.documents:
                    self.documents[("article", article_id)].related_lcds.add(lcd.id)
        for article in self._documents("article"):
            article.related_articles.discard(article.id)

    def _fill_article_type(self, document: McdDocument, types: dict[str, str]) -> None:
        candidates = [document.base["article_type"]] if document.base is not None else []
        for table in ("article_x_contractor", "article_x_code_table"):
            if table in self.tables and self.tables[table].has("article_type"):
                candidates.extend(row["article_type"] for row in self._rows(table, document))
        type_id = next((c for c in candidates if c), None)
        if type_id is not None:
            document.article_type = types.get(type_id, f"article type {type_id}")

    def _code_table_row(self, row: Row) -> CodeTableRow:
        code = None
        if row["hcpc_code_id"]:
            code = self._code(
                row, "article_x_code_table", "hcpc_code_id", "HCPCS", "long_description", "short_description"
            )
        return CodeTableRow(
            _number(row["code_table_row"]) or 0,
            code,
            html_to_text(row["brand_name"]),
            iso_date(row["eff_date"]),
            iso_date(row["end_date"]),
            html_to_text(row["comments"]),
        )

    # --- LCDs -------------------------------------------------------------------------------------------

    def _fill_lcds(self) -> None:
        articles_by_lcd: dict[int, set[int]] = defaultdict(set)
        for article in self._documents("article"):
            for lcd_id in article.related_lcds:
                articles_by_lcd[lcd_id].add(article.id)
        for lcd in self._documents("lcd"):
            self._fill_code_groups(lcd, "lcd")
            for row in self._rows("lcd_related_documents", lcd):
                _add_number(lcd.related_articles, row["r_article_id"])
                _add_number(lcd.related_lcds, row["r_lcd_id"])
            for row in self._rows("lcd_related_ncd_documents", lcd):
                _add_number(lcd.related_ncds, row["r_ncd_id"])
            lcd.related_articles.update(articles_by_lcd.get(lcd.id, ()))
            lcd.related_lcds.discard(lcd.id)
            self._fill_common(lcd, "lcd")

    # --- NCDs -------------------------------------------------------------------------------------------

    def _fill_ncds(self) -> None:
        categories = self._lookup("ncd_bnft_ctgry_ref", "bnft_ctgry_cd", "bnft_ctgry_desc")
        for ncd in self._documents("ncd"):
            codes = sorted({row["bnft_ctgry_cd"] for row in self._rows("ncd_trkg_bnft_xref", ncd)})
            ncd.benefit_categories = [
                categories.get(code, f"benefit category {code}") for code in codes if code
            ]

    # --- shared parts -----------------------------------------------------------------------------------

    def _documents(self, kind: str) -> list[McdDocument]:
        return [d for (k, _), d in sorted(self.documents.items()) if k == kind]

    def _lookup(self, table: str, key: str, value: str) -> dict[str, str]:
        if table not in self.tables:
            return {}
        return {row[key]: html_to_line(row[value]) for row in self.tables[table].rows if row[key]}

    def _fill_code_groups(self, document: McdDocument, prefix: str) -> None:
        kinds: list[tuple[str, str, str, str, tuple[str, ...]]] = [
            ("hcpcs", "hcpc_code", "hcpc_code_id", "HCPCS", ("long_description", "short_description")),
        ]
        if prefix == "article":
            kinds += [
                (COVERED, "icd10_covered", "icd10_code_id", "ICD-10-CM", ("description",)),
                (NONCOVERED, "icd10_noncovered", "icd10_code_id", "ICD-10-CM", ("description",)),
                ("icd10_pcs", "icd10_pcs_code", "icd10_pcs_code_id", "ICD-10-PCS", ("description",)),
                ("modifier", "hcpc_modifier", "hcpc_modifier_code_id", "modifier", ("description",)),
            ]
        for group_kind, stem, code_column, system, descriptions in kinds:
            group_column = "hcpc_modifier_group" if group_kind == "modifier" else f"{stem}_group"
            code_table = f"{prefix}_x_{stem}"
            sorted_by_column = "sort_order" in SPEC_BY_NAME[code_table].columns
            groups: dict[int, CodeGroup] = {}
            for row in self._rows(f"{code_table}_group", document):
                number = _number(row[group_column]) or 0
                group = groups.setdefault(number, CodeGroup(group_kind, number, ""))
                group.paragraph = html_to_text(row["paragraph"])
                if group_kind == COVERED:
                    group.asterisk = html_to_text(row["icd10_covered_ast"])
            ordered: list[tuple[tuple[int, str], int, CodeRow]] = []
            for row in self._rows(code_table, document):
                code = self._code(row, code_table, code_column, system, *descriptions)
                if code is None:
                    continue
                code.flagged = group_kind == COVERED and row["asterisk"].upper() == "Y"
                number = _number(row[group_column]) or 0
                groups.setdefault(number, CodeGroup(group_kind, number, ""))
                order = _number(row["sort_order"]) if sorted_by_column else None
                ordered.append(((order if order is not None else 1 << 30, code.code), number, code))
            seen: set[tuple[int, str]] = set()
            for _, number, code in sorted(ordered, key=lambda item: item[0]):
                if (number, code.code) not in seen:
                    seen.add((number, code.code))
                    groups[number].codes.append(code)
            document.groups.extend(
                group
                for _, group in sorted(groups.items())
                if group.codes or group.paragraph or group.asterisk
            )

    def _code(self, row: Row, table: str, column: str, system: str, *descriptions: str) -> CodeRow | None:
        raw = row[column]
        if not raw:
            self.rows.add(f"{table}: the {column} cell is blank", row.where())
            return None
        description = next((_description(row[d]) for d in descriptions if row[d]), "")
        if system == "modifier":
            code = raw.upper()
            if not (len(code) == 2 and code.isalnum()):
                self.rows.add(f"{table}: not a two-character modifier", row.where())
                return None
            return CodeRow("modifier", code, description)
        found = _normalized(raw, system)
        if found is None:
            self.rows.add(f"{table}: not a well-formed {system} code", row.where())
            return None
        return CodeRow(found[0], found[1], description)

    def _fill_common(self, document: McdDocument, prefix: str) -> None:
        """Contractors with their states, and revision history."""
        states = self.states
        keys = sorted(
            {k for k in (_contractor_key(row) for row in self._rows(f"{prefix}_x_contractor", document)) if k}
        )
        for key in keys:
            row = self.contractors.get(key)
            if row is not None and row["ignore"].upper() == "Y":
                continue
            document.contractors.append(
                Contractor(
                    *key,
                    name=html_to_line(row["contractor_bus_name"]) if row is not None else None,
                    number=(row["contractor_number"] or None) if row is not None else None,
                    type=self.contractor_types.get(str(key[1])),
                )
            )
        primary = sorted(
            {
                states.get(r["state_id"], r["state_id"])
                for r in self._rows(f"{prefix}_x_primary_jurisdiction", document)
                if r["state_id"]
            }
        )
        if len(document.contractors) == 1 and primary:
            document.contractors[0].states = primary
        else:
            for contractor in document.contractors:
                ids = self.jurisdictions.get((contractor.id, contractor.type_id, contractor.version), [])
                contractor.states = sorted({states.get(state, state) for state in ids})
        for row in self._rows(f"{prefix}_x_revision_history", document):
            text = html_to_text(row["rev_hist_exp"])
            if text:
                document.history.append((iso_date(row["rev_hist_date"]), text))
        document.history.sort(key=lambda entry: (entry[0] or "", entry[1]), reverse=True)

    def _contractor_index(self) -> dict[tuple[int, int, int], Row]:
        if "contractor" not in self.tables:
            return {}
        index: dict[tuple[int, int, int], Row] = {}
        for row in self.tables["contractor"].rows:
            key = _contractor_key(row)
            if key is not None:
                index.setdefault(key, row)
        return index

    def _jurisdictions(self) -> dict[tuple[int, int, int], list[str]]:
        if "contractor_jurisdiction" not in self.tables:
            return {}
        current: dict[tuple[int, int, int], list[str]] = defaultdict(list)
        for row in self.tables["contractor_jurisdiction"].rows:
            key = _contractor_key(row)
            if key is not None and row["state_id"] and not row["term_date"]:
                current[key].append(row["state_id"])
        return current


def _contractor_key(row: Row) -> tuple[int, int, int] | None:
    parts = (
        _number(row["contractor_id"]),
        _number(row["contractor_type_id"]),
        _number(row["contractor_version"]),
    )
    if parts[0] is None or parts[1] is None or parts[2] is None:
        return None
    return parts[0], parts[1], parts[2]


def _not_in_effect(kind: str, row: Row, table: Table) -> str | None:
    """Why a document's current version is not imported, or None."""
    if table.has("display_id") and row["display_id"]:
        return {"lcd": "proposed LCD (not final)", "article": "draft article (not final)"}.get(kind, "draft")
    if table.has("status") and row["status"].upper() == "R":
        return f"retired {'LCD' if kind == 'lcd' else kind}"
    if kind == "ncd" and table.has("ncd_trmntn_dt") and row["ncd_trmntn_dt"]:
        return "terminated NCD (NCD_trmntn_dt is set)"
    return None


def _has_content(table: str, row: Row) -> bool:
    """Whether a row gives a document something to show: a code, a code-table row or a paragraph."""
    if table.endswith("_group"):
        return any(row[c] for c in ("paragraph", "icd10_covered_ast") if c in SPEC_BY_NAME[table].columns)
    return True


# Ids, versions, codes and descriptions repeat across rows and documents: each is parsed once.
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def _description(cell: str) -> str:
    return html_to_line(cell)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalized(raw: str, system: str) -> tuple[str, str] | None:
    try:
        return normalize(raw, system)
    except CodeError:
        return None


@lru_cache(maxsize=_CACHE_SIZE)
def _number(text: str) -> int | None:
    value = text.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return int(value) if value.isdigit() else None


def _add_number(into: set[int], text: str) -> None:
    value = _number(text)
    if value:
        into.add(value)


def iso_date(text: str) -> str | None:
    """'2019-10-01 00:00:00' or '10/01/2019' → '2019-10-01'; None when blank or not a date."""
    value = text.strip()
    if len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        day = value[:10]
        return day if day[5:7].isdigit() and day[8:10].isdigit() and _valid(day) else None
    parts = value.split(" ")[0].split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        day = f"{parts[2]}-{int(parts[0]):02d}-{int(parts[1]):02d}"
        return day if _valid(day) else None
    return None


def _valid(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True
