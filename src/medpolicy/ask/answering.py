"""`ask(store, question)`: read the question, send it to the answerer for its intent, optionally rephrase."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from medpolicy.ask import llm
from medpolicy.ask.answer import Answer
from medpolicy.ask.changes import answer_changes
from medpolicy.ask.code_coverage import answer_code_coverage
from medpolicy.ask.code_info import answer_code_info, answer_modifiers
from medpolicy.ask.context import Context
from medpolicy.ask.corpus import snapshot
from medpolicy.ask.diagnoses import answer_diagnoses
from medpolicy.ask.payer_policies import answer_not_understood, answer_payer_policies
from medpolicy.ask.question import read_question
from medpolicy.ask.service_coverage import answer_service_coverage

if TYPE_CHECKING:
    from medpolicy.api import Store

MAX_QUESTION_CHARS = 2000

ANSWERERS: dict[str, Callable[[Context], Answer]] = {
    "coverage_at_payer": answer_code_coverage,
    "coverage_across_payers": answer_code_coverage,
    "service_at_payer": answer_service_coverage,
    "payers_for_service": answer_service_coverage,
    "diagnoses": answer_diagnoses,
    "modifiers": answer_modifiers,
    "changes": answer_changes,
    "code_info": answer_code_info,
    "payer_policies": answer_payer_policies,
    "unknown": answer_not_understood,
}


def ask(store: Store, question: str, *, today: date | None = None, rephrase: bool | None = None) -> Answer:
    """Answer `question` from the policies in `store`, with the evidence for every part of the answer.

    Deterministic and offline. `today` dates "this year" and the out-of-date notes
    (default: the system date). `rephrase=None` lets a language model reword the direct
    sentence only when $MEDPOLICY_LLM_URL is set (see `medpolicy.ask.llm`); True or False
    forces it on or off. The evidence never comes from a model.
    """
    when = today or date.today()
    text = question[:MAX_QUESTION_CHARS]
    snap = snapshot(store)
    read = read_question(text, snap, when)
    answer = ANSWERERS[read.intent](Context(store, snap, read, when))
    if rephrase or (rephrase is None and llm.configured()):
        llm.rephrase(answer)
    return answer
