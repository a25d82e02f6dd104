"""What a code is (shipped code sets, imported catalogs, descriptions documents give) and its modifiers."""

from __future__ import annotations

import re

from medpolicy.ask.answer import (
    SOURCE_CATALOG,
    SOURCE_CODE_SET,
    SOURCE_MODIFIER_NOTES,
    STATUS_ANSWERED,
    STATUS_NO_POLICY,
    Answer,
    Evidence,
)
from medpolicy.ask.code_coverage import range_codes
from medpolicy.ask.context import Context
from medpolicy.ask.evidence import line_at, quoted_evidence
from medpolicy.ask.question import DIAGNOSIS_SYSTEMS
from medpolicy.ask.retrieval import NON_POLICY_TYPES
from medpolicy.ask.verdicts import join_words
from medpolicy.codes import CodeError, describe_offline, lookup_descriptions, modifiers_for
from medpolicy.codes.describe import CodeInfo
from medpolicy.query.results import CodeLookup

MAX_CODES = 10
_MODIFIER_SENTENCE = re.compile(r"[^.\n]*\bmodifiers?\b[^.\n]*[.\n]?", re.I)
QUOTE_CHARS = 300


def _codes(ctx: Context) -> list[tuple[str | None, str]]:
    """The question's codes, then those of its ranges, at most MAX_CODES."""
    codes = list(ctx.question.codes)
    for rng in ctx.question.ranges:
        codes.extend((rng.system, code) for code in range_codes(rng)[0])
    return codes[:MAX_CODES]


def _reference(title: str, statement: str, source: str, code: str) -> Evidence:
    return Evidence(None, None, None, title, None, None, None, statement, None, None, code, source)


def answer_code_info(ctx: Context) -> Answer:
    sentences: list[str] = []
    evidence: list[Evidence] = []
    described = False
    for system, code in _codes(ctx):
        lookup = ctx.store.code(code)
        try:
            info: CodeInfo | None = describe_offline(lookup.code, system or lookup.system)
        except CodeError:
            info = None
        text, items, has_description = _describe(ctx, lookup, info)
        sentences.append(text)
        evidence.extend(items)
        described = described or has_description
    notes = []
    if any(system == "CPT" for system, _ in ctx.question.codes):
        notes.append(
            "medpolicy ships no CPT descriptions (they are licensed by the AMA); CPT wording comes from "
            "documents in the store or a file imported with `medpolicy import cpt`."
        )
    status = STATUS_ANSWERED if described else STATUS_NO_POLICY
    return ctx.answer(
        " ".join(sentences) or "No code in the question could be looked up.", status, evidence, notes
    )


def _describe(ctx: Context, lookup: CodeLookup, info: CodeInfo | None) -> tuple[str, list[Evidence], bool]:
    code = lookup.code
    evidence: list[Evidence] = []
    parts: list[str] = []
    if info is None:
        parts.append(f"{code} is not a code medpolicy recognises.")
    else:
        parts.append(f"{code} is {_kind(info)}.")
        if info.valid is False:
            parts.append(f"It is not in medpolicy's {info.system} code set.")
        for description in info.descriptions:
            parts.append(f"Official description: “{description.text}”.")
            evidence.append(_reference(description.source, description.text, SOURCE_CODE_SET, code))
        for description in lookup_descriptions(ctx.store.engine, info.system, info.code):
            parts.append(f"Imported description: “{description.text}”.")
            evidence.append(_reference(description.source, description.text, SOURCE_CATALOG, code))
    documents = []
    for given in lookup.descriptions:
        record = ctx.snap.by_policy_id.get(given.policy_id)
        if record is None:
            continue
        documents.append(given.description)
        line, span = (
            line_at(ctx.store, record.version_id, given.span) if given.span else (given.description, None)
        )
        evidence.append(quoted_evidence(record, line, span, code=code))
    if documents:
        parts.append(
            f"Documents in the store describe it as “{documents[0]}”"
            + (f" (and {len(documents) - 1} more)." if len(documents) > 1 else ".")
        )
    policies = [p for p in lookup.policies if p.payer is not None and p.doc_type not in NON_POLICY_TYPES]
    payers = sorted({p.payer for p in policies if p.payer})
    if policies:
        count = f"{len(policies)} current polic{'y' if len(policies) == 1 else 'ies'}"
        parts.append(f"{count} from {join_words(payers)} name{'s' if len(policies) == 1 else ''} it.")
    else:
        parts.append("No payer policy in the store names it.")
    has_description = bool(documents) or bool(info and (info.descriptions or evidence))
    return " ".join(parts), evidence, has_description


def _kind(info: CodeInfo) -> str:
    """'a CPT Category I code (Pathology and Laboratory)', 'an ICD-10-CM billable code (…)'."""
    category = info.category or info.system
    head, _, rest = category.partition(" (")
    if not re.search(r"\bcodes?$", head):
        head += " code"
    detail = f" ({rest}" if rest else ""
    if info.chapter and info.chapter not in detail:
        detail += f" ({info.chapter})"
    article = "an" if head[:1].upper() in "AEIOU" and not head.startswith("U") else "a"
    return f"{article} {head}{detail}"


def answer_modifiers(ctx: Context) -> Answer:
    sentences: list[str] = []
    evidence: list[Evidence] = []
    found_any = False
    keys = ctx.payer_keys()
    for system, code in _codes(ctx):
        lookup = ctx.store.code(code)
        family_system = system or lookup.system or ""
        if family_system in DIAGNOSIS_SYSTEMS:
            sentences.append(
                f"{code} is a diagnosis code; modifiers apply to procedure and supply codes, not diagnoses."
            )
            found_any = True
            continue
        common = modifiers_for(family_system, lookup.code)
        if common:
            listed = "; ".join(f"{m.code} ({m.meaning.rstrip('.')})" for m in common)
            sentences.append(f"Modifiers that commonly come up with {lookup.code}: {listed}.")
            evidence.extend(
                _reference(
                    "medpolicy modifier notes",
                    f"{m.code}: {m.meaning} When: {m.when}",
                    SOURCE_MODIFIER_NOTES,
                    m.code,
                )
                for m in common
            )
            found_any = True
        quoted = _policy_mentions(ctx, lookup, keys)
        if quoted:
            payers = join_words(sorted({e.payer for e in quoted if e.payer}))
            sentences.append(
                f"Policies from {payers} that name {lookup.code} also mention modifiers (quoted below)."
            )
            evidence.extend(quoted)
            found_any = True
        elif not common:
            sentences.append(
                f"medpolicy has no modifier notes for {lookup.code}, and no policy naming it mentions one."
            )
    notes = [
        "Modifier notes are general reminders by code family, not a payer's rule; the payer's policy and "
        "the claim decide."
    ]
    return ctx.answer(
        " ".join(sentences), STATUS_ANSWERED if found_any else STATUS_NO_POLICY, evidence, notes
    )


def _policy_mentions(ctx: Context, lookup: CodeLookup, keys: set[str] | None) -> list[Evidence]:
    quoted: list[Evidence] = []
    seen: set[int] = set()
    for named in lookup.policies:
        record = ctx.snap.by_policy_id.get(named.policy_id)
        if record is None or record.policy_id in seen or record.doc_type in NON_POLICY_TYPES:
            continue
        if keys is not None and record.payer_key not in keys:
            continue
        seen.add(record.policy_id)
        text = ctx.store.policy(record.policy_id, text=True).version.text or ""
        for match in _MODIFIER_SENTENCE.finditer(text):
            statement = match.group(0).strip()[:QUOTE_CHARS]
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            quoted.append(
                quoted_evidence(record, statement, (start, start + len(statement)), code=lookup.code)
            )
    return quoted
