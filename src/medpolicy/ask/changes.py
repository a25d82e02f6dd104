"""What changed in policies: codes added or removed, positions that moved, new dates.

Changes come from `Store.changes` (consecutive versions of each policy). A change is
dated by its newer version: its effective date, else its last revised or published date
(for the current version), else the day it was stored. The question's period, payers,
codes, service words and policy numbers narrow the list.
"""

from __future__ import annotations

from medpolicy.ask.answer import STATUS_ANSWERED, STATUS_NO_POLICY, Answer, Evidence
from medpolicy.ask.context import Context
from medpolicy.ask.corpus import PolicyRecord
from medpolicy.ask.evidence import latest_date, line_in, policy_label, quoted_evidence, status_words
from medpolicy.ask.retrieval import related_policies
from medpolicy.ask.verdicts import join_words
from medpolicy.model import STATUSES
from medpolicy.query.results import PolicyChange, PolicyDetail

MAX_CHANGES = 20
SERVICE_POLICY_MATCH = 0.8


def answer_changes(ctx: Context) -> Answer:
    q = ctx.question
    notes = [f"The store holds no policies from {name}." for name in q.unknown_payers]
    if q.unknown_payers and not q.payers:
        text = f"No policy changes found in the store for {join_words(q.unknown_payers)}."
        return ctx.answer(text, STATUS_NO_POLICY, [], notes)
    changes: list[PolicyChange] = []
    if q.payers:
        for payer in q.payers:
            changes.extend(ctx.store.changes(payer=payer))
    else:
        changes = ctx.store.changes()
    chosen = [c for c in changes if _in_period(ctx, c) and _about(ctx, c)]
    chosen.sort(key=lambda c: (_when(ctx, c), c.policy_id), reverse=True)
    scope = _scope(ctx)
    if not chosen:
        notes.append("A change is recorded when a policy is stored again with different content.")
        return ctx.answer(f"No policy changes are recorded in the store{scope}.", STATUS_NO_POLICY, [], notes)
    if len(chosen) > MAX_CHANGES:
        notes.append(f"{len(chosen)} changes found; the {MAX_CHANGES} most recent are shown.")
        chosen = chosen[:MAX_CHANGES]
    summaries = []
    evidence: list[Evidence] = []
    records: list[PolicyRecord] = []
    for change in chosen:
        summary, quotes = _describe(ctx, change)
        summaries.append(summary)
        evidence.extend(quotes)
        record = ctx.snap.by_policy_id.get(change.policy_id)
        if record is not None:
            records.append(record)
    count = f"{len(chosen)} policy change{'s' if len(chosen) != 1 else ''}"
    text = f"{count} recorded in the store{scope}: " + " ".join(summaries)
    return ctx.answer(text, STATUS_ANSWERED, evidence, notes, records)


def _scope(ctx: Context) -> str:
    q = ctx.question
    parts = []
    if q.payers:
        parts.append(f" for {join_words(q.payers)}")
    if q.codes:
        parts.append(f" involving {join_words([c for _, c in q.codes])}")
    if q.services:
        parts.append(f" about {q.services[0]}")
    if q.since and q.until:
        parts.append(f" between {q.since} and {q.until}")
    elif q.since:
        parts.append(f" since {q.since}")
    return "".join(parts)


def _when(ctx: Context, change: PolicyChange) -> str:
    """The newer version's date (see the module notes)."""
    if change.after.effective:
        return change.after.effective
    record = ctx.snap.by_policy_id.get(change.policy_id)
    if record is not None and record.version_no == change.after.version_no:
        dated = latest_date(record)
        if dated:
            return dated
    return change.after.ingested_at[:10]


def _in_period(ctx: Context, change: PolicyChange) -> bool:
    when = _when(ctx, change)
    q = ctx.question
    if q.since and when[: len(q.since)] < q.since[: len(when)]:
        return False
    return not (q.until and when[: len(q.until)] > q.until[: len(when)])


def _about(ctx: Context, change: PolicyChange) -> bool:
    q = ctx.question
    record = ctx.snap.by_policy_id.get(change.policy_id)
    if q.policy_numbers and (record is None or not ctx.wanted(record)):
        return False
    if q.codes:
        wanted = {code for _, code in q.codes}
        touched = {c.code for c in (*change.codes_added, *change.codes_removed)}
        touched |= {s.subject for s in change.code_status_changes}
        listed = {p.policy_id for code in wanted for p in ctx.store.code(code).policies}
        if not (wanted & touched) and change.policy_id not in listed:
            return False
    if q.service_terms:
        related = related_policies(ctx.snap, q.service_terms, min_ratio=SERVICE_POLICY_MATCH, limit=1000)
        if change.policy_id not in {m.record.policy_id for m in related}:
            return False
    return True


def _describe(ctx: Context, change: PolicyChange) -> tuple[str, list[Evidence]]:
    record = ctx.snap.by_policy_id.get(change.policy_id)
    label = policy_label(record) if record else (change.title or f"policy id {change.policy_id}")
    head = (
        f"{change.payer or 'payer not stated'} {label} (version {change.before.version_no} → "
        f"{change.after.version_no}, dated {_when(ctx, change)})"
    )
    after = ctx.store.policy(change.policy_id, version=change.after.version_no, text=True)
    before = ctx.store.policy(change.policy_id, version=change.before.version_no, text=True)
    items: list[str] = []
    quotes: list[Evidence] = []
    if change.codes_added:
        items.append("added " + join_words([c.code for c in change.codes_added]))
        quotes.extend(_code_quotes(record, after, [c.code for c in change.codes_added]))
    if change.codes_removed:
        items.append("removed " + join_words([c.code for c in change.codes_removed]))
        quotes.extend(_code_quotes(record, before, [c.code for c in change.codes_removed]))
    for moved in change.position_status_changes:
        items.append(
            f"“{_short(moved.subject)}” moved from {status_words(moved.before or 'no position')} to "
            f"{status_words(moved.after or 'no position')}"
        )
        quotes.extend(_statement_quotes(record, after, moved.statement_after, moved.after))
    moves: dict[tuple[str, str], list[str]] = {}
    for moved in change.code_status_changes:
        if moved.before in STATUSES and moved.after in STATUSES:
            moves.setdefault((moved.before, moved.after), []).append(moved.subject)
    for (was, now), codes in moves.items():
        items.append(f"{join_words(codes)} moved from {status_words(was)} to {status_words(now)}")
    if change.positions_added:
        items.append(f"{len(change.positions_added)} position(s) added")
        for position in change.positions_added:
            quotes.extend(_statement_quotes(record, after, position.statement, position.status))
    if change.positions_removed:
        items.append(f"{len(change.positions_removed)} position(s) removed")
    if change.title_change:
        items.append(f"title changed to “{change.title_change.after}”")
    for dated in change.date_changes:
        items.append(f"{dated.field.replace('_', ' ')} {dated.before or 'none'} → {dated.after or 'none'}")
    if not items:
        items.append("the wording changed, with no change to codes, positions or dates")
    return f"{head}: {'; '.join(items)}.", quotes


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _version_record(record: PolicyRecord | None, detail: PolicyDetail) -> PolicyRecord:
    """A record standing for `detail`'s version (the snapshot holds current versions only)."""
    summary = detail.version.summary
    return PolicyRecord(
        version_id=-1,
        policy_id=detail.policy_id,
        version_no=summary.version_no,
        payer=detail.payer,
        payer_key=record.payer_key if record else "",
        policy_number=detail.policy_number,
        title=summary.title or detail.title,
        doc_type=detail.doc_type,
        dates=dict(detail.version.dates),
        sections=record.sections if record and record.version_no == summary.version_no else [],
    )


def _code_quotes(record: PolicyRecord | None, detail: PolicyDetail, codes: list[str]) -> list[Evidence]:
    text = detail.version.text or ""
    version = _version_record(record, detail)
    quotes = []
    for stored in detail.version.codes:
        if stored.code in codes and stored.spans:
            line, span = line_in(text, stored.spans[0])
            quotes.append(quoted_evidence(version, line, span, status=stored.status, code=stored.code))
    return quotes


def _statement_quotes(
    record: PolicyRecord | None, detail: PolicyDetail, statement: str | None, status: str | None
) -> list[Evidence]:
    if not statement:
        return []
    version = _version_record(record, detail)
    for position in detail.version.coverage:
        if position.statement == statement:
            span = position.spans[0] if position.spans else None
            return [quoted_evidence(version, statement, span, status=status)]
    return [quoted_evidence(version, statement, None, status=status)]
