"""The policies a payer has in the store, and the reply to a question nothing in it could be read from."""

from __future__ import annotations

from medpolicy.ask.answer import STATUS_ANSWERED, STATUS_NO_POLICY, STATUS_NOT_UNDERSTOOD, Answer, Evidence
from medpolicy.ask.context import Context
from medpolicy.ask.evidence import policy_date, policy_label
from medpolicy.ask.retrieval import NON_POLICY_TYPES
from medpolicy.ask.verdicts import join_words

MAX_LISTED = 40

EXAMPLES = (
    "“Is 86357 covered by <payer>?”, “Which payers consider adoptive immunotherapy investigational?”, "
    "“What ICD-10 codes support medical necessity for J9035 at <payer>?”, “What changed this year?”"
)


def answer_payer_policies(ctx: Context) -> Answer:
    q = ctx.question
    keys = ctx.payer_keys() or set()
    records = sorted(
        (r for r in ctx.snap.records if r.payer_key in keys and r.doc_type not in NON_POLICY_TYPES),
        key=lambda r: (r.payer or "", r.policy_number or "", r.title or ""),
    )
    notes = [f"The store holds no policies from {name}." for name in q.unknown_payers]
    if not records:
        named = join_words(q.unknown_payers) if q.unknown_payers else "this payer"
        return ctx.answer(f"No policy found in the store for {named}.", STATUS_NO_POLICY, [], notes)
    sentences = []
    for payer in q.payers:
        own = [r for r in records if r.payer == payer]
        listed = "; ".join(
            f"{policy_label(r)}" + (f" ({policy_date(r)})" if policy_date(r) else "")
            for r in own[:MAX_LISTED]
        )
        more = f" and {len(own) - MAX_LISTED} more" if len(own) > MAX_LISTED else ""
        sentences.append(
            f"{payer} has {len(own)} current polic{'y' if len(own) == 1 else 'ies'} in the store: "
            f"{listed}{more}."
        )
    evidence = [
        Evidence(
            payer=r.payer,
            policy_id=r.policy_id,
            policy_number=r.policy_number,
            title=r.title,
            version=r.version_no,
            section=None,
            effective=policy_date(r),
            statement=r.title or policy_label(r),
            span=None,
        )
        for r in records[:MAX_LISTED]
    ]
    return ctx.answer(" ".join(sentences + notes), STATUS_ANSWERED, evidence, [], records)


def answer_not_understood(ctx: Context) -> Answer:
    text = (
        "I could not find a billing code, a payer in the store, a service the policies describe, or a date "
        "in this question."
    )
    return ctx.answer(text, STATUS_NOT_UNDERSTOOD, [], [f"Questions it can answer look like {EXAMPLES}."])
