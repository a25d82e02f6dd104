"""One payer's position on one subject (a code or a service), from the findings in its policies.

A *finding* is what one policy says: a status for a code, or one coverage position that
matches a service. Findings from policies proper outrank those from bulletins and index
pages (doc_type "other"), which only restate them. Per policy, several statuses mean the
answer *depends* on the indication; across policies of one payer, different statuses
mean the policies *disagree*.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from medpolicy.ask.answer import Evidence
from medpolicy.ask.corpus import PolicyRecord, Position
from medpolicy.ask.evidence import policy_label, status_words
from medpolicy.ask.question import Question
from medpolicy.model import STATUSES

CLEAR = "clear"  # one status
DEPENDS = "depends"  # one policy, different statuses for different indications
CONFLICT = "conflict"  # policies of the payer disagree
UNSTATED = "unstated"  # the policy names the subject but states no position for it
NONE = "none"  # the payer has policies in the store, none on the subject
NOT_IN_STORE = "not_in_store"  # the store holds no policy of the payer
SUMMARY_CHARS = 110
ITEMS_SHOWN = 3  # indications named per status in a sentence


@dataclass(slots=True)
class Finding:
    record: PolicyRecord
    status: str | None  # a status, "mixed" (the policy's positions differ) or None (no position stated)
    positions: list[Position] = field(default_factory=list)  # the positions behind it
    evidence: list[Evidence] = field(default_factory=list)
    via: str | None = None  # how a code was matched when not by name, e.g. "range C18.0-C18.9"
    on_service: bool = False  # the positions are those on the indication the question names
    mention_only: bool = False  # the policy names the code only in passing (history, cross-reference)


@dataclass(slots=True)
class Verdict:
    payer: str
    kind: str
    statuses: list[str]  # every status the payer's findings state, most common first
    findings: list[Finding]

    @property
    def records(self) -> list[PolicyRecord]:
        return [f.record for f in self.findings]

    @property
    def status(self) -> str | None:
        """The one status, for a clear verdict."""
        return self.statuses[0] if self.kind == CLEAR else None


def verdict(payer: str, findings: list[Finding]) -> Verdict:
    """The payer's position from its findings (an empty list: no policy on the subject)."""
    if not findings:
        return Verdict(payer, NONE, [], [])
    primary = [f for f in findings if f.record.doc_type != "other"] or findings
    by_policy: dict[int, set[str]] = {}
    for finding in primary:
        statuses = by_policy.setdefault(finding.record.policy_id, set())
        if finding.status in STATUSES:
            statuses.add(finding.status)
        elif finding.status == "mixed":
            statuses.update(p.status for p in finding.positions)
            statuses.add("mixed")
    single = {next(iter(s)) for s in by_policy.values() if len(s) == 1 and "mixed" not in s}
    varied = [s for s in by_policy.values() if len(s - {"mixed"}) > 1 or "mixed" in s]
    every = [s for s in _ordered(primary) if s in STATUSES]
    if len(single) > 1:
        kind = CONFLICT
    elif varied:
        kind = DEPENDS
    elif single:
        kind = CLEAR
    else:
        kind = UNSTATED
    return Verdict(payer, kind, every or sorted(single), primary)


def _ordered(findings: list[Finding]) -> list[str]:
    counts: dict[str, int] = {}
    for finding in findings:
        statuses = [p.status for p in finding.positions] if finding.status == "mixed" else [finding.status]
        for status in statuses:
            if status is not None:
                counts[status] = counts.get(status, 0) + 1
    return sorted(counts, key=lambda s: (-counts[s], STATUSES.index(s) if s in STATUSES else 99))


def refs(findings: list[Finding]) -> str:
    """'0349 Acupuncture' or 'A; B' for the distinct policies of the findings."""
    labels = list(dict.fromkeys(policy_label(f.record) for f in findings))
    return "; ".join(labels)


_LEAD_IN = re.compile(
    r"^.*?\b(?:eligible under the plan for|will (?:not )?consider reimbursement (?:for|of)|considers?)\s+",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;:.]|\s(?:when|if|is|are|may|meets|does)\s", re.I)
# Subjects that name nothing by themselves: the service is elsewhere in the statement.
_VAGUE = re.compile(
    r"^(?:this|these|those|such|it|they|a listed code|(?:each|any) of the following|the following)\b",
    re.I,
)


def applies(position: Position, payer: str | None = None) -> str:
    """What a position is about, short: its applies-to, else the service its statement names."""
    given = " ".join((position.applies_to or "").split()).split(" | ")[0]  # a table row's first cell
    if len(given) >= 8 and not _VAGUE.match(given) and not (payer and payer.casefold() in given.casefold()):
        text = given
    else:
        statement = position.quote or " ".join(position.statement.split())
        head, colon, tail = statement.partition(": ")
        if colon and tail and _VAGUE.match(_LEAD_IN.sub("", head, count=1)):
            text = tail.split(";")[0]  # "Each of the following is …: A; B; C" is about A, B, C
        else:
            text = _LEAD_IN.sub("", statement, count=1)
            end = _CLAUSE_END.search(text, 12)
            text = text[: end.start()] if end else text
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip(" ,;:") + "…"


def by_status(positions: list[Position], payer: str | None = None) -> str:
    """'medically necessary for A; investigational for B / C'."""
    grouped: dict[str, list[str]] = {}
    for position in positions:
        grouped.setdefault(position.status, [])
        text = applies(position, payer)
        if text not in grouped[position.status]:
            grouped[position.status].append(text)
    ordered = sorted(grouped, key=lambda s: STATUSES.index(s) if s in STATUSES else 99)
    return "; ".join(f"{status_words(status)} for {_some(grouped[status])}" for status in ordered)


def _some(items: list[str]) -> str:
    """'A / B / C', or 'A / B / C and 2 more' (the evidence quotes them all)."""
    shown = " / ".join(items[:ITEMS_SHOWN])
    return shown + (f" and {len(items) - ITEMS_SHOWN} more" if len(items) > ITEMS_SHOWN else "")


def fragment(item: Verdict, subject: str) -> str:
    """The verdict as a clause: '<payer> considers <subject> investigational (8.01.41 Adoptive …)'."""
    if item.kind == NOT_IN_STORE:
        return (
            f"no policy found in the store for {subject} at {item.payer}: the store holds no policies from it"
        )
    if item.kind == NONE:
        return f"no policy found in the store for {subject} at {item.payer}"
    if item.kind == CLEAR:
        via = next((f.via for f in item.findings if f.via), None)
        inside = f", within the listed {via}" if via else ""
        status = status_words(item.statuses[0])
        return f"{item.payer} considers {subject} {status} ({refs(item.findings)}{inside})"
    if item.kind == CONFLICT:
        parts = []
        for finding in item.findings:
            if finding.status in STATUSES:
                parts.append(f"{status_words(finding.status)} under {policy_label(finding.record)}")
        return f"{item.payer}'s policies disagree on {subject}: " + "; ".join(dict.fromkeys(parts))
    if item.kind == DEPENDS:
        positions = [p for f in item.findings for p in f.positions] or []
        return (
            f"at {item.payer} it depends on the indication ({refs(item.findings)}): "
            f"{by_status(positions, item.payer)}"
        )
    return f"{item.payer}'s {refs(item.findings)} names {subject} but states no coverage position for it"


def which_payers(
    statuses: list[str],
    subject: str,
    verdicts: list[Verdict],
    full_name: Callable[[Verdict], str],
    partial_name: Callable[[Verdict], str],
) -> str:
    """'A and B consider X investigational; C for some indications. Elsewhere: …'."""
    wanted = set(statuses)
    asked = status_words(statuses[0]) if len(statuses) == 1 else "not covered (in any form)"
    full = [v for v in verdicts if v.kind == CLEAR and v.statuses[0] in wanted]
    partial = [v for v in verdicts if v.kind in (DEPENDS, CONFLICT) and wanted & set(v.statuses)]
    others = [v for v in verdicts if v not in full and v not in partial]
    parts = []
    if full:
        names = [full_name(v) for v in full]
        parts.append(f"{join_words(names)} consider{'s' if len(full) == 1 else ''} {subject} {asked}")
    if partial:
        parts.append(f"{join_words([partial_name(v) for v in partial])} for some indications")
    text = sentence("; ".join(parts)) if parts else f"No payer in the store considers {subject} {asked}."
    if others:
        text += " Elsewhere: " + "; ".join(fragment(v, subject) for v in others) + "."
    return text


def sentence(clause: str) -> str:
    """A clause as a sentence: capitalised, with a full stop."""
    text = clause.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


YES_NO_STARTS = ("is ", "are ", "does ", "do ", "will ", "would ", "can ", "should ", "did ")


def yes_no(question: Question, item: Verdict) -> str:
    """'Yes. ', 'No. ' or 'It depends on the indication. ' before the answer to a yes/no question."""
    if not question.statuses or not question.text.lower().startswith(YES_NO_STARTS):
        return ""
    if item.kind == CLEAR:
        return "Yes. " if item.statuses[0] in question.statuses else "No. "
    return ""


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def verdict_evidence(verdicts: list[Verdict]) -> list[Evidence]:
    """Every finding's evidence, each quote once, in verdict order."""
    seen: dict[tuple[object, ...], Evidence] = {}
    for item in verdicts:
        for finding in item.findings:
            for evidence in finding.evidence:
                seen.setdefault((evidence.policy_id, evidence.span, evidence.statement), evidence)
    return list(seen.values())
