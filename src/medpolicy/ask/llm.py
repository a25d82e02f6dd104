"""An optional language model that rewords the direct sentence of an answer, and nothing else.

Off unless the user points it at an OpenAI-compatible chat-completions endpoint:

- ``MEDPOLICY_LLM_URL``: e.g. ``http://127.0.0.1:8080/v1`` (``/chat/completions`` is added
  unless the URL already ends with it)
- ``MEDPOLICY_LLM_MODEL``: the model name to send (optional for servers that serve one)
- ``MEDPOLICY_LLM_KEY``: a bearer token (optional)

The model sees the question and medpolicy's sentence, never the store. Its reply
replaces the sentence only if every code and number in it is also in medpolicy's own
sentence; the deterministic sentence is kept in `Answer.original_answer`, and the
evidence is never touched. Any failure leaves the answer as it was, with a note.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request

from medpolicy.ask.answer import Answer

URL_VARIABLE = "MEDPOLICY_LLM_URL"
MODEL_VARIABLE = "MEDPOLICY_LLM_MODEL"
KEY_VARIABLE = "MEDPOLICY_LLM_KEY"
TIMEOUT_SECONDS = 20.0
MAX_REPLY_CHARS = 2000

INSTRUCTIONS = (
    "You reword one answer for a medical billing coder so it reads naturally. Keep every payer, policy "
    "number, billing code, coverage status, date and qualification exactly as given; add no facts, advice "
    "or codes; do not drop any. Reply with the reworded answer only."
)
# Billing codes and numbers: anything with a digit in it.
_TOKEN_WITH_DIGIT = re.compile(r"[A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*")


def configured() -> bool:
    return bool(os.environ.get(URL_VARIABLE, "").strip())


def endpoint(url: str) -> str:
    base = url.strip().rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def rephrase(answer: Answer) -> None:
    """Reword `answer.answer` in place through the configured model; on any failure add a note instead."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        answer.notes.append(
            f"No language model configured (set {URL_VARIABLE}); the answer is medpolicy's own."
        )
        return
    model = os.environ.get(MODEL_VARIABLE, "").strip()
    key = os.environ.get(KEY_VARIABLE, "").strip()
    payload: dict[str, object] = {
        "messages": [
            {"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": f"Question: {answer.question}\nAnswer: {answer.answer}"},
        ],
        "temperature": 0,
    }
    if model:
        payload["model"] = model
    try:
        reply = _complete(endpoint(url), payload, key)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        answer.notes.append(
            f"The language model could not be used ({type(exc).__name__}); the answer is medpolicy's own."
        )
        return
    problem = _check(answer.answer, reply)
    if problem:
        answer.notes.append(f"The language model's wording was discarded: {problem}.")
        return
    answer.original_answer = answer.answer
    answer.answer = reply
    answer.rephrased_by = model or "language model"


def _complete(url: str, payload: dict[str, object], key: str) -> str:
    """POST a chat-completions request and return the first choice's text (OSError/ValueError on failure)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{URL_VARIABLE} must be an http(s) URL")
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        body = json.loads(response.read().decode("utf-8"))
    return str(body["choices"][0]["message"]["content"]).strip()


def _check(original: str, reply: str) -> str | None:
    """Why `reply` may not stand in for `original`, or None when it may."""
    if not reply:
        return "the reply was empty"
    if len(reply) > MAX_REPLY_CHARS:
        return "the reply was too long"
    allowed = {token.strip(".-").upper() for token in _TOKEN_WITH_DIGIT.findall(original)}
    added = sorted({t.strip(".-") for t in _TOKEN_WITH_DIGIT.findall(reply)} - {""})
    invented = [token for token in added if token.upper() not in allowed]
    if invented:
        return "it named " + ", ".join(invented[:5]) + ", which medpolicy's answer does not"
    return None
