"""The per-code report: what the code is, how it is billed, and what every payer's policy says about it.

Every sentence is generated from stored facts: policies naming the code (`Store.code`),
the facts of their current versions that the report cites (`loader`, in bulk), the version
changes of the policies that name or named the code, imported catalogs and fee schedules,
and the offline code-set data. Where the store has nothing,
the report says `NOT_AVAILABLE`; it never fills a gap.

Offline code-set facts (system, category, the section of the code set and the service
family it implies; ICD descriptions and hierarchy) are shown even for a code no document
names: they are data medpolicy ships, each labelled with its source.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from medpolicy.api import Store
from medpolicy.codes import (
    CodeError,
    CodeInfo,
    describe_offline,
    lookup_descriptions,
    lookup_fees,
    modifiers_for,
)
from medpolicy.codes.catalog import Fee
from medpolicy.codes.families import CPT_SECTIONS, HCPCS_SECTIONS
from medpolicy.errors import QueryError
from medpolicy.labels import status_label
from medpolicy.payers import canonical_payer, payer_key
from medpolicy.query.matrix import cell_status
from medpolicy.query.results import (
    NOT_STATED,
    CodeLookup,
    CodePolicy,
    StoredPosition,
)
from medpolicy.report.changes import change_entries, code_change_lines
from medpolicy.report.citations import SourceRegistry
from medpolicy.report.loader import CurrentVersion, payer_names, policies_ever_listing
from medpolicy.report.model import (
    NOT_AVAILABLE,
    BillingOverview,
    ChangeEntry,
    Citation,
    ClinicalSpecifications,
    ClinicalStatement,
    CodeReport,
    CoverageRow,
    DescriptionEntry,
    Fact,
    FeeRow,
    HierarchyCode,
    ModifierNote,
    PayerCoverage,
    PayerStatus,
    StoreSummary,
)
from medpolicy.report.related import related_codes
from medpolicy.report.stamp import generated_at, store_summary
from medpolicy.report.wording import join_names, plural, shorten, status_rank

NON_POLICY_DOC_TYPES = ("code_page", "coverage_summary", "other")
CODE_SET_SOURCE = "Code-set structure (public numbering of the code system; medpolicy offline data)"
MODIFIER_SOURCE = "medpolicy modifier notes: general guidance by code family, not a payer's rule"


def code_report(store: Store, code: str, payer: str | None = None) -> CodeReport:
    """The report for `code`, from every current policy naming it (only `payer`'s when given)."""
    lookup = store.code(code)
    offline = _offline(lookup)
    if offline is None and not lookup.policies:
        raise QueryError(
            f"{code!r} is not a billing code medpolicy recognises and no stored document names it"
        )
    payer_name, payer_in_store = _payer_filter(store, payer)
    system = lookup.system or (offline.system if offline else None)
    registry = SourceRegistry(store)
    found = [p for p in lookup.policies if payer_name is None or payer_key(p.payer) == payer_key(payer_name)]
    registry.load([*(p.policy_id for p in found), *(d.policy_id for d in lookup.descriptions)])
    policies = [p for p in found if is_payer_policy(p)]
    others = [p for p in found if not is_payer_policy(p)]
    rows = [_coverage_row(registry, p) for p in policies]
    other_rows = [_coverage_row(registry, p) for p in others]
    by_payer = _payer_statuses(policies)
    fees = lookup_fees(store.engine, lookup.code) if system in ("CPT", "HCPCS") else []
    modifiers = modifiers_for(system or "", lookup.code)
    descriptions = _descriptions(store, registry, lookup, system, offline)
    naming = {p.policy_id for p in found}
    changes = change_entries(
        store,
        registry,
        lambda change: code_change_lines(change, lookup.code, system, change.policy_id in naming),
        naming | policies_ever_listing(store.engine, lookup.code, payer_name),
    )
    related = related_codes(store.engine, registry, lookup.code, system, (p.policy_id for p in found))
    held = store_summary(store)
    named_payers = sorted({p.payer for p in policies if p.payer}, key=str.casefold)
    report_title = f"{system} {lookup.code}" if system else lookup.code
    return CodeReport(
        code=lookup.code,
        system=system,
        title=report_title,
        generated_at=generated_at(),
        payer_filter=payer_name,
        store=held,
        summary=_summary(
            report_title, payer_name, rows, by_payer, named_payers, other_rows, changes, held, payer_in_store
        ),
        overview=BillingOverview(system, lookup.code, _code_facts(system, offline, fees), descriptions),
        clinical=ClinicalSpecifications(
            _clinical_statements(registry, policies),
            [ModifierNote(m.code, m.system, m.meaning, m.when) for m in modifiers],
            MODIFIER_SOURCE,
        ),
        coverage=PayerCoverage(rows, by_payer, other_rows),
        fees=[_fee_row(fee) for fee in fees],
        related=related,
        hierarchy=_hierarchy(offline),
        changes=changes,
        sources=registry.sources(),
        reference_data=_reference_data(offline, descriptions, fees, bool(modifiers)),
    )


def _offline(lookup: CodeLookup) -> CodeInfo | None:
    """The shipped code-set facts for the code, or None when it is no code medpolicy knows."""
    try:
        return describe_offline(lookup.code, lookup.system)
    except CodeError:
        return None


def _payer_filter(store: Store, payer: str | None) -> tuple[str | None, bool]:
    """(the payer's name as the store spells it, whether the store holds any of its policies)."""
    if payer is None:
        return None, True
    name = canonical_payer(payer)
    if name is None:
        raise QueryError(f"payer: {payer!r} is not a payer name")
    spellings = {payer_key(stored): stored for stored in payer_names(store.engine)}
    return spellings.get(payer_key(name), name), payer_key(name) in spellings


def is_payer_policy(found: CodePolicy) -> bool:
    """A payer's policy, as opposed to a code page or summary that names no payer."""
    return found.payer is not None or found.doc_type not in NON_POLICY_DOC_TYPES


def payer_label(found: CodePolicy) -> str:
    """The payer, or for a policy that does not state it, what identifies the policy."""
    if found.payer:
        return found.payer
    named = shorten(found.policy_number or found.title, 40) or f"policy #{found.policy_id}"
    return f"Payer not stated ({named})"


def _payer_statuses(policies: list[CodePolicy]) -> list[PayerStatus]:
    """Each payer's overall status (aliases merged), by name; each policy without a payer stands alone."""
    groups: dict[str, tuple[str, list[CodePolicy]]] = {}
    for found in policies:
        key = payer_key(found.payer) if found.payer else f"#{found.policy_id}"
        groups.setdefault(key, (payer_label(found), []))[1].append(found)
    return [
        PayerStatus(
            label,
            cell_status(members, True),
            len(members),
            dict(Counter(p.status or NOT_STATED for p in members)),
        )
        for label, members in sorted(groups.values(), key=lambda group: group[0].casefold())
    ]


# --- payer coverage and clinical context ---------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def position_for(version: CurrentVersion, found: CodePolicy) -> StoredPosition | None:
    """The coverage position behind the policy's status for the code, when it is one of its positions."""
    if found.statement is None:
        return None
    span = found.statement_span
    if span is not None:
        for position in version.coverage:
            if any(_overlaps(span, s) for s in position.spans):
                return position
    wanted = " ".join(found.statement.split())
    return next((p for p in version.coverage if " ".join(p.statement.split()) == wanted), None)


def _coverage_row(registry: SourceRegistry, found: CodePolicy) -> CoverageRow:
    version = registry.version(found.policy_id)
    position = position_for(version, found)
    return CoverageRow(
        payer=found.payer,
        payer_label=payer_label(found),
        policy_id=found.policy_id,
        policy_number=found.policy_number,
        title=found.title,
        doc_type=found.doc_type,
        status=found.status or NOT_STATED,
        effective=found.effective,
        matched=found.matched,
        code_range=found.range,
        role=found.role,
        statement=found.statement,
        applies_to=position.applies_to if position else None,
        criteria=list(position.criteria) if position else [],
        citation=registry.cite(found.policy_id, found.statement_span or found.span),
    )


def _clinical_statements(registry: SourceRegistry, policies: list[CodePolicy]) -> list[ClinicalStatement]:
    """The positions behind each policy's status for the code.

    When a policy ties no single statement to the code (its positions disagree, or it
    states none for it), every position the policy states is quoted: together they govern it.
    """
    statements: list[ClinicalStatement] = []
    seen: set[tuple[int, str]] = set()
    for found in sorted(policies, key=lambda p: payer_label(p).casefold()):
        version = registry.version(found.policy_id)
        position = position_for(version, found)
        if position is not None:
            chosen = [position]
        elif found.statement is not None:
            spans = [found.statement_span] if found.statement_span else []
            chosen = [StoredPosition(found.status or NOT_STATED, found.statement, None, [], spans)]
        else:
            chosen = list(version.coverage)
        for item in chosen:
            key = (found.policy_id, " ".join(item.statement.split()))
            if key in seen:
                continue
            seen.add(key)
            span = item.spans[0] if item.spans else None
            statements.append(
                ClinicalStatement(
                    item.status,
                    item.applies_to,
                    item.statement,
                    list(item.criteria),
                    registry.cite(found.policy_id, span),
                )
            )
    return statements


# --- billing code overview -----------------------------------------------------------------------------


def _descriptions(
    store: Store, registry: SourceRegistry, lookup: CodeLookup, system: str | None, offline: CodeInfo | None
) -> list[DescriptionEntry]:
    """Imported catalog descriptions, then the offline code sets', then those documents give."""
    entries = [
        DescriptionEntry(d.text, d.kind, d.source)
        for d in (lookup_descriptions(store.engine, system, lookup.code) if system else [])
    ]
    entries += [DescriptionEntry(d.text, d.kind, d.source) for d in (offline.descriptions if offline else [])]
    by_text: dict[str, tuple[str, list[Citation]]] = {}
    for given in lookup.descriptions:
        text = " ".join(given.description.split())
        by_text.setdefault(text.casefold(), (text, []))[1].append(registry.cite(given.policy_id, given.span))
    for text, citations in by_text.values():
        count = len({c.source for c in citations})
        entries.append(
            DescriptionEntry(text, "document", f"As given in {plural(count, 'document')}", citations)
        )
    return entries


def _code_facts(system: str | None, offline: CodeInfo | None, fees: list[Fee]) -> list[Fact]:
    if offline is None:
        source = "Stored documents" if system else None
        return [
            Fact("Code system", system or NOT_AVAILABLE, source),
            Fact("Category", NOT_AVAILABLE, None),
            Fact("Code-set section / range", NOT_AVAILABLE, None),
            Fact("Service type", NOT_AVAILABLE, None),
            Fact("Typical site of service", *_site_of_service(fees)),
        ]
    facts = [
        Fact("Code system", offline.system, CODE_SET_SOURCE),
        Fact("Category", offline.category or NOT_AVAILABLE, CODE_SET_SOURCE if offline.category else None),
        Fact("Code-set section / range", *_family(offline)),
        Fact("Service type", *_service_type(offline)),
    ]
    if offline.billable is not None:
        source = offline.descriptions[0].source if offline.descriptions else CODE_SET_SOURCE
        billable = "Yes" if offline.billable else "No: a heading; claims need a more specific code"
        facts.append(Fact("Billable", billable, source))
    facts.append(Fact("Typical site of service", *_site_of_service(fees)))
    return facts


def _family(info: CodeInfo) -> tuple[str, str | None]:
    """The part of the code set the code sits in, with its numbering range where one is public."""
    if info.system == "CPT" and info.code.isdigit():
        number = int(info.code)
        for first, last, section in CPT_SECTIONS:
            if first <= number <= last:
                return f"{section} ({first:05d}–{last:05d})", CODE_SET_SOURCE
    if info.system == "HCPCS":
        letter = info.code[:1]
        if letter in HCPCS_SECTIONS:
            return f"{letter}0000–{letter}9999: {HCPCS_SECTIONS[letter]}", CODE_SET_SOURCE
    if info.chapter:
        source = info.descriptions[0].source if info.descriptions else CODE_SET_SOURCE
        return info.chapter, source
    return NOT_AVAILABLE, None


def _service_type(info: CodeInfo) -> tuple[str, str | None]:
    """The kind of service the code's family reports (diagnosis codes report conditions)."""
    if info.system == "CPT" and info.chapter:
        return info.chapter[:1].upper() + info.chapter[1:].lower(), CODE_SET_SOURCE
    if info.system == "HCPCS" and info.code[:1] in HCPCS_SECTIONS:
        section = HCPCS_SECTIONS[info.code[:1]]
        return section[:1].upper() + section[1:], CODE_SET_SOURCE
    if info.system == "ICD-10-CM" or (info.system == "ICD-9-CM" and "diagnosis" in (info.category or "")):
        return "Diagnosis (the code reports a condition, not a service)", CODE_SET_SOURCE
    if info.system == "ICD-10-PCS" or (info.system == "ICD-9-CM" and "procedure" in (info.category or "")):
        return "Inpatient hospital procedure", CODE_SET_SOURCE
    if info.system == "CDT":
        return "Dental procedure", CODE_SET_SOURCE
    return NOT_AVAILABLE, None


def _site_of_service(fees: list[Fee]) -> tuple[str, str | None]:
    """Known only from imported fee schedules: a CLFS rate means a laboratory test; PFS settings priced."""
    clfs = [f for f in fees if f.schedule == "CLFS"]
    if clfs:
        return (
            "Clinical laboratory (the code is paid on the Clinical Laboratory Fee Schedule)",
            f"CLFS {clfs[0].year} ({clfs[0].source_file})",
        )
    pfs = [f for f in fees if f.schedule == "PFS" and f.modifier is None]
    if pfs:
        fee = pfs[0]
        settings = [
            name
            for name, amount in (("office / non-facility", fee.amount), ("facility", fee.facility_amount))
            if amount is not None and amount > 0
        ]
        if settings:
            return (
                f"Priced for {' and '.join(settings)} settings on the Physician Fee Schedule",
                f"PFS {fee.year} ({fee.source_file})",
            )
    return NOT_AVAILABLE, None


def _hierarchy(offline: CodeInfo | None) -> list[HierarchyCode]:
    """ICD parents and children, from the offline code sets."""
    if offline is None or offline.system not in ("ICD-10-CM", "ICD-9-CM"):
        return []
    source = offline.descriptions[0].source if offline.descriptions else CODE_SET_SOURCE
    linked = ([("parent", offline.parent)] if offline.parent else []) + [
        ("child", child) for child in offline.children
    ]
    return [
        HierarchyCode(relation, code, _offline_text(code, offline.system), source)
        for relation, code in linked
    ]


def _offline_text(code: str, system: str) -> str | None:
    try:
        info = describe_offline(code, system)
    except CodeError:
        return None
    return info.descriptions[0].text if info.descriptions else None


# --- reimbursement benchmarks --------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _fee_row(fee: Fee) -> FeeRow:
    return FeeRow(
        schedule=fee.schedule,
        year=fee.year,
        modifier=fee.modifier,
        locality=fee.locality,
        amount=_money(fee.amount),
        facility_amount=_money(fee.facility_amount),
        status=fee.status,
        effective_date=fee.effective_date,
        work_rvu=_number(fee.work_rvu),
        total_rvu_nonfacility=_number(fee.total_rvu_nonfacility),
        total_rvu_facility=_number(fee.total_rvu_facility),
        conversion_factor=_number(fee.conversion_factor),
        source_file=fee.source_file,
    )


# --- summary and sources -------------------------------------------------------------------------------


def _summary(
    name: str,
    payer: str | None,
    rows: list[CoverageRow],
    by_payer: list[PayerStatus],
    named_payers: list[str],
    other_rows: list[CoverageRow],
    changes: list[ChangeEntry],
    held: StoreSummary,
    payer_in_store: bool,
) -> list[str]:
    scope = f" from {payer}" if payer else ""
    holdings = (
        f"The store holds {plural(held.policies, 'policy', 'policies')} from {plural(held.payers, 'payer')}."
    )
    if payer:
        holdings += f" This report is limited to {payer}."
    if payer and not payer_in_store:
        sentences = [f"{NOT_AVAILABLE}: the store holds no policy from {payer}.", holdings]
    elif not rows:
        sentences = [
            f"{NOT_AVAILABLE}: no payer policy{scope} in this store names {name}, "
            "so no coverage position can be reported for it.",
            holdings,
        ]
    else:
        sentences = [_who_names(name, rows, named_payers), _status_split(by_payer), holdings]
        dated = [r for r in rows if r.effective]
        if dated:
            newest = max(dated, key=lambda r: r.effective or "")
            sentences.append(
                f"The most recently effective policy naming it is “{newest.title or 'untitled'}” "
                f"({newest.payer_label}), effective {newest.effective}."
            )
    if other_rows:
        one = len(other_rows) == 1
        sentences.append(
            f"{plural(len(other_rows), 'other document')} that {'is' if one else 'are'} not a payer policy "
            f"(code pages and similar) also {'names' if one else 'name'} the code."
        )
    if changes:
        latest = changes[0]
        sentences.append(
            f"Most recent change: {latest.payer or 'a policy whose payer is not stated'}, "
            f"“{latest.title or latest.policy_number or 'untitled'}”, version {latest.from_version} → "
            f"{latest.to_version} ({latest.when}): {latest.changes[0]}."
        )
    else:
        sentences.append(f"Changes: {NOT_AVAILABLE} (no stored version change touches this code).")
    return sentences


def _who_names(name: str, rows: list[CoverageRow], named_payers: list[str]) -> str:
    unnamed = len([r for r in rows if r.payer is None])
    if named_payers:
        verb = "has" if len(named_payers) == 1 else "have"
        sentence = (
            f"{plural(len(named_payers), 'payer')} in this store {verb} a current policy naming {name}: "
            f"{join_names(named_payers)} ({plural(len(rows), 'policy', 'policies')} in all)."
        )
    else:
        sentence = f"{plural(len(rows), 'policy', 'policies')} in this store name {name}."
    if unnamed:
        sentence += (
            f" {plural(unnamed, 'policy', 'policies')} naming it {'does' if unnamed == 1 else 'do'} "
            "not state the payer."
        )
    return sentence


def _status_split(by_payer: list[PayerStatus]) -> str:
    counts = Counter(b.status for b in by_payer)
    parts = []
    for status in sorted(counts, key=status_rank):
        payers = [b.payer_label for b in by_payer if b.status == status]
        parts.append(f"{status_label(status).lower()}: {len(payers)} ({join_names(payers)})")
    return "Positions by payer — " + "; ".join(parts) + "."


def _reference_data(
    offline: CodeInfo | None, descriptions: list[DescriptionEntry], fees: list[Fee], modifiers: bool
) -> list[str]:
    used = [CODE_SET_SOURCE] if offline is not None else []
    used += [d.source for d in descriptions if d.kind != "document"]
    used += [f"{f.schedule} {f.year} fee schedule ({f.source_file})" for f in fees]
    if modifiers:
        used.append(MODIFIER_SOURCE)
    return list(dict.fromkeys(used))
