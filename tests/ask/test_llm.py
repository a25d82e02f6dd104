"""The optional language model, against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from medpolicy.api import Store
from medpolicy.ask import ask
from medpolicy.ask.llm import endpoint

from .conftest import TODAY


class FakeModel:
    """Answers chat completions with `reply` (or `status`) and records what it was sent."""

    def __init__(self) -> None:
        self.reply = "Orchard Valley Health treats 86357 as investigational under OV-2.01."
        self.status = 200
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                model.requests.append({"path": self.path, **json.loads(body)})
                model.headers.append(dict(self.headers))
                payload = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": model.reply}}]}
                )
                self.send_response(model.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeModel]:
    fake = FakeModel()
    monkeypatch.setenv("MEDPOLICY_LLM_URL", fake.url)
    monkeypatch.setenv("MEDPOLICY_LLM_MODEL", "tiny-test-model")
    monkeypatch.setenv("MEDPOLICY_LLM_KEY", "secret-token")
    yield fake
    fake.close()


QUESTION = "Is 86357 covered by Orchard Valley?"


def test_the_model_rewords_the_sentence_only(store: Store, model: FakeModel) -> None:
    plain = ask(store, QUESTION, today=TODAY, rephrase=False)
    answer = ask(store, QUESTION, today=TODAY)
    assert answer.answer == model.reply
    assert answer.original_answer == plain.answer
    assert answer.rephrased_by == "tiny-test-model"
    assert answer.evidence == plain.evidence and answer.status == plain.status
    sent = model.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["model"] == "tiny-test-model" and sent["temperature"] == 0
    assert plain.answer in sent["messages"][1]["content"]
    assert model.headers[0]["Authorization"] == "Bearer secret-token"
    assert "rephrased by tiny-test-model" in answer.to_text()


def test_a_reply_naming_a_code_the_answer_does_not_is_discarded(store: Store, model: FakeModel) -> None:
    model.reply = "Orchard Valley Health covers 86357 and 86356."
    answer = ask(store, QUESTION, today=TODAY)
    assert answer.rephrased_by is None
    assert answer.answer.startswith("No. Orchard Valley Health considers 86357 investigational")
    assert any("86356" in note and "discarded" in note for note in answer.notes)


def test_a_failing_server_leaves_the_answer_alone(store: Store, model: FakeModel) -> None:
    model.status = 500
    answer = ask(store, QUESTION, today=TODAY)
    assert answer.rephrased_by is None and answer.original_answer is None
    assert any("could not be used" in note for note in answer.notes)


def test_off_unless_configured_or_asked(
    store: Store, model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ask(store, QUESTION, today=TODAY, rephrase=False).rephrased_by is None
    assert model.requests == []
    monkeypatch.delenv("MEDPOLICY_LLM_URL")
    answer = ask(store, QUESTION, today=TODAY)
    assert answer.rephrased_by is None and model.requests == []
    forced = ask(store, QUESTION, today=TODAY, rephrase=True)
    assert forced.rephrased_by is None
    assert any("No language model configured" in note for note in forced.notes)


def test_endpoint_adds_the_chat_completions_path_once() -> None:
    assert endpoint("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080/v1/chat/completions"
    assert endpoint("http://h/v1/chat/completions") == "http://h/v1/chat/completions"
