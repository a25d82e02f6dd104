"""`medpolicy serve`: binds to this machine unless told otherwise, and says when uploads are off."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from medpolicy.cli import app
from medpolicy.cli.serve_cmd import is_loopback


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
