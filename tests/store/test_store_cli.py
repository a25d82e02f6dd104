"""The store commands: the same answers as the Python API, as tables, JSON Lines or CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import medpolicy
from medpolicy.cli import app
from store.documents import PolicySpec, policy_document, policy_text, write_corpus

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 6)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return str(tmp_path / "cli.db")


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ingest_summarises_and_lists_failures_but_exits_0(db: str, tmp_path: Path) -> None:
    code, out, _ = _run("ingest", str(tmp_path / "corpus"), "--db", db)
    assert code == 0
    assert "Ingest summary" in out and "Failed" in out
    code, out, _ = _run("ingest", str(tmp_path / "corpus"), "--db", db, "--format", "json")
    outcomes = [json.loads(line)["outcome"] for line in out.splitlines()]
    assert sorted(outcomes) == ["failed"] + ["unchanged"] * 6


def test_ingest_exits_2_when_nothing_could_be_read(db: str, tmp_path: Path) -> None:
    code, _, err = _run("ingest", str(tmp_path / "corpus" / "broken.pdf"), "--db", db)
    assert code == 2 and "no document could be read" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = _run("ingest", str(empty), "--db", db)
    assert code == 2 and "no documents found" in err


def _ingested(db: str, tmp_path: Path) -> None:
    assert _run("ingest", str(tmp_path / "corpus"), "--db", db)[0] == 0


def test_code_as_json_is_the_whole_lookup(db: str, tmp_path: Path) -> None:
    _ingested(db, tmp_path)
    code, out, _ = _run("code", "86357", "--db", db, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["code"] == "86357" and len(data["policies"]) == 6
    code, out, _ = _run("code", "86357", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6 and {r["code"] for r in rows} == {"86357"}
    assert _run("code", "86357", "--db", db)[0] == 0


def test_matrix_csv_from_arguments_and_a_codes_file(db: str, tmp_path: Path) -> None:
    _ingested(db, tmp_path)
    codes_file = tmp_path / "codes.txt"
    codes_file.write_text("# codes to check\n0500T, 0501T\n\nJ3590\n")
    code, out, _ = _run(
        "matrix",
        "86357",
        "--codes-file",
        str(codes_file),
        "--payer",
        "Aetna Inc.",
        "--payer",
        "Aetna",
        "--payer",
        "Premera",
        "--db",
        db,
        "--format",
        "csv",
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert rows[0] == ["code", "Aetna", "Premera Blue Cross"]
    assert [r[0] for r in rows[1:]] == ["86357", "0500T", "0501T", "J3590"]
    assert rows[4][1:] == ["no policy found", "no policy found"]


def test_matrix_without_codes_is_a_one_line_error(db: str) -> None:
    code, _, err = _run("matrix", "--db", db)
    assert code == 1 and "at least one code" in err and "Traceback" not in err


def test_search_rows_and_clear_syntax_errors(db: str, tmp_path: Path) -> None:
    _ingested(db, tmp_path)
    code, out, _ = _run(
        "search", "therapy", "--payer", "aetna", "--limit", "2", "--db", db, "--format", "json"
    )
    hits = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(hits) == 2 and {h["payer"] for h in hits} == {"Aetna"}
    code, _, err = _run("search", '"unclosed', "--db", db)
    assert code == 1 and "unbalanced quotation mark" in err and "Traceback" not in err
    code, out, _ = _run("search", "86357", "--db", db, "--format", "json")
    assert json.loads(out)["code"] == "86357"


def test_policy_policies_changes_payers_and_stats(db: str, tmp_path: Path) -> None:
    _ingested(db, tmp_path)
    changed = tmp_path / "corpus" / "batch0" / "policy_0000.txt"
    changed.write_text(
        policy_text(
            "Aetna",
            "1.00.00",
            "Test Therapy Number 0",
            "2025-01-01",
            "Test therapy is considered investigational.",
            [("86357", "NK count")],
        )
    )
    _run("ingest", str(changed), "--db", db)
    code, out, _ = _run("policy", "1.00.00", "--db", db, "--format", "json", "--text")
    detail = json.loads(out)
    assert code == 0 and len(detail["versions"]) == 2 and detail["version"]["text"].startswith("Aetna")
    assert "Versions" in _run("policy", "1.00.00", "--db", db)[1]
    code, out, _ = _run("changes", "--db", db, "--format", "csv")
    changes = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert {(c["change"], c["subject"]) for c in changes} >= {
        ("code removed", "CPT 0500T"),
        ("date", "effective"),
    }
    code, out, _ = _run("payers", "--db", db, "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1:] == [
        ["Aetna", "3", "4", "3"],
        ["Premera Blue Cross", "3", "3", "4"],
    ]
    code, out, _ = _run("stats", "--db", db, "--format", "json")
    assert json.loads(out)["versions"] == 7
    code, out, _ = _run("policies", "--db", db, "--format", "json")
    assert len(out.splitlines()) == 6


def test_an_unknown_policy_is_a_one_line_error(db: str) -> None:
    code, _, err = _run("policy", "no-such-number", "--db", db)
    assert code == 1 and "no policy with number" in err


def test_the_store_comes_from_the_environment_when_db_is_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("MEDPOLICY_DB", str(target))
    assert _run("stats")[0] == 0
    with medpolicy.open(target) as store:
        assert store.stats().policies == 0


def test_document_text_with_brackets_is_printed_as_written(tmp_path: Path) -> None:
    db = str(tmp_path / "brackets.db")
    spec = PolicySpec(
        title="Therapy [bold]draft[/bold]", codes=[("CPT", "86357", "NK [count]", None, "listed")]
    )
    with medpolicy.open(db) as store:
        store.add(*policy_document(spec))
    code, out, _ = _run("policy", "8.01.01", "--db", db)
    assert code == 0 and "[bold]draft[/bold]" in out and "NK [count]" in out
    code, out, _ = _run("code", "86357", "--db", db)
    assert code == 0 and "NK [count]" in out
