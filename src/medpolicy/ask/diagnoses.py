"""Diagnosis codes listed with a procedure: the ICD-10-CM codes that support medical necessity, or do not.

The procedure is a code (policies naming it) or a service in words (policies with a
matching position). Each ICD-10-CM code or range the policy lists is classed by the
status stored for it: medically necessary supports; investigational, not medically
necessary, not covered or cosmetic does not; no stated position is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medpolicy.ask.answer import STATUS_ANSWERED, STATUS_NO_POLICY, Answer, Evidence
from medpolicy.ask.code_coverage import range_codes
from medpolicy.ask.context import Context
from medpolicy.ask.corpus import PolicyRecord
from medpolicy.ask.evidence import line_in, policy_label, quoted_evidence
from medpolicy.ask.question import DIAGNOSIS_SYSTEMS, NON_COVERAGE
from medpolicy.ask.retrieval import NON_POLICY_TYPES, matching_positions, related_policies
from medpolicy.ask.verdicts import join_words, sentence
from medpolicy.model import Span
from medpolicy.query.results import PolicyDetail

LISTED_IN_SENTENCE = 30  # codes named in the sentence; the evidence holds them all
SERVICE_POLICY_MATCH = 0.8


@dataclass(slots=True)
class _Listing:
    record: PolicyRecord
    supporting: list[str] = field(default_factory=list)
    not_supporting: list[str] = field(default_factory=list)
    unstated: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)


def answer_diagnoses(ctx: Context) -> Answer:
    q = ctx.question
    named = [code for system, code in q.codes if system not in DIAGNOSIS_SYSTEMS] + [str(r) for r in q.ranges]
    subject = join_words(named) if named else q.services[0]
    procedures = [code for system, code in q.codes if system not in DIAGNOSIS_SYSTEMS]
    for rng in q.ranges:
        procedures.extend(range_codes(rng)[0])
    records = _procedure_policies(ctx, procedures)
    notes = [f"The store holds no policies from {name}." for name in q.unknown_payers]
    if not records:
        where = f" at {join_words([*q.payers, *q.unknown_payers])}" if q.payers or q.unknown_payers else ""
        return ctx.answer(f"No policy found in the store for {subject}{where}.", STATUS_NO_POLICY, [], notes)
    listings = [_listing(ctx, record) for record in records]
    sentences = [_sentence(listing, subject, q.non_supporting) for listing in listings]
    evidence = [e for listing in listings for e in _chosen_evidence(listing, q.non_supporting)]
    notes.append(
        "Codes are classed by the coverage position each policy ties to them; "
        "read them with the policy's criteria."
    )
    return ctx.answer(" ".join(sentences), STATUS_ANSWERED, evidence, notes, records)


def _procedure_policies(ctx: Context, procedures: list[str]) -> list[PolicyRecord]:
    keys = ctx.payer_keys()
    if ctx.question.unknown_payers and keys is None:
        return []
    found: dict[int, PolicyRecord] = {}
    if procedures:
        for code in procedures:
            for named in ctx.store.code(code).policies:
                record = ctx.snap.by_policy_id.get(named.policy_id)
                if record is None or named.role == "mentioned":
                    continue
                found.setdefault(record.policy_id, record)
    else:
        terms = ctx.question.service_terms
        for match in matching_positions(ctx.snap, terms, payer_keys=keys):
            found.setdefault(match.record.policy_id, match.record)
        if not found:
            for related in related_policies(ctx.snap, terms, payer_keys=keys, min_ratio=SERVICE_POLICY_MATCH):
                found.setdefault(related.record.policy_id, related.record)
    return [
        record
        for record in found.values()
        if record.doc_type not in NON_POLICY_TYPES
        and record.payer is not None
        and (keys is None or record.payer_key in keys)
        and ctx.wanted(record)
    ]


def _listing(ctx: Context, record: PolicyRecord) -> _Listing:
    detail: PolicyDetail = ctx.store.policy(record.policy_id, text=True)
    text = detail.version.text or ""
    listing = _Listing(record)
    entries: list[tuple[str, str | None, Span | None]] = [
        (code.code, code.status, code.spans[0] if code.spans else None)
        for code in detail.version.codes
        if code.system == "ICD-10-CM" and code.role == "listed"
    ]
    entries += [
        (f"{rng.start}-{rng.end}", rng.status, rng.spans[0] if rng.spans else None)
        for rng in detail.version.code_ranges
        if rng.system == "ICD-10-CM"
    ]
    for code, status, span in entries:
        if status == "medically_necessary":
            listing.supporting.append(code)
        elif status in NON_COVERAGE:
            listing.not_supporting.append(code)
        else:
            listing.unstated.append(code)
        statement, where = line_in(text, span) if span else (code, None)
        listing.evidence[code] = quoted_evidence(record, statement, where, status=status, code=code)
    return listing


def _codes_text(codes: list[str]) -> str:
    shown = codes[:LISTED_IN_SENTENCE]
    more = len(codes) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _sentence(listing: _Listing, subject: str, non_supporting: bool) -> str:
    who = f"{listing.record.payer} {policy_label(listing.record)}"
    wanted = listing.not_supporting if non_supporting else listing.supporting
    other = listing.supporting if non_supporting else listing.not_supporting
    kind = "do not support" if non_supporting else "support"
    if wanted:
        return sentence(
            f"{who} lists {len(wanted)} ICD-10-CM code(s) or range(s) that {kind} medical necessity "
            f"for {subject}: {_codes_text(wanted)}"
        )
    if listing.unstated:
        return sentence(
            f"{who} lists {len(listing.unstated)} ICD-10-CM code(s) or range(s) with {subject} "
            f"without a coverage position for each: {_codes_text(listing.unstated)}"
        )
    if other:
        opposite = "support" if non_supporting else "do not support"
        return sentence(
            f"{who} lists no ICD-10-CM codes that {kind} medical necessity for {subject}; "
            f"it lists {len(other)} that {opposite} it: {_codes_text(other)}"
        )
    return sentence(f"{who} names {subject} but lists no ICD-10-CM codes")


def _chosen_evidence(listing: _Listing, non_supporting: bool) -> list[Evidence]:
    wanted = listing.not_supporting if non_supporting else listing.supporting
    other = listing.supporting if non_supporting else listing.not_supporting
    codes = wanted or listing.unstated or other
    return [listing.evidence[code] for code in codes]
