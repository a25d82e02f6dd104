"""`medpolicy serve`: binds to this machine unless told otherwise, says when uploads are off, runs
worker processes, and never serves an answer the store has moved past."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import medpolicy
from medpolicy.cli import app
from medpolicy.cli.serve_cmd import is_loopback
from medpolicy.codes import icd10cm
from medpolicy.web import create_app
from store.documents import PolicySpec, policy_document


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.1.1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("example.org", False),
        ("::", False),
    ],
)
def test_loopback_hosts(host: str, private: bool) -> None:
    assert is_loopback(host) is private


def test_serve_defaults_to_localhost_without_uploads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: dict[str, object] = {}

    def fake_run(web_app: object, **options: object) -> None:
        started.update(options, app=web_app)

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("MEDPOLICY_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "m.db"), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert (started["host"], started["port"]) == ("127.0.0.1", 8123)
    assert started["app"].state.settings.token is None  # type: ignore[attr-defined]
    assert "uploads disabled" in result.output


def test_serve_takes_the_token_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda web_app, **options: started.update(app=web_app))
    monkeypatch.setenv("MEDPOLICY_TOKEN", "from-env")
    result = CliRunner().invoke(
        app, ["serve", "--db", str(tmp_path / "m.db"), "--host", "0.0.0.0", "--max-upload-mb", "2"]
    )
    assert result.exit_code == 0, result.output
    settings = started["app"].state.settings  # type: ignore[attr-defined]
    assert (settings.token, settings.max_upload_bytes) == ("from-env", 2 * 1024 * 1024)
    assert "warning: listening on 0.0.0.0" in " ".join(result.output.split())


def test_serve_reports_a_store_it_cannot_open(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "missing" / "m.db")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_worker_processes_answer_from_the_same_store(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with medpolicy.open(db) as store:
        store.add(*policy_document(PolicySpec()))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "medpolicy", "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/codes/86357", timeout=5).json()
            except httpx.HTTPError:
                time.sleep(0.2)
        assert answer is not None, server.stderr.read().decode() if server.poll() is not None else "no answer"
        assert [p["policy_number"] for p in answer["policies"]] == ["8.01.01"]
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(workers) >= 2  # two workers (and uvicorn's own helper processes, if any)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_kept_answer_is_not_reused_once_the_store_changes(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    with medpolicy.open(db) as served, medpolicy.open(db) as other_process:
        served.add(*policy_document(PolicySpec()))
        client = TestClient(create_app(served))
        first = client.get("/api/v1/codes/86357").json()
        assert client.get("/api/v1/codes/86357").json() == first  # kept
        other_process.add(*policy_document(PolicySpec(payer="Aetna", number="0123"), path="/docs/aetna.txt"))
        again = client.get("/api/v1/codes/86357").json()
    assert [p["payer"] for p in first["policies"]] == ["Premera Blue Cross"]
    assert [p["payer"] for p in again["policies"]] == ["Aetna", "Premera Blue Cross"]


def test_the_server_loads_the_diagnosis_code_set_before_it_serves(tmp_path: Path) -> None:
    icd10cm._tree.cache_clear()
    with medpolicy.open(tmp_path / "m.db") as store:
        app_over_store = create_app(store)
        assert icd10cm._tree.cache_info().currsize == 0  # creating the app loads nothing
        with TestClient(app_over_store):
            assert icd10cm._tree.cache_info().currsize == 1
