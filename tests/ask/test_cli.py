from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medpolicy.api import Store
from medpolicy.cli import app

runner = CliRunner()


@pytest.fixture
def db(store: Store, tmp_path: Path) -> str:
    return str(tmp_path / "ask.db")


def test_ask_prints_the_answer_and_its_evidence(db: str) -> None:
    result = runner.invoke(app, ["ask", "Is 86357 covered by Orchard Valley?", "--db", db, "--no-llm"])
    assert result.exit_code == 0, result.output
    assert "A: No. Orchard Valley Health considers 86357 investigational" in result.output
    assert "Evidence:" in result.output and "OV-2.01" in result.output


def test_ask_json(db: str) -> None:
    result = runner.invoke(app, ["ask", "Does Aetna cover 86356?", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == "no_policy_found"
    assert data["answer"].startswith("No policy found in the store for 86356 at Aetna")
    assert data["parsed"]["payers"] == ["Aetna"]


def test_an_empty_question_is_refused(db: str) -> None:
    result = runner.invoke(app, ["ask", "  ", "--db", db])
    assert result.exit_code == 2
    assert "give a question" in result.output


def test_ask_eval_scores_a_question_set_against_a_store(db: str, tmp_path: Path) -> None:
    questions = tmp_path / "questions.json"
    questions.write_text(
        json.dumps(
            {
                "today": "2026-06-15",
                "questions": [
                    {
                        "id": "a",
                        "question": "Is 86357 covered by Orchard?",
                        "status": "answered",
                        "payers": ["Orchard Valley Health"],
                        "policies": ["OV-2.01"],
                    },
                    {"id": "b", "question": "Does Aetna cover 86356?", "status": "answered"},
                ],
            }
        )
    )
    result = runner.invoke(
        app, ["ask-eval", "--questions", str(questions), "--db", db, "--min-accuracy", "0.4"]
    )
    assert result.exit_code == 0, result.output
    assert "PASS a:" in result.output and "FAIL b:" in result.output
    assert "accuracy: 0.500 (1/2 questions)" in result.output
    failing = runner.invoke(
        app, ["ask-eval", "--questions", str(questions), "--db", db, "--min-accuracy", "0.9"]
    )
    assert failing.exit_code == 1


def test_ask_eval_names_a_broken_question_file(tmp_path: Path, db: str) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["ask-eval", "--questions", str(broken), "--db", db])
    assert result.exit_code == 1
    assert "broken.json: not a question set" in result.output
