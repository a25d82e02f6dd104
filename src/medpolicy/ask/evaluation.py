"""Scoring `ask` against a question set whose expected answers were read from the documents.

The shipped set (`demo_questions.json`) covers the demo corpus; `demo_accuracy()` ingests
the corpus into a temporary store and scores it, which is how the accuracy quoted in
the README is reproduced (`medpolicy ask-eval`). A question passes when every
expectation it states holds (see the set's description).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import medpolicy
from medpolicy.ask.answer import Answer
from medpolicy.ask.answering import ask
from medpolicy.demo import corpus_dir
from medpolicy.errors import MedpolicyError
from medpolicy.payers import payer_key
from medpolicy.store.identity import number_key

if TYPE_CHECKING:
    from medpolicy.api import Store

DEMO_QUESTIONS = "demo_questions.json"
_CHECKS = (
    "intent",
    "status",
    "payers",
    "policies",
    "answer_contains",
    "answer_excludes",
    "evidence_statuses",
)


@dataclass(frozen=True, slots=True)
class QuestionSet:
    today: date
    questions: list[dict[str, Any]]


@dataclass(slots=True)
class Outcome:
    id: str
    question: str
    answer: Answer
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class Evaluation:
    outcomes: list[Outcome]

    @property
    def accuracy(self) -> float:
        return sum(o.passed for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def to_text(self) -> str:
        lines = [f"{'PASS' if o.passed else 'FAIL'} {o.id}: {o.question}" for o in self.outcomes]
        for outcome in self.outcomes:
            if not outcome.passed:
                lines.append(f"  {outcome.id}: " + "; ".join(outcome.problems))
                lines.append(
                    f"    answer ({outcome.answer.intent}, {outcome.answer.status}): {outcome.answer.answer}"
                )
        passed = sum(o.passed for o in self.outcomes)
        lines.append(f"accuracy: {self.accuracy:.3f} ({passed}/{len(self.outcomes)} questions)")
        return "\n".join(lines) + "\n"


def load_questions(path: Path | None = None) -> QuestionSet:
    """A question set from `path`, or the shipped demo set; MedpolicyError naming the file when malformed."""
    name = str(path) if path else DEMO_QUESTIONS
    try:
        raw = (
            path.read_text(encoding="utf-8")
            if path
            else (resources.files("medpolicy.ask").joinpath(DEMO_QUESTIONS).read_text(encoding="utf-8"))
        )
        data = json.loads(raw)
        questions = data["questions"]
        today = date.fromisoformat(data.get("today") or date.today().isoformat())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MedpolicyError(f"{name}: not a question set ({exc})") from None
    for number, item in enumerate(questions, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise MedpolicyError(f"{name}: question {number} has no 'question' text")
    return QuestionSet(today, questions)


def evaluate(store: Store, question_set: QuestionSet) -> Evaluation:
    """Ask every question of `store` and check each answer against its expectations."""
    outcomes = []
    for number, item in enumerate(question_set.questions, start=1):
        answer = ask(store, item["question"], today=question_set.today, rephrase=False)
        outcomes.append(Outcome(str(item.get("id", number)), item["question"], answer, check(answer, item)))
    return Evaluation(outcomes)


def check(answer: Answer, expected: dict[str, Any]) -> list[str]:
    """What about `answer` contradicts `expected` (empty when it passes)."""
    problems: list[str] = []
    if "intent" in expected and answer.intent != expected["intent"]:
        problems.append(f"intent {answer.intent}, expected {expected['intent']}")
    statuses = expected.get("status")
    allowed = [statuses] if isinstance(statuses, str) else statuses
    if allowed and answer.status not in allowed:
        problems.append(f"status {answer.status}, expected {' or '.join(allowed)}")
    cited_payers = {payer_key(e.payer) for e in answer.evidence if e.payer}
    for payer in expected.get("payers", []):
        if payer_key(payer) not in cited_payers:
            problems.append(f"{payer} not cited")
    numbers = {number_key(e.policy_number) for e in answer.evidence if e.policy_number}
    titles = {(e.title or "").casefold() for e in answer.evidence}
    for policy in expected.get("policies", []):
        if number_key(policy) not in numbers and policy.casefold() not in titles:
            problems.append(f"policy {policy} not cited")
    sentence = answer.answer.casefold()
    for words in expected.get("answer_contains", []):
        if words.casefold() not in sentence:
            problems.append(f"answer lacks {words!r}")
    for words in expected.get("answer_excludes", []):
        if words.casefold() in sentence:
            problems.append(f"answer contains {words!r}")
    cited_statuses = {e.status for e in answer.evidence if e.status}
    for status in expected.get("evidence_statuses", []):
        if status not in cited_statuses:
            problems.append(f"no evidence with status {status}")
    unknown = set(expected) - {*_CHECKS, "id", "question", "source"}
    if unknown:
        problems.append(f"unknown expectation(s): {', '.join(sorted(unknown))}")
    return problems


def demo_accuracy(question_set: QuestionSet | None = None, *, jobs: int = 1) -> Evaluation:
    """Ingest the demo corpus into a temporary store and score the (demo) question set on it."""
    with (
        tempfile.TemporaryDirectory(prefix="medpolicy-ask-") as folder,
        medpolicy.open(Path(folder) / "demo.db") as store,
    ):
        store.ingest([corpus_dir()], jobs=jobs)
        return evaluate(store, question_set or load_questions())
