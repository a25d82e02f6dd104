"""From stored facts to an outcome: what each document says about a line, then what they say together.

One document's answer rests on the procedure code's status in the version in force
(its own line's status, else the policy's single position, else "mixed") and on the
document's ICD-10-CM lists: a diagnosis on a covered list supports coverage, one on a
non-covered list denies it, and one missing from a covered list makes the service not
medically necessary for that claim. A code the document itself calls investigational,
not medically necessary or not covered is denied whatever the diagnosis.

Documents together: one outcome when they agree; when some cover and some deny, a
denial tied to the claim's diagnosis wins over coverage stated in general (the
diagnosis is what the covering document does not speak to), and anything else is
"conflicting", with each document's answer shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from medpolicy.check.claims import PreparedLine
from medpolicy.check.diagnoses import DENIAL_STATUSES, MEDICALLY_NECESSARY, DxEntry
from medpolicy.check.facts import Citation, Listing, Position, VersionFacts
from medpolicy.check.results import COVERED_OUTCOMES, DENIED_OUTCOMES, DocumentFinding, DxMatch
from medpolicy.model import Span

MIXED = "mixed"
_DENIAL_OUTCOME = {
    "investigational": "investigational",
    "not_medically_necessary": "not_medically_necessary",
    "not_covered": "not_covered",
    "cosmetic": "not_covered",
}
_STATUS_WORDS = {
    "investigational": "investigational",
    "not_medically_necessary": "not medically necessary",
    "not_covered": "not covered",
    "cosmetic": "cosmetic (not covered)",
    "medically_necessary": "medically necessary",
}
# Wording that makes coverage depend on something the claim line does not show.
_CONDITIONAL = re.compile(
    r"\b(?:when|if|criteria|following\s+(?:conditions|requirements)|provided\s+that|only\s+for|"
    r"for\s+(?:patients|members|individuals|beneficiaries|persons)\s+(?:who|with))\b",
    re.I,
)
_ANY_INDICATION = re.compile(
    r"\b(?:any|all)\s+(?:other\s+)?(?:indications?|diagnos[ie]s|conditions?|uses?)\b", re.I
)
# Which outcome leads when several documents deny (or cover) the line.
_DENIAL_ORDER = ("investigational", "not_covered", "not_medically_necessary")
_COVERED_ORDER = ("criteria_apply", "likely_covered")
_DOC_TYPE_ORDER = {"ncd": 0, "lcd": 1, "billing_article": 1}


@dataclass(slots=True)
class _View:
    """One reading (of the code, or of the diagnoses) of one document."""

    outcome: str | None
    reason: str = ""
    statement: str | None = None
    statement_span: Span | None = None
    criteria: list[str] = field(default_factory=list)
    matches: list[DxMatch] = field(default_factory=list)
    conditional: bool = False  # coverage depends on criteria beyond the diagnosis
    own_statement: bool = False  # quote this view's statement (even none) rather than the code's


class Decider:
    """Reads documents for the lines of one batch; what a version says about a code is read once."""

    def __init__(self) -> None:
        self._code_views: dict[tuple[int, str], _View] = {}

    def document_finding(
        self, line: PreparedLine, citation: Citation, listing: Listing, facts: VersionFacts
    ) -> DocumentFinding:
        """What one version of one document says about `line`."""
        key = (listing.version_id, listing.code)
        code_view = self._code_views.get(key)
        if code_view is None:
            code_view = self._code_views[key] = _code_view(line.code, citation, listing, facts)
        return _finding(line, citation, listing, facts, code_view)


def _finding(
    line: PreparedLine, citation: Citation, listing: Listing, facts: VersionFacts, code_view: _View
) -> DocumentFinding:
    matched = "code" if listing.range is None else f"range {listing.range}"
    base = DocumentFinding(
        policy_id=citation.policy_id,
        citation=citation,
        outcome=None,
        reason="",
        basis="none",
        matched=matched,
        statement=code_view.statement,
        statement_span=code_view.statement_span,
        related=list(facts.related),
    )
    if code_view.outcome in DENIED_OUTCOMES:
        base.outcome, base.reason, base.basis = code_view.outcome, code_view.reason, "code"
        base.diagnoses = _dx_matches(line, facts)
        return base
    dx_view = _dx_view(line, citation, facts)
    base.diagnoses = dx_view.matches
    if dx_view.outcome in DENIED_OUTCOMES:
        base.outcome, base.reason, base.basis = dx_view.outcome, dx_view.reason, "diagnosis"
        if dx_view.own_statement:
            base.statement, base.statement_span = dx_view.statement, dx_view.statement_span
        return base
    if dx_view.outcome is not None:  # covered by diagnosis (or by a list the claim gives no diagnosis for)
        criteria = [*(code_view.criteria if code_view.conditional else []), *dx_view.criteria]
        base.outcome = "criteria_apply" if criteria or code_view.conditional else "likely_covered"
        base.reason = dx_view.reason
        if code_view.conditional:
            base.reason += ", when the policy's criteria are met"
        base.criteria, base.basis = criteria, "diagnosis"
        return base
    if code_view.outcome is not None:
        base.outcome, base.reason, base.basis = code_view.outcome, code_view.reason, "code"
        base.criteria = list(code_view.criteria)
        return base
    base.reason = f"{citation.label()} lists {line.code} but states no coverage position for it"
    return base


def _code_view(code: str, citation: Citation, listing: Listing, facts: VersionFacts) -> _View:
    status = listing.status
    position = facts.position_at(listing.statement_span)
    statement = position.statement if position else None
    span = position.span if position else listing.statement_span
    where = f" ({citation.cite()})"
    subject = code if listing.range is None else f"{code} (in the listed range {listing.range})"
    if status in DENIAL_STATUSES:
        scope = " for any indication" if statement and _ANY_INDICATION.search(statement) else ""
        return _View(
            _DENIAL_OUTCOME[status], f"{subject} is {_STATUS_WORDS[status]}{scope}{where}", statement, span
        )
    if status == MEDICALLY_NECESSARY:
        criteria = list(position.criteria) if position else []
        if criteria or (statement and _CONDITIONAL.search(statement)):
            criteria = criteria or [statement or ""]
            return _View(
                "criteria_apply",
                f"{subject} is medically necessary when the stated criteria are met{where}",
                statement,
                span,
                criteria,
                conditional=True,
            )
        return _View("likely_covered", f"{subject} is medically necessary{where}", statement, span)
    if status == MIXED:
        return _mixed_view(subject, listing, facts, where)
    return _View(None)


def _mixed_view(subject: str, listing: Listing, facts: VersionFacts, where: str) -> _View:
    """The policy states several positions and ties none to the code itself."""
    covering = [p for p in facts.positions if p.status == MEDICALLY_NECESSARY]
    others = sorted({_STATUS_WORDS[p.status] for p in facts.positions if p.status in DENIAL_STATUSES})
    if covering:
        conditional = any(p.criteria or _CONDITIONAL.search(p.statement) for p in covering)
        # Without criteria lists, the covering statements are what must hold.
        criteria = [c for p in covering for c in p.criteria] or [p.statement for p in covering]
        otherwise = f"; otherwise {' or '.join(others)}" if others else ""
        return _View(
            "criteria_apply",
            f"{subject} is medically necessary only as the policy states{otherwise}{where}",
            covering[0].statement,
            covering[0].span,
            criteria,
            conditional=conditional,
        )
    nearest = _nearest(facts.positions, listing.span)
    if nearest is None or nearest.status not in DENIAL_STATUSES:
        return _View(None)
    return _View(
        _DENIAL_OUTCOME[nearest.status],
        f"{subject} is {_STATUS_WORDS[nearest.status]}{where}",
        nearest.statement,
        nearest.span,
    )


def _nearest(positions: Sequence[Position], span: Span | None) -> Position | None:
    anchor = span[0] if span else 0
    spanned = [p for p in positions if p.span is not None]
    if not spanned:
        return None
    return min(spanned, key=lambda p: abs((p.span or (0, 0))[0] - anchor))


def _match(dx: str, entry: DxEntry | None, facts: VersionFacts) -> DxMatch:
    if entry is None:
        return DxMatch(dx, False, None, None, None, None)
    return DxMatch(dx, True, entry.label, entry.coverage, facts.section_of(entry.span), entry.span)


def _dx_matches(line: PreparedLine, facts: VersionFacts) -> list[DxMatch]:
    """Where each claim diagnosis sits on the document's lists (for the record)."""
    if not facts.dx.entries:
        return []
    out = []
    for dx in line.dx:
        found = facts.dx.matches(dx)
        out.append(_match(dx, found[0] if found else None, facts))
    return out


def _dx_view(line: PreparedLine, citation: Citation, facts: VersionFacts) -> _View:
    lists = facts.dx
    covered, denied = lists.covered, lists.denied
    if not covered and not denied:
        return _View(None, matches=_dx_matches(line, facts))
    label = citation.label()
    where = f" ({citation.cite()})"
    if not line.dx:
        if covered:
            noun = "entry" if len(covered) == 1 else "entries"
            return _View(
                "criteria_apply",
                f"{line.code} is covered by {label} only for the diagnoses it lists, "
                f"and the line gives none{where}",
                criteria=[f"a diagnosis on the covered ICD-10-CM list of {label} ({len(covered)} {noun})"],
            )
        return _View(None)
    supported: list[DxMatch] = []
    refused: list[tuple[DxMatch, str]] = []
    unlisted: list[DxMatch] = []
    for dx in line.dx:
        found = lists.matches(dx)
        good = next((e for e in found if e.covered), None)
        bad = next((e for e in found if e.denied), None)
        if good is not None:
            supported.append(_match(dx, good, facts))
        elif bad is not None:
            refused.append((_match(dx, bad, facts), bad.coverage or "not_covered"))
        else:
            unlisted.append(_match(dx, found[0] if found else None, facts))
    matches = [*supported, *(m for m, _ in refused), *unlisted]
    if supported:
        first = supported[0]
        return _View(
            MEDICALLY_NECESSARY,
            f"{first.dx} is on the covered ICD-10-CM list of {label}{_as_entry(first)}{where}",
            matches=matches,
        )
    if refused:
        match, status = refused[0]
        kind = "non-covered" if status != "investigational" else "investigational"
        saying = _nearest([p for p in facts.positions if p.status == status], match.span)
        return _View(
            _DENIAL_OUTCOME[status],
            f"{match.dx} is on the {kind} ICD-10-CM list of {label}{_as_entry(match)}{where}",
            None if saying is None else saying.statement,
            None if saying is None else saying.span,
            matches=matches,
            own_statement=True,  # the code's statement (a covering one) would not support a denial
        )
    if covered:
        listed = ", ".join(m.dx for m in unlisted)
        verb = "is" if len(unlisted) == 1 else "are"
        return _View(
            "not_medically_necessary",
            f"{listed} {verb} not on the covered ICD-10-CM list of {label}{where}",
            matches=matches,
        )
    first_unlisted = ", ".join(m.dx for m in unlisted)
    return _View(
        MEDICALLY_NECESSARY,
        f"{first_unlisted} is not on the non-covered ICD-10-CM list of {label}{where}",
        matches=matches,
    )


def _as_entry(match: DxMatch) -> str:
    """' (as C33-C34.92)' when the list names the diagnosis through a range or a code above it."""
    return "" if match.entry == match.dx else f" (as {match.entry})"


@dataclass(slots=True)
class Combined:
    outcome: str
    deciding: DocumentFinding | None
    reason: str
    notes: list[str]
    diagnoses: list[DxMatch]  # where the claim's diagnoses sit on the lists that bear on the outcome


def _diagnoses_in(chosen: DocumentFinding, group: Sequence[DocumentFinding]) -> list[DxMatch]:
    """The deciding document's diagnosis matches, else those of another document that agrees with it."""
    if chosen.diagnoses:
        return list(chosen.diagnoses)
    return list(next((f.diagnoses for f in group if f.diagnoses), []))


def combine(findings: Sequence[DocumentFinding]) -> Combined:
    """One outcome from the documents that answered; None deciding when they conflict or none did."""
    answered = [f for f in findings if f.outcome is not None]
    if not answered:
        return Combined("no_policy_found", None, "", [], [])
    covered = [f for f in answered if f.outcome in COVERED_OUTCOMES]
    denied = [f for f in answered if f.outcome in DENIED_OUTCOMES]
    notes: list[str] = []
    if covered and denied:
        general_cover = all(f.basis == "code" for f in covered)
        by_diagnosis = [f for f in denied if f.basis == "diagnosis"]
        if general_cover and len(by_diagnosis) == len(denied):
            chosen = _lead(by_diagnosis, _DENIAL_ORDER)
            for f in covered:
                label = f.citation.label() if f.citation else f"policy {f.policy_id}"
                notes.append(f"{label} covers the code in general; the diagnosis decides here")
            return Combined(chosen.outcome or "", chosen, chosen.reason, notes, list(chosen.diagnoses))
        parts = [
            f"{f.citation.label() if f.citation else f.policy_id}: {(f.outcome or '').replace('_', ' ')}"
            for f in (*denied, *covered)
        ]
        return Combined("conflicting", None, "the documents disagree: " + "; ".join(parts), notes, [])
    group, order = (denied, _DENIAL_ORDER) if denied else (covered, _COVERED_ORDER)
    chosen = _lead(group, order)
    return Combined(chosen.outcome or "", chosen, chosen.reason, notes, _diagnoses_in(chosen, group))


def _lead(group: Sequence[DocumentFinding], order: Sequence[str]) -> DocumentFinding:
    """The finding to quote: the weightiest outcome, diagnosis-based first, NCDs before LCDs before
    policies, then the latest effective version."""

    def rank(f: DocumentFinding) -> tuple[int, int, int]:
        doc_type = f.citation.doc_type if f.citation else ""
        return (
            order.index(f.outcome) if f.outcome in order else len(order),
            0 if f.basis == "diagnosis" else 1,
            _DOC_TYPE_ORDER.get(doc_type, 2),
        )

    latest_first = sorted(
        group, key=lambda f: (f.citation.effective or "") if f.citation else "", reverse=True
    )
    return min(latest_first, key=rank)
