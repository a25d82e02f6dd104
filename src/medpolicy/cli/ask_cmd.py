"""`medpolicy ask "QUESTION"`: a plain question answered from the store, with its evidence.

`medpolicy ask-eval` scores the answers on a question set (by default the demo set on
the demo corpus, in a temporary store) and prints the accuracy.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

import medpolicy
from medpolicy.ask import ask
from medpolicy.ask.evaluation import demo_accuracy, evaluate, load_questions
from medpolicy.cli.app import DbOption, app, db_url, print_error, user_errors


class AskFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help='The question, e.g. "Is 86357 covered by Keystone?"')],
    fmt: Annotated[AskFormat, typer.Option("--format", "-f", help="text or json.")] = AskFormat.text,
    db: str | None = DbOption,
    llm: Annotated[
        bool | None,
        typer.Option(
            "--llm/--no-llm",
            help="Let the language model at $MEDPOLICY_LLM_URL reword the answer sentence "
            "(default: only when that variable is set). Evidence never comes from it.",
        ),
    ] = None,
) -> None:
    """Answer a question from the stored policies, quoting the policy, section and date behind each part.

    Examples: "Is 86357 covered by Keystone Harbor?", "Which payers consider adoptive immunotherapy
    investigational?", "What ICD-10 codes support medical necessity for J9035 at Sunbelt?",
    "What changed this year?". A store without a policy on it says so; nothing is guessed.
    """
    if not question.strip():
        print_error('give a question, e.g. medpolicy ask "Is 86357 covered by Aetna?"')
        raise typer.Exit(2)
    with user_errors(), medpolicy.open(db_url(db)) as store:
        answer = ask(store, question, rephrase=llm)
    if fmt is AskFormat.json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(answer.to_text())


@app.command("ask-eval")
def ask_eval_command(
    questions: Annotated[
        Path | None,
        typer.Option(
            "--questions", "-q", help="A question set (JSON); default: the demo set shipped with medpolicy."
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Score against this store instead of the demo corpus in a temporary store."
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Workers ingesting the demo corpus.")] = 1,
    min_accuracy: Annotated[
        float | None,
        typer.Option("--min-accuracy", min=0.0, max=1.0, help="Exit with status 1 below this accuracy."),
    ] = None,
) -> None:
    """Score `ask` on a question set whose expected answers come from the documents; print the accuracy."""
    with user_errors():
        question_set = load_questions(questions)
        if db is None:
            evaluation = demo_accuracy(question_set, jobs=jobs)
        else:
            with medpolicy.open(db_url(db)) as store:
                evaluation = evaluate(store, question_set)
    sys.stdout.write(evaluation.to_text())
    if min_accuracy is not None and evaluation.accuracy < min_accuracy:
        print_error(f"accuracy {evaluation.accuracy:.3f} is below {min_accuracy:.3f}")
        raise typer.Exit(1)
