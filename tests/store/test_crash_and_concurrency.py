"""A killed ingest leaves a whole store and a re-run finishes it; readers and a writer work side by side."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

import medpolicy
from medpolicy.api import Store
from medpolicy.store.schema import versions
from store.consistency import assert_consistent
from store.documents import write_corpus

SRC = str(Path(__file__).resolve().parents[2] / "src")
CLI = "import sys; from medpolicy.cli import app; sys.argv[0] = 'medpolicy'; app()"
CORPUS_SIZE = 200
CONCURRENT_CORPUS_SIZE = 40


def _python(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _stored_versions(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(versions)) or 0)


def test_a_killed_ingest_leaves_a_consistent_store_and_a_rerun_finishes(
    store_url: str, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "corpus", CORPUS_SIZE)
    medpolicy.open(store_url).close()  # create the schema before the race starts
    with medpolicy.open(store_url) as store:
        writer = _python("-c", CLI, "ingest", str(tmp_path / "corpus"), "--db", store_url)
        deadline = time.monotonic() + 60
        while _stored_versions(store.engine) < 20 and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        stored_at_kill = _stored_versions(store.engine)
        assert writer.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
        assert 20 <= stored_at_kill < CORPUS_SIZE
        assert_consistent(store.engine)

    with medpolicy.open(store_url) as store:
        rerun = store.ingest(tmp_path / "corpus")
        assert len(rerun.unchanged) == stored_at_kill
        assert len(rerun.new) + len(rerun.unchanged) == CORPUS_SIZE
        stats = store.stats()
        assert (stats.policies, stats.versions, stats.code_facts) == (
            CORPUS_SIZE,
            CORPUS_SIZE,
            2 * CORPUS_SIZE,
        )
        assert_consistent(store.engine)


READER = """
import sys, time, pathlib
import medpolicy
db, ready, stop = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
queries = 0
deadline = time.monotonic() + 90
while not stop.exists() and time.monotonic() < deadline:
    with medpolicy.open(db) as store:
        store.code("86357")
        store.search("therapy investigational", limit=5)
        store.matrix(["86357", "0537T"])
        store.stats()
    queries += 4
    ready.touch()
    time.sleep(0.1)
print(queries)
"""


def test_two_readers_and_a_writer_all_succeed(store_url: str, tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", CONCURRENT_CORPUS_SIZE)
    medpolicy.open(store_url).close()
    stop = tmp_path / "stop"
    ready = [tmp_path / f"reader{n}.ready" for n in range(2)]
    readers = [_python("-c", READER, store_url, str(flag), str(stop)) for flag in ready]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    writer = _python("-c", CLI, "ingest", str(tmp_path / "corpus"), "--db", store_url, "--format", "json")
    _, writer_err = writer.communicate(timeout=120)
    stop.touch()
    results = [reader.communicate(timeout=120) for reader in readers]
    assert writer.returncode == 0, writer_err.decode()
    for reader, (out, err) in zip(readers, results, strict=True):
        assert reader.returncode == 0, err.decode()
        assert int(out.decode().strip()) > 4  # queried before and while the writer ran
    with medpolicy.open(store_url) as store:
        assert store.stats().versions == CONCURRENT_CORPUS_SIZE
        assert_consistent(store.engine)


def test_ctrl_c_stops_the_ingest_with_a_message_and_keeps_what_was_stored(
    sqlite_store: Store, tmp_path: Path
) -> None:
    write_corpus(tmp_path / "corpus", CORPUS_SIZE)
    url = sqlite_store.url.removeprefix("sqlite:///")
    writer = _python("-c", CLI, "ingest", str(tmp_path / "corpus"), "--db", url, "--jobs", "2")
    deadline = time.monotonic() + 60
    while (
        _stored_versions(sqlite_store.engine) < 10 and writer.poll() is None and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    writer.send_signal(signal.SIGINT)
    _, err = writer.communicate(timeout=60)
    assert writer.returncode == 130, err.decode()
    assert "interrupted: documents stored so far are kept" in err.decode()
    assert "Traceback" not in err.decode()
    assert 10 <= _stored_versions(sqlite_store.engine) < CORPUS_SIZE
    assert_consistent(sqlite_store.engine)
