"""Coverage of a service or condition named in words: at the payers named, or which payers hold a position."""

from __future__ import annotations

from medpolicy.ask.answer import STATUS_ANSWERED, STATUS_CONFLICTING, STATUS_NO_POLICY, Answer
from medpolicy.ask.context import Context
from medpolicy.ask.evidence import policy_label, position_evidence, status_words
from medpolicy.ask.retrieval import PositionMatch, matching_positions, related_policies
from medpolicy.ask.verdicts import (
    CLEAR,
    CONFLICT,
    DEPENDS,
    NONE,
    NOT_IN_STORE,
    Finding,
    Verdict,
    by_status,
    fragment,
    join_words,
    refs,
    sentence,
    verdict,
    verdict_evidence,
    which_payers,
    yes_no,
)

RELATED_SHOWN = 5


def answer_service_coverage(ctx: Context) -> Answer:
    q = ctx.question
    subject = q.services[0]
    keys = ctx.payer_keys()
    matches = [
        m for m in matching_positions(ctx.snap, q.service_terms, payer_keys=keys) if ctx.wanted(m.record)
    ]
    by_payer: dict[str, list[Finding]] = {}
    for match in matches:
        by_payer.setdefault(match.record.payer_key, []).append(_finding(match))
    if keys is not None or q.unknown_payers:
        verdicts = [verdict(ctx.snap.payers[key], by_payer.get(key, [])) for key in sorted(keys or [])]
        verdicts += [Verdict(name, NOT_IN_STORE, [], []) for name in q.unknown_payers]
    else:
        verdicts = sorted(
            (verdict(ctx.snap.payers.get(key, key), findings) for key, findings in by_payer.items() if key),
            key=lambda v: v.payer.casefold(),
        )
    if not any(v.kind not in (NONE, NOT_IN_STORE) for v in verdicts):
        return _nothing(ctx, subject, verdicts)
    notes: list[str] = []
    if q.which_payers or keys is None:
        text, disagree = _list_answer(ctx, subject, verdicts)
    else:
        text = " ".join(sentence(fragment(v, subject)) for v in verdicts)
        if len(verdicts) == 1:
            text = yes_no(ctx.question, verdicts[0]) + text
        disagree = False
    conflicting = any(v.kind == CONFLICT for v in verdicts) or (
        disagree and not (q.which_payers and q.statuses)
    )
    if disagree:
        notes.append("Payers disagree; each payer's position is quoted below.")
    if any(v.kind == CONFLICT for v in verdicts):
        notes.append("A payer's policies disagree; read each one's criteria and dates.")
    notes.append(
        f"Positions were matched to “{subject}” by their wording; check each quoted statement applies."
    )
    evidence = verdict_evidence(verdicts)
    records = [r for v in verdicts for r in v.records]
    return ctx.answer(text, STATUS_CONFLICTING if conflicting else STATUS_ANSWERED, evidence, notes, records)


def _finding(match: PositionMatch) -> Finding:
    return Finding(
        match.record,
        match.position.status,
        [match.position],
        [position_evidence(match.record, match.position)],
    )


def _list_answer(ctx: Context, subject: str, verdicts: list[Verdict]) -> tuple[str, bool]:
    """Which payers hold the asked status (else every payer's position), and whether payers differ."""
    found = [v for v in verdicts if v.kind not in (NONE, NOT_IN_STORE)]
    clear = {v.statuses[0] for v in found if v.kind == CLEAR}
    disagree = len(clear) > 1 or (len(found) > 1 and any(v.kind in (DEPENDS, CONFLICT) for v in found))
    statuses = ctx.question.statuses
    if not statuses or not ctx.question.which_payers:
        if len(found) > 1 and len(clear) == 1 and all(v.kind == CLEAR for v in found):
            listed = "; ".join(f"{v.payer} ({refs(v.findings)})" for v in found)
            return (
                f"All {len(found)} payers with a position on {subject} consider it "
                f"{status_words(next(iter(clear)))}: {listed}.",
                False,
            )
        clauses = " ".join(sentence(fragment(v, subject)) for v in found)
        return (f"Payers differ on {subject}. {clauses}" if disagree else clauses), disagree
    wanted = set(statuses)
    text = which_payers(
        statuses,
        subject,
        found,
        lambda v: f"{v.payer} ({_status_note(v, wanted)}{refs(v.findings)})",
        lambda v: f"{v.payer} ({_partial(v, wanted)})",
    )
    return text, disagree


def _status_note(item: Verdict, wanted: set[str]) -> str:
    return f"{status_words(item.statuses[0])}, " if len(wanted) > 1 else ""


def _partial(item: Verdict, wanted: set[str]) -> str:
    """'investigational for X under 8.01.33 …' for the positions with a wanted status."""
    positions = [p for f in item.findings for p in f.positions if p.status in wanted]
    return f"{by_status(positions, item.payer)}; {refs(item.findings)}"


def _nothing(ctx: Context, subject: str, verdicts: list[Verdict]) -> Answer:
    """No position matches: say so, and show the policies that look related so the reader can check them."""
    q = ctx.question
    keys = ctx.payer_keys()
    where = ""
    if q.payers or q.unknown_payers:
        where = " at " + join_words([*q.payers, *q.unknown_payers])
    text = f"No policy found in the store that states a position on {subject}{where}."
    notes = [sentence(fragment(v, subject)) for v in verdicts if v.kind == NOT_IN_STORE]
    only_absent_payers = bool(q.unknown_payers) and not q.payers
    related = (
        []
        if only_absent_payers
        else related_policies(ctx.snap, q.service_terms, payer_keys=keys)[:RELATED_SHOWN]
    )
    if related:
        labels = "; ".join(f"{m.record.payer} {policy_label(m.record)}" for m in related)
        notes.append(f"Policies that use some of these words but state no matching position: {labels}.")
    return ctx.answer(text, STATUS_NO_POLICY, [], notes, [])
