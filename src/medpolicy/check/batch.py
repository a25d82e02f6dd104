"""Checking claim lines against the store: a batch is loaded once, then answered from memory.

All lines are read in one snapshot of the store. Each distinct (payer, code, date of
service) chooses its document versions once; each distinct diagnosis set on top of
that is decided once; edits are applied per claim (lines sharing a claim_id).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from medpolicy.check.claims import ClaimLine, ClaimLineError, PreparedLine, prepare
from medpolicy.check.decide import Decider, combine
from medpolicy.check.edits import ClaimEntry, EditTables, claim_edits, load_edits
from medpolicy.check.facts import (
    COVERAGE_DOC_TYPES,
    InForce,
    Listing,
    StoreFacts,
    VersionHeader,
    load_listings,
    load_versions,
    version_in_force,
)
from medpolicy.check.results import DENIED_OUTCOMES, Determination, DocumentFinding, DxMatch, EditFinding
from medpolicy.store.engine import read_transaction

if TYPE_CHECKING:
    from medpolicy.api import Store

_ServiceKey = tuple[str, str, dt.date | None]  # (payer key, code, date of service)


class _Choice(NamedTuple):
    """One candidate policy for a (payer, code, date): the version in force and how it lists the code.

    A named tuple, like the records of `facts`: a batch builds tens of thousands of them.
    """

    policy_id: int
    header: VersionHeader | None
    listing: Listing | None
    problem: str | None = None  # why the policy does not answer, when `in_force` does not say
    in_force: InForce | None = None

    @property
    def note(self) -> str | None:
        """Why the policy does not answer, or a caveat about the version used."""
        return self.problem or (self.in_force.note if self.in_force is not None else None)


@dataclass(frozen=True, slots=True)
class _PolicyAnswer:
    """The part of a determination that depends only on the store and (payer, code, date, diagnoses)."""

    outcome: str
    reason: str
    deciding: DocumentFinding | None
    diagnoses: list[DxMatch]
    findings: list[DocumentFinding]
    notes: list[str]
    searched: dict[str, object]


def check_line(store: Store, line: ClaimLine) -> Determination:
    """The determination for one claim line."""
    return check_claims(store, [line])[0]


def check_claims(store: Store, lines: Iterable[ClaimLine]) -> list[Determination]:
    """A determination per line, in order; lines sharing a claim_id are one claim for the edits."""
    with _cycle_collection_paused():
        return _check(store, list(lines))


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (when it runs) until the block ends.

    A batch builds hundreds of thousands of small objects that form no reference cycles
    and live until it ends; left running, the collector traverses all of them again each
    time their number grows by a quarter, about half the time of a 10,000-line batch.
    Batches running in several threads at once leave it as it was before the first began.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check(store: Store, given: list[ClaimLine]) -> list[Determination]:
    prepared: dict[int, PreparedLine] = {}
    errors: dict[int, str] = {}
    for index, line in enumerate(given):
        try:
            prepared[index] = prepare(line)
        except ClaimLineError as exc:
            errors[index] = str(exc)
    with read_transaction(store.engine) as conn:
        facts = load_listings(conn, {(p.payer_key, p.code, p.system) for p in prepared.values()})
        in_force: dict[tuple[int, dt.date | None], InForce] = {}
        choices = {key: _choose(facts, key, in_force) for key in {_service_key(p) for p in prepared.values()}}
        load_versions(
            conn,
            (c.header.version_id for chosen in choices.values() for c in chosen if c.listing and c.header),
            facts,
        )
        tables = load_edits(conn, {p.code for p in prepared.values()})
    edits = _claim_edits(given, prepared, tables)
    decider = Decider()
    answers: dict[tuple[_ServiceKey, tuple[str, ...]], _PolicyAnswer] = {}
    out = []
    for index, line in enumerate(given):
        if index in errors:
            out.append(Determination(line, "error", "error", errors[index]))
            continue
        p = prepared[index]
        key = (_service_key(p), p.dx)
        if key not in answers:
            answers[key] = _answer(facts, decider, p, choices[key[0]])
        out.append(_determination(line, p, answers[key], edits.get(index, [])))
    return out


def _service_key(line: PreparedLine) -> _ServiceKey:
    return (line.payer_key, line.code, line.date)


def _choose(
    facts: StoreFacts, key: _ServiceKey, in_force_memo: dict[tuple[int, dt.date | None], InForce]
) -> list[_Choice]:
    payer, code, day = key
    out = []
    for policy_id in facts.candidates.get((payer, code), []):
        headers = facts.versions[policy_id]
        latest = headers[-1].citation
        if latest.doc_type not in COVERAGE_DOC_TYPES:
            out.append(
                _Choice(
                    policy_id,
                    None,
                    None,
                    f"{latest.label()} is a {latest.doc_type.replace('_', ' ')}, not a coverage document",
                )
            )
            continue
        in_force = in_force_memo.get((policy_id, day))
        if in_force is None:
            in_force = version_in_force(headers, day, facts.effective[policy_id])
            in_force_memo[(policy_id, day)] = in_force
        if in_force.header is None:
            out.append(_Choice(policy_id, None, None, in_force=in_force))
            continue
        listing = facts.listings.get((in_force.header.version_id, code))
        if listing is None:
            cited = in_force.header.citation
            listing_versions = [
                str(h.citation.version_no) for h in headers if (h.version_id, code) in facts.listings
            ]
            when = f"in force on {day.isoformat()}" if day else "the current version"
            out.append(
                _Choice(
                    policy_id,
                    in_force.header,
                    None,
                    f"version {cited.version_no} of {cited.label()} ({when}, effective "
                    f"{cited.effective or 'not stated'}) does not list {code}; "
                    f"version(s) {', '.join(listing_versions)} do",
                )
            )
            continue
        out.append(_Choice(policy_id, in_force.header, listing, in_force=in_force))
    return out


def _answer(facts: StoreFacts, decider: Decider, line: PreparedLine, choices: list[_Choice]) -> _PolicyAnswer:
    findings: list[DocumentFinding] = []
    for choice in choices:
        if choice.header is not None and choice.listing is not None:
            finding = decider.document_finding(
                line, choice.header.citation, choice.listing, facts.facts[choice.header.version_id]
            )
        else:
            citation = choice.header.citation if choice.header else None
            finding = DocumentFinding(choice.policy_id, citation, None, choice.note or "", "none")
        findings.append(finding)
    combined = combine(findings)
    searched = _searched(facts, line, findings)
    notes = list(combined.notes)
    deciding = combined.deciding
    if deciding is not None:
        caveat = next((c.note for c in choices if c.policy_id == deciding.policy_id and c.listing), None)
        if caveat:
            notes.append(caveat)
        lcds = [n for n in deciding.related if n.upper().startswith("L") and n[1:].isdigit()]
        if deciding.citation is not None and deciding.citation.doc_type == "billing_article" and lcds:
            notes.append(f"{deciding.citation.label()} is a billing article of LCD {', '.join(lcds)}")
    if line.date is None and findings:
        notes.append("no date of service given: the current version of each document was used")
    reason = combined.reason
    if combined.outcome == "no_policy_found":
        reason = _not_found_reason(facts, line, findings)
    return _PolicyAnswer(
        combined.outcome, reason, combined.deciding, combined.diagnoses, findings, notes, searched
    )


def _searched(facts: StoreFacts, line: PreparedLine, findings: list[DocumentFinding]) -> dict[str, object]:
    return {
        "payer": line.payer,
        "code": line.code,
        "system": line.system,
        "date_of_service": None if line.date is None else line.date.isoformat(),
        "documents_from_payer": facts.payer_documents.get(line.payer_key, 0),
        "documents_naming_code": len(findings),
        "documents": [f.citation.cite() if f.citation else f"policy id {f.policy_id}" for f in findings],
    }


def _not_found_reason(facts: StoreFacts, line: PreparedLine, findings: list[DocumentFinding]) -> str:
    on = f" on {line.date.isoformat()}" if line.date else ""
    held = facts.payer_documents.get(line.payer_key, 0)
    if held == 0:
        return (
            f"no policy found: the store holds no documents from {line.payer} (searched for {line.code}{on})"
        )
    if not findings:
        return f"no policy found: none of the {held} documents from {line.payer} lists {line.code}"
    why = "; ".join(f.reason for f in findings)
    return (
        f"no policy found: {len(findings)} of the {held} documents from {line.payer} name {line.code}, "
        f"but none answers for it{on}: {why}"
    )


def _claim_edits(
    given: list[ClaimLine], prepared: dict[int, PreparedLine], tables: EditTables
) -> dict[int, list[EditFinding]]:
    if not tables.ptp and not tables.mue:
        return {}
    claims: dict[object, list[ClaimEntry]] = defaultdict(list)
    for index, line in prepared.items():
        claim = given[index].claim_id
        claims[("claim", claim) if claim is not None else ("line", index)].append(
            ClaimEntry(index, given[index].line_no, line)
        )
    found: dict[int, list[EditFinding]] = {}
    for entries in claims.values():
        found.update(claim_edits(entries, tables))
    return found


def _determination(
    line: ClaimLine, prepared: PreparedLine, answer: _PolicyAnswer, edits: list[EditFinding]
) -> Determination:
    deciding = answer.deciding
    outcome, reason = answer.outcome, answer.reason
    notes = [*answer.notes, *prepared.notes]
    denying = next((e for e in edits if e.denies), None)
    if denying is not None and answer.outcome not in DENIED_OUTCOMES:
        outcome, reason = "edit_denial", denying.reason
        notes.insert(0, f"policy outcome {answer.outcome.replace('_', ' ')}: {answer.reason}")
    return Determination(
        line=line,
        outcome=outcome,
        policy_outcome=answer.outcome,
        reason=reason,
        payer=prepared.payer,
        code=prepared.code,
        system=prepared.system,
        date_of_service=None if prepared.date is None else prepared.date.isoformat(),
        policy=None if deciding is None else deciding.citation,
        statement=None if deciding is None else deciding.statement,
        statement_span=None if deciding is None else deciding.statement_span,
        criteria=[] if deciding is None else list(deciding.criteria),
        diagnoses=list(answer.diagnoses),
        edits=list(edits),
        documents=list(answer.findings),
        searched=dict(answer.searched),
        notes=notes,
    )
