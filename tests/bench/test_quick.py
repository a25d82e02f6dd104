"""bench/: the synthetic corpus generator (formats, layouts, versions, determinism) and pieces of the runner."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import httpload  # noqa: E402
import run  # noqa: E402
import writeup  # noqa: E402
from measure import percentile  # noqa: E402
from results import Figure, Section  # noqa: E402

COUNT = 12


def _generate(folder: Path, seed: int) -> Path:
    """A fresh corpus with its own PDF cache, so PDFs are really rendered each time."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "PDF_CACHE", folder / "pdf-cache")
        return corpus.generate(corpus.Spec(COUNT, seed=seed), folder / "corpus", jobs=1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("first"), corpus.DEFAULT_SEED)


@pytest.fixture(scope="module")
def rows(generated: Path) -> list[dict[str, Any]]:
    return list(corpus.manifest(generated))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "corpus.json"
    }


def test_small_corpus_has_every_format_and_several_layouts(rows: list[dict[str, Any]]) -> None:
    assert len(rows) == COUNT
    assert {row["format"] for row in rows} == {"txt", "html", "docx", "pdf"}
    assert len({row["layout"] for row in rows}) >= 4


def test_documents_have_realistic_sizes_and_code_counts(generated: Path, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        assert 1 <= len(row["codes"]) <= 80, row["path"]
        if row["format"] == "txt":
            size = (generated / row["path"]).stat().st_size
            assert 4_000 <= size <= 70_000, row["path"]


def test_same_seed_gives_the_same_bytes(generated: Path, tmp_path: Path) -> None:
    again = _generate(tmp_path, corpus.DEFAULT_SEED)
    assert _files(again) == _files(generated)


def test_another_seed_gives_other_documents(generated: Path) -> None:
    plans = corpus.plan_documents(corpus.Spec(COUNT, seed=corpus.DEFAULT_SEED + 1))
    other = {(p.policy.layout, p.policy.service, p.policy.condition) for p in plans}
    ours = {
        (p.policy.layout, p.policy.service, p.policy.condition)
        for p in corpus.plan_documents(corpus.Spec(COUNT))
    }
    assert other != ours


def test_later_versions_move_the_date_and_change_codes(rows: list[dict[str, Any]]) -> None:
    by_policy: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_policy[row["policy_index"]].append(row)
    versioned = [sorted(v, key=lambda r: r["version"]) for v in by_policy.values() if len(v) > 1]
    assert versioned, "no policy with a second version"
    for first, second, *_ in versioned:
        assert (second["payer"], second["policy_number"]) == (first["payer"], first["policy_number"])
        assert second["effective"] > first["effective"]
        assert second["removed"] and second["removed"][0] in first["codes"]
        assert second["removed"][0] not in second["codes"]
        assert set(second["codes"]) - set(first["codes"]), "no code added"


def test_every_document_reads_and_extracts(generated: Path, rows: list[dict[str, Any]]) -> None:
    from medpolicy.extract import extract
    from medpolicy.read import read_path

    for row in rows:
        result = read_path(generated / row["path"])
        extraction = extract(result.text)
        assert len(result.text.text) > 3_000, row["path"]
        found = {code.code for code in extraction.codes}
        assert found & set(row["codes"]), f"{row['path']}: none of its codes extracted"


@pytest.fixture(scope="module")
def store_path(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import medpolicy

    if not hasattr(medpolicy, "open"):
        pytest.skip("medpolicy.open is not available")
    path = tmp_path_factory.mktemp("store") / "bench.db"
    with medpolicy.open(path) as store:
        summary = store.ingest([generated], jobs=1)
    assert summary.counts()["failed"] == 0, summary.failed[:3]
    return path


def test_corpus_ingests_into_a_store(store_path: Path) -> None:
    import medpolicy

    with medpolicy.open(store_path) as store:
        stats = store.stats()
    assert stats.versions == COUNT
    assert stats.policies < COUNT  # later versions joined their policies


def test_quick_mode_is_small() -> None:
    args = run.parse_args(["--quick"])
    assert args.sizes == [200]
    assert args.http_rate <= 50 and args.http_seconds <= 5
    assert args.jobs1_up_to == 0


def test_sizes_option_is_validated() -> None:
    assert run.parse_args(["--sizes", "1000,200"]).sizes == [200, 1000]
    with pytest.raises(SystemExit):
        run.parse_args(["--sizes", "lots"])


def test_write_up_reports_missed_targets() -> None:
    section = Section(
        "Lookups",
        "intro",
        figures=[
            Figure("lookup p50", 7.5, "ms", "raw SELECT", 0.05, target="< 2 ms", met=False),
            Figure("search p50", 12.0, "ms", "raw MATCH", 0.4, target="< 30 ms", met=True),
        ],
        findings=["own time by module: SQLAlchemy 40%"],
    )
    skipped = Section("HTTP", skipped="`medpolicy serve` does not exist yet")
    text = writeup.render(
        command="python bench/run.py --quick",
        machine={"date": "today", "CPU": "test"},
        corpus_table="corpus",
        sections=[section, skipped],
        analysis=["lookups: ranges"],
        total_seconds=90,
    )
    assert "1 of 2 targets met; 1 benchmark(s) skipped." in text
    assert "| lookup p50 | 7.50 ms | raw SELECT: 0.050 ms | 150× the baseline | < 2 ms | **missed** |" in text
    assert "**Skipped:** `medpolicy serve` does not exist yet." in text
    assert "python bench/run.py --quick" in text


def test_load_generator_only_targets_this_machine() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        httpload.run_load("http://example.com", ["/"], rate=1, duration=1)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 99, 5.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),
        ([float(i) for i in range(1, 101)], 99, 99.0),
    ],
)
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected, abs=0.02)


@pytest.fixture(autouse=True, scope="module")
def _restore_path() -> Iterator[None]:
    yield
    if str(BENCH) in sys.path:
        sys.path.remove(str(BENCH))
