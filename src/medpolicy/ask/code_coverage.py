"""Coverage of billing codes: at the payers a question names, or across every payer in the store."""

from __future__ import annotations

import json

from sqlalchemy import select

from medpolicy.ask.answer import (
    STATUS_ANSWERED,
    STATUS_CONFLICTING,
    STATUS_NO_POLICY,
    STATUS_NOT_UNDERSTOOD,
    Answer,
    Evidence,
)
from medpolicy.ask.context import Context
from medpolicy.ask.corpus import PolicyRecord
from medpolicy.ask.evidence import line_at, position_evidence, quoted_evidence, status_words
from medpolicy.ask.retrieval import NON_POLICY_TYPES, positions_about
from medpolicy.ask.verdicts import (
    CLEAR,
    CONFLICT,
    DEPENDS,
    NONE,
    NOT_IN_STORE,
    Finding,
    Verdict,
    fragment,
    join_words,
    refs,
    sentence,
    verdict,
    verdict_evidence,
    which_payers,
    yes_no,
)
from medpolicy.codes import CodeRangeSpec, expand_range
from medpolicy.model import STATUSES, Span
from medpolicy.query.results import CodePolicy
from medpolicy.store.engine import read_transaction
from medpolicy.store.schema import version_codes

MAX_RANGE_CODES = 25  # codes of a range answered one by one; beyond that the note says so
MAX_EXPANDED = 5000  # a range holding more codes is not expanded at all
MAX_POSITIONS_SHOWN = 6


def answer_code_coverage(ctx: Context) -> Answer:
    codes, notes = _codes(ctx)
    if not codes:
        return ctx.answer(" ".join(notes), STATUS_NOT_UNDERSTOOD, [], [])
    found = {code: _findings(ctx, code) for code in codes}
    if ctx.question.payers or ctx.question.unknown_payers:
        return _at_payers(ctx, found, notes)
    return _across_payers(ctx, found, notes)


def _codes(ctx: Context) -> tuple[list[str], list[str]]:
    codes = [code for _, code in ctx.question.codes]
    notes = []
    for rng in ctx.question.ranges:
        members, note = range_codes(rng)
        codes.extend(c for c in members if c not in codes)
        if note:
            notes.append(note)
    return codes, notes


def range_codes(rng: CodeRangeSpec) -> tuple[list[str], str | None]:
    """The first MAX_RANGE_CODES codes of `rng`, and a note when there are more."""
    try:
        members = expand_range(rng, limit=MAX_EXPANDED)
    except ValueError:
        return [], f"The range {rng} holds more than {MAX_EXPANDED} codes; ask about a narrower range."
    if len(members) > MAX_RANGE_CODES:
        return members[:MAX_RANGE_CODES], (
            f"The range {rng} holds {len(members)} codes; the first {MAX_RANGE_CODES} are answered."
        )
    return members, None


def _findings(ctx: Context, code: str) -> tuple[str, dict[str, list[Finding]]]:
    """(canonical code, payer key → findings), listed codes preferred over passing mentions."""
    lookup = ctx.store.code(code)
    by_payer: dict[str, list[Finding]] = {}
    for named in lookup.policies:
        record = ctx.snap.by_policy_id.get(named.policy_id)
        if (
            record is None
            or record.payer is None
            or record.doc_type in NON_POLICY_TYPES
            or not ctx.wanted(record)
        ):
            continue
        by_payer.setdefault(record.payer_key, []).append(_finding(ctx, record, named, lookup.code))
    for key, findings in by_payer.items():
        by_payer[key] = [f for f in findings if not f.mention_only] or findings
    return lookup.code, by_payer


def _finding(ctx: Context, record: PolicyRecord, named: CodePolicy, code: str) -> Finding:
    evidence: list[Evidence] = []
    if named.span is not None:
        line, span = line_at(ctx.store, record.version_id, _listing_span(ctx, record, named, code))
        evidence.append(quoted_evidence(record, line, span, code=code))
    if named.role == "mentioned":
        return Finding(record, None, [], evidence, mention_only=True)
    via = f"range {named.range}" if named.matched == "range" and named.range else None
    about = positions_about(ctx.snap, record, ctx.question.service_terms)
    if about:
        # The question names the indication: the positions on it answer, not the code's overall status.
        evidence.extend(position_evidence(record, p, code) for p in about[:MAX_POSITIONS_SHOWN])
        statuses = {p.status for p in about}
        status = statuses.pop() if len(statuses) == 1 else "mixed"
        return Finding(record, status, about, evidence, via, on_service=True)
    if named.status in STATUSES:
        if named.statement:
            evidence.append(
                quoted_evidence(record, named.statement, named.statement_span, status=named.status, code=code)
            )
        return Finding(record, named.status, [], evidence, via)
    positions = list(record.positions)
    evidence.extend(position_evidence(record, p, code) for p in positions[:MAX_POSITIONS_SHOWN])
    return Finding(record, "mixed" if named.status == "mixed" else None, positions, evidence, via)


def _group(verdicts: list[tuple[str, Verdict]]) -> list[tuple[list[str], Verdict]]:
    """Codes sharing one payer's identical verdict, answered together ("0537T, 0538T and 0539T")."""
    groups: dict[tuple[object, ...], tuple[list[str], Verdict]] = {}
    for code, item in verdicts:
        key = (item.payer, item.kind, tuple(item.statuses), tuple(f.record.policy_id for f in item.findings))
        if key in groups:
            groups[key][0].append(code)
        else:
            groups[key] = ([code], item)
    return list(groups.values())


def _at_payers(
    ctx: Context, found: dict[str, tuple[str, dict[str, list[Finding]]]], notes: list[str]
) -> Answer:
    targets = sorted(((key, ctx.snap.payers[key]) for key in ctx.payer_keys() or []), key=lambda t: t[1])
    results: list[tuple[str, Verdict]] = []
    for code, by_payer in found.values():
        for key, name in targets:
            results.append((code, verdict(name, by_payer.get(key, []))))
        for name in ctx.question.unknown_payers:
            results.append((code, Verdict(name, NOT_IN_STORE, [], [])))
    clauses = [fragment(item, _subject(ctx, codes)) for codes, item in _group(results)]
    verdicts = [item for _, item in results]
    text = " ".join(sentence(c) for c in clauses)
    if len(results) == 1:
        text = yes_no(ctx.question, verdicts[0]) + text
    if any(item.kind == CONFLICT for item in verdicts):
        status = STATUS_CONFLICTING
        notes.append("This payer's policies disagree; read each one's criteria and dates.")
    elif all(item.kind in (NONE, NOT_IN_STORE) for item in verdicts):
        status = STATUS_NO_POLICY
    else:
        status = STATUS_ANSWERED
    notes.extend(_mention_notes(verdicts))
    notes.extend(_service_notes(ctx, verdicts))
    records = [r for item in verdicts for r in item.records]
    return ctx.answer(text, status, verdict_evidence(verdicts), notes, records)


def _across_payers(
    ctx: Context, found: dict[str, tuple[str, dict[str, list[Finding]]]], notes: list[str]
) -> Answer:
    sentences: list[str] = []
    all_verdicts: list[Verdict] = []
    disagree = False
    for canonical, by_payer in found.values():
        code = _subject(ctx, [canonical])
        verdicts = sorted(
            (verdict(ctx.snap.payers.get(key, key), findings) for key, findings in by_payer.items()),
            key=lambda v: v.payer.casefold(),
        )
        all_verdicts.extend(verdicts)
        if not verdicts:
            sentences.append(f"No policy in the store names {canonical}.")
            continue
        clear = {v.statuses[0] for v in verdicts if v.kind == CLEAR}
        code_disagrees = len(clear) > 1 or (
            any(v.kind in (CONFLICT, DEPENDS) for v in verdicts) and len(verdicts) > 1
        )
        disagree = disagree or code_disagrees
        if ctx.question.statuses and ctx.question.which_payers:
            sentences.append(_which(ctx.question.statuses, _subject(ctx, [code]), verdicts))
        elif len(verdicts) > 1 and len(clear) == 1 and all(v.kind == CLEAR for v in verdicts):
            status = status_words(next(iter(clear)))
            listed = "; ".join(f"{v.payer} ({refs(v.findings)})" for v in verdicts)
            sentences.append(
                f"All {len(verdicts)} payers with a policy naming {code} consider it {status}: {listed}."
            )
        elif len(verdicts) > 1:
            sentences.append(
                (f"Payers differ on {code}: " if code_disagrees else f"{code}: ")
                + "; ".join(fragment(v, code) for v in verdicts)
                + "."
            )
        else:
            sentences.append(yes_no(ctx.question, verdicts[0]) + sentence(fragment(verdicts[0], code)))
    if not all_verdicts:
        status = STATUS_NO_POLICY
        notes.extend(_code_page_notes(ctx, found))
    elif disagree and not (ctx.question.statuses and ctx.question.which_payers):
        status = STATUS_CONFLICTING
        notes.append("Payers disagree; each payer's position is quoted below.")
    else:
        status = STATUS_ANSWERED
        if disagree:
            notes.append("Payers disagree; each payer's position is quoted below.")
    notes.extend(_mention_notes(all_verdicts))
    notes.extend(_service_notes(ctx, all_verdicts))
    records = [r for item in all_verdicts for r in item.records]
    return ctx.answer(" ".join(sentences), status, verdict_evidence(all_verdicts), notes, records)


def _which(statuses: list[str], code: str, verdicts: list[Verdict]) -> str:
    return which_payers(
        statuses,
        code,
        verdicts,
        lambda v: f"{v.payer} ({status_words(v.statuses[0])}, {refs(v.findings)})",
        lambda v: f"{v.payer} ({refs(v.findings)})",
    )


def _mention_notes(verdicts: list[Verdict]) -> list[str]:
    notes = []
    for item in verdicts:
        for finding in item.findings:
            if finding.mention_only:
                notes.append(
                    f"{item.payer} {refs([finding])} only mentions the code (e.g. in its history or a "
                    "cross-reference); it is not in its coding list."
                )
    return notes


def _code_page_notes(ctx: Context, found: dict[str, tuple[str, dict[str, list[Finding]]]]) -> list[str]:
    notes = []
    for code, _ in found.values():
        pages = [
            p for p in ctx.store.code(code).policies if p.doc_type in NON_POLICY_TYPES or p.payer is None
        ]
        if pages:
            notes.append(
                f"{code} is described on {len(pages)} code page(s) in the store, "
                "which state no payer's coverage."
            )
    return notes


def _subject(ctx: Context, codes: list[str]) -> str:
    """'86357', or '86357 for recurrent pregnancy loss' when the question names an indication."""
    named = join_words(codes)
    return f"{named} for {ctx.question.services[0]}" if ctx.question.services else named


def _service_notes(ctx: Context, verdicts: list[Verdict]) -> list[str]:
    """Say which policies state no position on the indication asked about (their code status stands)."""
    if not ctx.question.services:
        return []
    service = ctx.question.services[0]
    return [
        f"{item.payer} {refs([finding])} states no position on “{service}”; its status for the code is given."
        for item in verdicts
        for finding in item.findings
        if not finding.on_service
    ]


def _listing_span(ctx: Context, record: PolicyRecord, named: CodePolicy, code: str) -> Span:
    """Where the code is listed: its first place in a coding section, else its first place at all."""
    first = named.span
    if first is None or named.matched != "code" or record.section_kind_at(first[0]) == "coding":
        return first or (0, 0)
    with read_transaction(ctx.store.engine) as conn:
        raw = conn.scalar(
            select(version_codes.c.spans_json).where(
                version_codes.c.version_id == record.version_id, version_codes.c.code == code
            )
        )
    for start, end in json.loads(raw or "[]"):
        if record.section_kind_at(int(start)) == "coding":
            return int(start), int(end)
    return first
