"""The per-policy report: one policy's current version, its positions, codes, history and versions."""

from __future__ import annotations

from collections import Counter

from medpolicy.api import Store
from medpolicy.labels import doc_type_label, status_label
from medpolicy.query.results import NOT_STATED, PolicyDetail
from medpolicy.report.changes import change_entries, policy_change_lines
from medpolicy.report.citations import SourceRegistry
from medpolicy.report.model import (
    NOT_AVAILABLE,
    ChangeEntry,
    ClinicalStatement,
    Fact,
    PolicyCode,
    PolicyReport,
)
from medpolicy.report.stamp import generated_at, store_summary
from medpolicy.report.wording import join_names, plural, status_rank


def policy_report(store: Store, id_or_number: int | str) -> PolicyReport:
    """The report for one policy, by id or policy number (QueryError when none or several match)."""
    registry = SourceRegistry(store)
    detail = store.policy(id_or_number)
    policy_id = detail.policy_id
    version = detail.version
    whole = registry.cite(policy_id, None)
    positions = [
        ClinicalStatement(
            p.status,
            p.applies_to,
            p.statement,
            list(p.criteria),
            registry.cite(policy_id, p.spans[0] if p.spans else None),
        )
        for p in version.coverage
    ]
    codes = [
        PolicyCode(
            c.system,
            c.code,
            False,
            c.description,
            c.role,
            c.status or NOT_STATED,
            registry.cite(policy_id, c.spans[0] if c.spans else None),
        )
        for c in version.codes
    ] + [
        PolicyCode(
            r.system,
            f"{r.start}-{r.end}",
            True,
            None,
            None,
            r.status or NOT_STATED,
            registry.cite(policy_id, r.spans[0] if r.spans else None),
        )
        for r in version.code_ranges
    ]
    for summary in detail.versions:
        registry.cite_version(policy_id, summary.version_no)
    cited = {s.version_no: s for s in registry.sources() if s.policy_id == policy_id}
    changes = change_entries(store, registry, policy_change_lines, [policy_id])
    title = detail.title or (
        f"Policy {detail.policy_number}" if detail.policy_number else f"Policy #{policy_id}"
    )
    return PolicyReport(
        policy_id=policy_id,
        payer=detail.payer,
        policy_number=detail.policy_number,
        title=title,
        doc_type=detail.doc_type,
        generated_at=generated_at(),
        store=store_summary(store),
        summary=_summary(detail, title, positions, codes, changes),
        facts=_facts(detail, whole.label),
        positions=positions,
        codes=codes,
        related_policies=[
            Fact(r.number or "No number", r.title or NOT_AVAILABLE, None) for r in version.related_policies
        ],
        references=[_reference(r.text, r.pmid, r.doi) for r in version.references],
        history=[Fact(h.date or "Undated", h.text, None) for h in version.history],
        versions=[cited[v.version_no] for v in detail.versions],
        changes=changes,
        sources=registry.sources(),
    )


def _facts(detail: PolicyDetail, source: str) -> list[Fact]:
    version = detail.version
    current = version.summary

    def fact(label: str, value: str | None) -> Fact:
        return Fact(label, value or NOT_AVAILABLE, source if value else None)

    return [
        fact("Payer", detail.payer),
        fact("Payer as the document names it", version.payer_as_written),
        fact("Policy number", detail.policy_number),
        fact("Document type", doc_type_label(detail.doc_type)),
        fact("Current version", f"{current.version_no} of {len(detail.versions)} stored"),
        fact("Effective", version.dates.get("effective")),
        fact("Last revised", version.dates.get("last_revised")),
        fact("Original effective", version.dates.get("original_effective")),
        fact("Published", version.dates.get("published")),
        fact("Next review", version.dates.get("next_review")),
        fact("Source file", current.source_path),
        fact("Stored", current.ingested_at[:10]),
    ]


def _reference(text: str, pmid: str | None, doi: str | None) -> str:
    """The citation as written, with its PMID and DOI when the text does not already show them."""
    parts = [text]
    if pmid and pmid not in text:
        parts.append(f"PMID {pmid}")
    if doi and doi not in text:
        parts.append(f"doi:{doi}")
    return " ".join(parts)


def _summary(
    detail: PolicyDetail,
    title: str,
    positions: list[ClinicalStatement],
    codes: list[PolicyCode],
    changes: list[ChangeEntry],
) -> list[str]:
    kind = doc_type_label(detail.doc_type).lower()
    number = f", number {detail.policy_number}" if detail.policy_number else ""
    issuer = detail.payer or "a payer the document does not name"
    current = detail.version.summary
    effective = f", effective {current.effective}" if current.effective else ""
    sentences = [
        f"“{title}” is a {kind} of {issuer}{number}.",
        f"The current version is version {current.version_no} of {len(detail.versions)} stored{effective}.",
    ]
    if positions:
        counts = Counter(p.status for p in positions)
        split = join_names(
            [
                f"{n} {status_label(s).lower()}"
                for s, n in sorted(counts.items(), key=lambda i: status_rank(i[0]))
            ]
        )
        sentences.append(f"It states {plural(len(positions), 'coverage position')}: {split}.")
    else:
        sentences.append(f"Coverage positions: {NOT_AVAILABLE} (none was read from the document).")
    single = [c for c in codes if not c.is_range]
    ranges = len(codes) - len(single)
    if codes:
        systems = Counter(c.system for c in single)
        listed = join_names([f"{n} {system}" for system, n in sorted(systems.items())])
        sentences.append(
            f"It names {plural(len(single), 'code')}"
            + (f" ({listed})" if listed else "")
            + (f" and {plural(ranges, 'code range')}" if ranges else "")
            + "."
        )
    else:
        sentences.append(f"Codes: {NOT_AVAILABLE} (the document names none).")
    if changes:
        latest = changes[0]
        sentences.append(
            f"Most recent change: version {latest.from_version} → {latest.to_version} ({latest.when}): "
            f"{latest.changes[0]}."
        )
    return sentences
