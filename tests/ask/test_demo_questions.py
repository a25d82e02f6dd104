"""The shipped question set over the demo corpus: its expected answers come from the documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import medpolicy
from medpolicy.api import Store
from medpolicy.ask import INTENTS, ask
from medpolicy.ask.evaluation import evaluate, load_questions
from medpolicy.demo import corpus_dir

ACCURACY_FLOOR = 0.9


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("ask-demo") / "demo.db"
    with medpolicy.open(path) as store:
        summary = store.ingest([corpus_dir()])
        assert not [item for item in summary.items if item.outcome == "failed"]
        yield store


def test_the_question_set_is_broad() -> None:
    questions = load_questions().questions
    assert len(questions) >= 40
    assert len({q["id"] for q in questions}) == len(questions)
    assert sum(q.get("status") == "no_policy_found" for q in questions) >= 8
    assert {q["intent"] for q in questions if "intent" in q} == set(INTENTS)
    assert all(q.get("source") for q in questions)


def test_accuracy_on_the_demo_corpus(demo_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    evaluation = evaluate(demo_store, load_questions())
    with capsys.disabled():
        print(
            f"\nask accuracy on the demo question set: {evaluation.accuracy:.3f} "
            f"({sum(o.passed for o in evaluation.outcomes)}/{len(evaluation.outcomes)})"
        )
    assert evaluation.accuracy >= ACCURACY_FLOOR, evaluation.to_text()


def test_questions_about_what_the_store_lacks_are_never_guessed(demo_store: Store) -> None:
    question_set = load_questions()
    absent = [q for q in question_set.questions if q.get("status") == "no_policy_found"]
    for item in absent:
        answer = ask(demo_store, item["question"], today=question_set.today, rephrase=False)
        assert answer.status == "no_policy_found", (item["question"], answer.answer)
        assert not [e for e in answer.evidence if e.status], item["question"]
