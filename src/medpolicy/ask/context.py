"""What every answerer is given: the store, its indexed snapshot, the question as read, and today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from medpolicy.ask.answer import Answer, Evidence, Parsed
from medpolicy.ask.corpus import PolicyRecord, Snapshot
from medpolicy.ask.evidence import staleness_notes
from medpolicy.ask.question import Question
from medpolicy.store.identity import number_key

if TYPE_CHECKING:
    from medpolicy.api import Store


@dataclass(frozen=True, slots=True)
class Context:
    store: Store
    snap: Snapshot
    question: Question
    today: date

    def payer_keys(self) -> set[str] | None:
        """The keys of the payers the question names that the store holds (None: no payer named)."""
        if not self.question.payers:
            return None
        wanted = set(self.question.payers)
        return {key for key, name in self.snap.payers.items() if name in wanted}

    def wanted(self, record: PolicyRecord) -> bool:
        """True unless the question names policy numbers and this is not one of them."""
        numbers = {number_key(n) for n in self.question.policy_numbers}
        return not numbers or number_key(record.policy_number) in numbers

    def parsed(self) -> Parsed:
        q = self.question
        codes = [code for _, code in q.codes] + [str(r) for r in q.ranges]
        return Parsed(
            codes=codes,
            payers=[*q.payers, *q.unknown_payers],
            services=list(q.services),
            since=q.since,
            until=q.until,
            statuses=list(q.statuses),
            policy_numbers=list(q.policy_numbers),
        )

    def answer(
        self,
        sentence: str,
        status: str,
        evidence: list[Evidence],
        notes: list[str] | None = None,
        records: list[PolicyRecord] | None = None,
    ) -> Answer:
        """An Answer for this question; policies in `records` get a note when they may be out of date."""
        all_notes = list(notes or [])
        all_notes.extend(staleness_notes(records or [], self.today))
        return Answer(
            question=self.question.text,
            intent=self.question.intent,
            answer=sentence,
            evidence=evidence,
            status=status,
            notes=list(dict.fromkeys(all_notes)),
            parsed=self.parsed(),
        )
