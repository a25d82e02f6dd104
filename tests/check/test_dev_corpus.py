"""Against real published documents (the development set, when the machine has it)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

import medpolicy
from medpolicy.check import ClaimLine, check_line
from medpolicy.cli import app
from shared_corpus import DEV_DOCS

MONTANA = "Blue Cross and Blue Shield of Montana"


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not DEV_DOCS.is_dir():
        pytest.skip(f"{DEV_DOCS} is not on this machine")
    path = str(tmp_path_factory.mktemp("dev") / "dev.db")
    with medpolicy.open(path) as store:
        store.ingest([DEV_DOCS])
    yield path


def test_nk_cells_are_investigational_in_montana(dev_db: str) -> None:
    result = CliRunner().invoke(
        app,
        ["check", "--db", dev_db, "--payer", MONTANA, "--code", "86357", "--dx", "D84.9", "--format", "json"],
    )
    assert result.exit_code == 0, result.stderr
    with medpolicy.open(dev_db) as store:
        found = check_line(store, ClaimLine(MONTANA, "86357", dx=["D84.9"]))
        assert found.to_dict() == json.loads(result.stdout)
        assert found.outcome == "investigational"
        assert found.reason.startswith(
            "86357 is investigational for any indication (Blue Cross and Blue Shield of Montana, "
            "Natural Killer (NK) Cells, effective 2014-02-01)"
        )
        assert found.statement is not None and "investigational and unproven" in found.statement
        text = store.policy(found.policy.policy_id, text=True).version.text if found.policy else None
        assert text is not None and found.statement_span is not None
        assert text[found.statement_span[0] : found.statement_span[1]] == found.statement
