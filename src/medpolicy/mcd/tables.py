"""The Medicare Coverage Database tables medpolicy reads, and the columns it needs from each.

Names follow CMS's data dictionaries for the "current LCDs", "current articles" and
NCD downloads (one CSV file per table, named after the table). `required` columns
must be in the header; `optional` ones are read when present. Column names are
compared case-insensitively (the NCD tables spell them `NCD_id`, `NCD_vrsn_num`, ...),
and columns not listed here are ignored, since CMS adds columns over time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


_LCD = ("lcd_id", "lcd_version")
_ARTICLE = ("article_id", "article_version")
_NCD = ("ncd_id", "ncd_vrsn_num")
_CONTRACTOR = ("contractor_id", "contractor_type_id", "contractor_version")

SPECS: tuple[TableSpec, ...] = (
    # --- LCDs ---------------------------------------------------------------------------------------------
    TableSpec(
        "lcd",
        (*_LCD, "title"),
        (
            "display_id",
            "status",
            "determination_number",
            "orig_det_eff_date",
            "rev_eff_date",
            "rev_end_date",
            "ent_det_end_date",
            "date_retired",
            "last_updated",
            "cms_cov_policy",
            "issue",
            "indication",
            "diagnoses_support",
            "diagnoses_dont_support",
            "coding_guidelines",
            "doc_reqs",
            "util_guide",
            "summary_of_evidence",
            "analysis_of_evidence",
            "bibliography",
            "source_info",
            "appendices",
            "associated_info",
            "keywords",
        ),
    ),
    TableSpec(
        "lcd_x_hcpc_code",
        (*_LCD, "hcpc_code_id", "hcpc_code_group"),
        ("long_description", "short_description"),
    ),
    TableSpec("lcd_x_hcpc_code_group", (*_LCD, "hcpc_code_group"), ("paragraph",)),
    TableSpec("lcd_related_documents", (*_LCD, "r_article_id", "r_lcd_id")),
    TableSpec("lcd_related_ncd_documents", (*_LCD, "r_ncd_id")),
    TableSpec("lcd_x_contractor", (*_LCD, *_CONTRACTOR)),
    TableSpec("lcd_x_primary_jurisdiction", (*_LCD, "state_id")),
    TableSpec("lcd_x_revision_history", (*_LCD, "rev_hist_date", "rev_hist_exp")),
    # --- Articles -----------------------------------------------------------------------------------------
    TableSpec(
        "article",
        (*_ARTICLE, "title"),
        (
            "article_type",
            "display_id",
            "status",
            "article_pub_date",
            "article_eff_date",
            "article_end_date",
            "article_rev_end_date",
            "date_retired",
            "last_updated",
            "description",
            "other_comments",
            "add_icd10_info",
            "cms_cov_policy",
            "keywords",
        ),
    ),
    TableSpec("article_type_lookup", ("article_type_id", "description")),
    TableSpec(
        "article_x_hcpc_code",
        (*_ARTICLE, "hcpc_code_id", "hcpc_code_group"),
        ("long_description", "short_description"),
    ),
    TableSpec("article_x_hcpc_code_group", (*_ARTICLE, "hcpc_code_group"), ("paragraph",)),
    TableSpec(
        "article_x_icd10_covered",
        (*_ARTICLE, "icd10_code_id", "icd10_covered_group"),
        ("description", "sort_order", "asterisk"),
    ),
    TableSpec(
        "article_x_icd10_covered_group",
        (*_ARTICLE, "icd10_covered_group"),
        ("paragraph", "icd10_covered_ast"),
    ),
    TableSpec(
        "article_x_icd10_noncovered",
        (*_ARTICLE, "icd10_code_id", "icd10_noncovered_group"),
        ("description", "sort_order"),
    ),
    TableSpec("article_x_icd10_noncovered_group", (*_ARTICLE, "icd10_noncovered_group"), ("paragraph",)),
    TableSpec(
        "article_x_icd10_pcs_code",
        (*_ARTICLE, "icd10_pcs_code_id", "icd10_pcs_code_group"),
        ("description", "sort_order"),
    ),
    TableSpec("article_x_icd10_pcs_code_group", (*_ARTICLE, "icd10_pcs_code_group"), ("paragraph",)),
    TableSpec(
        "article_x_hcpc_modifier",
        (*_ARTICLE, "hcpc_modifier_code_id", "hcpc_modifier_group"),
        ("description",),
    ),
    TableSpec("article_x_hcpc_modifier_group", (*_ARTICLE, "hcpc_modifier_group"), ("paragraph",)),
    TableSpec("article_x_revenue_code", (*_ARTICLE, "revenue_code_id"), ("description",)),
    TableSpec("article_x_bill_code", (*_ARTICLE, "bill_code_id"), ("description",)),
    TableSpec(
        "article_x_code_table",
        (*_ARTICLE, "code_table_row"),
        (
            "article_type",
            "hcpc_code_id",
            "brand_name",
            "eff_date",
            "end_date",
            "comments",
            "long_description",
            "short_description",
        ),
    ),
    TableSpec("article_related_documents", (*_ARTICLE, "r_lcd_id"), ("r_article_id",)),
    TableSpec("article_related_ncd_documents", (*_ARTICLE, "r_ncd_id")),
    TableSpec("article_x_contractor", (*_ARTICLE, *_CONTRACTOR), ("article_type",)),
    TableSpec("article_x_primary_jurisdiction", (*_ARTICLE, "state_id")),
    TableSpec("article_x_revision_history", (*_ARTICLE, "rev_hist_date", "rev_hist_exp")),
    # --- NCDs ---------------------------------------------------------------------------------------------
    TableSpec(
        "ncd_trkg",
        (*_NCD, "ncd_mnl_sect_title"),
        (
            "ncd_mnl_sect",
            "natl_cvrg_type",
            "cvrg_lvl_cd",
            "ncd_efctv_dt",
            "ncd_impltn_dt",
            "ncd_trmntn_dt",
            "itm_srvc_desc",
            "indctn_lmtn",
            "xref_txt",
            "othr_txt",
            "trnsmtl_num",
            "trnsmtl_issnc_dt",
            "trnsmtl_url",
            "rev_hstry",
            "last_updt_tmstmp",
        ),
    ),
    TableSpec("ncd_trkg_bnft_xref", (*_NCD, "bnft_ctgry_cd")),
    TableSpec("ncd_bnft_ctgry_ref", ("bnft_ctgry_cd", "bnft_ctgry_desc")),
    # --- Shared: contractors and states -------------------------------------------------------------------
    TableSpec(
        "contractor",
        (*_CONTRACTOR, "contractor_bus_name"),
        ("contractor_number", "ignore"),
    ),
    TableSpec("contractor_type_lookup", ("contractor_type_id", "description")),
    TableSpec("contractor_jurisdiction", (*_CONTRACTOR, "state_id"), ("term_date",)),
    TableSpec("state_lookup", ("state_id", "state_abbrev")),
)

SPEC_BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in SPECS}

# The key columns that tie a table's rows to one document version, by document kind.
DOCUMENT_KEYS: dict[str, tuple[str, str]] = {"lcd": _LCD, "article": _ARTICLE, "ncd": _NCD}


def document_kind(spec: TableSpec) -> str | None:
    """ "lcd", "article" or "ncd" when the table's rows belong to documents of that kind, else None."""
    return next((kind for kind, key in DOCUMENT_KEYS.items() if spec.required[:2] == key), None)


def table_name(file_name: str) -> str | None:
    """The table a file holds ("LCD_X_HCPC_CODE.csv" → "lcd_x_hcpc_code"), or None for other files."""
    base = file_name.rsplit("/", 1)[-1]
    if not base.lower().endswith(".csv"):
        return None
    name = base[: -len(".csv")].strip().lower()
    return name if name in SPEC_BY_NAME else None
