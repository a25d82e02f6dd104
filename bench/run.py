"""Run every benchmark and write BENCHMARKS.md: `python bench/run.py [--quick] [--sizes 1000,10000,50000]`.

Each figure is compared with a baseline measured in the same run on the same machine.
A benchmark whose part of medpolicy is missing is skipped with the reason. Corpora go
to bench/out/ (reused when their parameters match); results also go to
bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shlex
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import bench_corpus
import bench_extract
import bench_extras
import bench_http
import bench_ingest
import bench_pdf
import bench_query
import machine
import postgres
import writeup
from corpus import DEFAULT_SEED, OUT_DIR, manifest
from measure import idle_rss_kb, load_average
from results import Section, fmt

REPO = Path(__file__).resolve().parent.parent
REPORT_SIZE = 10_000  # reports and claim checks run on this corpus size (or the largest one below it)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be numbers separated by commas, not {text!r}") from None
    if not sizes or sizes[0] < 10:
        raise argparse.ArgumentTypeError("give at least one size of 10 documents or more")
    return sizes


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="200 documents, small samples, light HTTP load, no profiles, jobs=2 only (~2 min)",
    )
    parser.add_argument("--sizes", type=_sizes, default=None, help="corpus sizes (default 1000,10000,50000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument(
        "--postgres-up-to",
        type=int,
        default=10_000,
        help="ingest into PostgreSQL only for corpora up to this size (default 10000)",
    )
    parser.add_argument(
        "--jobs1-up-to",
        type=int,
        default=None,
        help="also ingest with jobs=1 for corpora up to this size (default: the smallest size)",
    )
    parser.add_argument(
        "--http-rate", type=float, default=None, help="HTTP requests per second (default 200)"
    )
    parser.add_argument("--http-seconds", type=float, default=None, help="HTTP load duration (default 20)")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="rewrite the output from the last run's measurements (bench/out/progress.pickle), measuring nothing",
    )
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [200] if args.quick else [1000, 10_000, 50_000]
    if args.jobs1_up_to is None:
        args.jobs1_up_to = 0 if args.quick else args.sizes[0]
    if args.http_rate is None:
        args.http_rate = 50.0 if args.quick else 200.0
    if args.http_seconds is None:
        args.http_seconds = 4.0 if args.quick else 20.0
    return args


def attempt(title: str, action: Callable[[], Section]) -> Section:
    """The section `action` builds; if it fails, a skipped section naming the error (the run goes on)."""
    started = time.perf_counter()
    try:
        section = action()
    except Exception as exc:  # one broken benchmark must not lose the others' figures
        detail = traceback.format_exception_only(exc)[-1].strip()
        print(f"  {title} failed: {detail}", file=sys.stderr)
        return Section(title, skipped=f"failed: {detail}")
    if not section.seconds:
        section.seconds = time.perf_counter() - started
    return section


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def analyse(sections: list[Section], runs: list[bench_ingest.IngestRun]) -> list[str]:
    """One line per section with a missed target: what limits it, from the measurements and profiles."""
    lines = []
    for section in sections:
        missed = [f for f in section.figures if f.met is False]
        if not missed:
            continue
        names = "; ".join(f"{f.name} = {fmt(f.value, f.unit)} (target {f.target})" for f in missed[:3])
        if len(missed) > 3:
            names += f"; and {len(missed) - 3} more"
        reason = section.findings[0] if section.findings else "see the section"
        lines.append(f"**{section.title}** — {names}. {reason}.")
    for run in runs:
        if run.backend != "sqlite" or run.jobs != 2 or run.rate >= bench_ingest.TARGET_RATE:
            continue
        documents = int(run.result["documents"])
        main = float(run.result["main_cpu_seconds"]) / run.seconds
        workers = float(run.result["workers_cpu_seconds"]) / run.seconds
        cpu_ms = 1000 * run.cpu_seconds / documents
        ceiling = 2 * documents / run.cpu_seconds
        lines.append(
            f"Ingest of {run.size:,} documents (SQLite, jobs=2): every document costs {fmt(cpu_ms, 'ms')} of CPU "
            f"(workers reading and extracting, main process storing), so two fully used cores could ingest at "
            f"most about {fmt(ceiling)} documents/s — the target needs {bench_ingest.TARGET_RATE:.0f}. The run "
            f"got {fmt(run.rate)}/s with the main process busy {main:.0%} and the workers {workers:.0%} of "
            f"wall time (load average {float(run.result['load_average']):.1f} at the end: other work on the "
            "machine took the rest)."
        )
    return lines


@dataclass(slots=True)
class Progress:
    """Everything measured so far; BENCHMARKS.md is rewritten from it after each corpus size."""

    command: str
    machine: dict[str, str]
    corpus_table: str = ""
    sections: list[Section] = field(default_factory=list)  # extraction, PDF
    runs: list[bench_ingest.IngestRun] = field(default_factory=list)
    ingest_profiles: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    ingest_failure: str | None = None
    idle_kb: int = 0
    queries: list[bench_query.QueryResult] = field(default_factory=list)
    http: list[bench_http.HttpResult] = field(default_factory=list)
    http_skip: str | None = None
    extras: list[Section] = field(default_factory=list)
    http_rate: float = 200.0
    http_seconds: float = 20.0

    def compose(self) -> list[Section]:
        sections = list(self.sections)
        if self.runs:
            sections.append(bench_ingest.ingest_section(self.runs, self.ingest_profiles))
            sections.append(bench_ingest.memory_section(self.runs, self.idle_kb))
        else:
            sections.append(Section("Ingest throughput", skipped=f"failed: {self.ingest_failure}"))
        if self.queries:
            sections.append(bench_query.query_section(self.queries, load_average()))
        means = {
            q.size: 1000 * statistics.fmean(q.lookup.ours) for q in self.queries if q.backend == "sqlite"
        }
        sections.append(
            bench_http.http_section(self.http, self.http_rate, self.http_seconds, self.http_skip, means)
        )
        return sections + self.extras

    def write(self, output: Path, seconds: float, pending: list[int]) -> None:
        sections = self.compose()
        text = writeup.render(
            command=self.command,
            machine=self.machine,
            corpus_table=self.corpus_table,
            sections=sections,
            analysis=analyse(sections, self.runs),
            total_seconds=seconds,
            pending=", ".join(f"{size:,}" for size in pending),
        )
        output.write_text(text, encoding="utf-8")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        results = {
            "command": self.command,
            "machine": self.machine,
            "seconds": seconds,
            "pending_sizes": pending,
            "sections": [s.to_dict() for s in sections],
        }
        (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        state = {"progress": self, "seconds": seconds, "pending": pending}
        (OUT_DIR / "progress.pickle").write_bytes(pickle.dumps(state))


def measure_size(progress: Progress, args: argparse.Namespace, size: int, folder: Path, pg: bool) -> None:
    """Ingest, queries, HTTP load (and reports and claim checks at REPORT_SIZE) for one corpus size."""
    quick = args.quick
    rows = list(manifest(folder))
    jobs = [1, 2] if size <= args.jobs1_up_to else [2]
    plan: list[tuple[str, list[int]]] = [("sqlite", jobs)]
    if pg and size <= args.postgres_up_to:
        plan.append(("postgresql", jobs))
    log(f"ingest {size:,} documents: {plan}")
    size_runs = bench_ingest.ingest_size(size, folder, plan, timeout=max(900.0, size * 1.0))
    progress.runs += size_runs
    stores = [(str(bench_ingest.sqlite_path(size)), "sqlite")]
    if any(r.backend == "postgresql" for r in size_runs):
        stores.append((postgres.bench_url(), "postgresql"))
    for url, backend in stores:
        log(f"queries on {size:,} documents ({backend})")
        progress.queries.append(
            bench_query.run(
                url,
                size,
                rows,
                lookups=100 if quick else 500,
                matrices=20 if quick else 100,
                searches=20 if quick else 60,
                seed=args.seed,
                profile_missed=not quick,
            )
        )
    sqlite_store, sqlite_queries = stores[0][0], progress.queries[-len(stores)]
    if progress.http_skip is None:
        log(f"HTTP load on {size:,} documents")
        try:
            load, cpu, profile = bench_http.run(
                sqlite_store,
                size,
                rows,
                rate=args.http_rate,
                duration=args.http_seconds,
                seed=args.seed,
                log=OUT_DIR / f"serve-{size}.log",
            )
            progress.http.append(
                bench_http.HttpResult(
                    size,
                    load,
                    cpu,
                    sqlite_queries.lookup.p(50),
                    sqlite_queries.lookup.p(99),
                    sqlite_queries.lookup.floor_p(99),
                    profile,
                )
            )
        except Exception as exc:  # the HTTP figures are lost, the others are kept
            progress.http_skip = f"failed: {traceback.format_exception_only(exc)[-1].strip()}"
    report_size = max((s for s in args.sizes if s <= REPORT_SIZE), default=args.sizes[0])
    if size == report_size:
        log(f"report generation and claim checks on {size:,} documents")
        report_batch = partial(
            bench_extras.report_section,
            sqlite_store,
            size,
            rows,
            codes=2 if quick else 10,
            seed=args.seed,
            pdf=not quick,
        )
        progress.extras.append(attempt("Report generation", report_batch))
        claims_batch = partial(
            bench_extras.check_section,
            sqlite_store,
            size,
            rows,
            lines_count=2_000 if quick else 10_000,
            seed=args.seed,
        )
        progress.extras.append(attempt("Claim-line check batch", claims_batch))
    if (
        not quick
        and not progress.ingest_profiles
        and any(r.rate < bench_ingest.TARGET_RATE for r in size_runs if r.backend == "sqlite" and r.jobs == 2)
    ):
        log("profiling ingest")
        progress.ingest_profiles = bench_ingest.profile_ingest(folder, 200)


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = parse_args(given)
    if args.rerender:
        state = pickle.loads((OUT_DIR / "progress.pickle").read_bytes())
        progress = state["progress"]
        progress.write(args.output, state["seconds"], state["pending"])
        log(f"rewrote {args.output} from {OUT_DIR / 'progress.pickle'}")
        return 0
    quick = args.quick
    started = time.perf_counter()
    log(f"benchmarks: sizes {args.sizes}, load average {load_average()}")
    pg_version = postgres.server_version()
    command = "python bench/run.py" + ("" if not given else " " + shlex.join(given))
    progress = Progress(
        command, machine.describe(pg_version), http_rate=args.http_rate, http_seconds=args.http_seconds
    )

    log("extraction throughput")
    extraction = partial(bench_extract.run, 40 if quick else 300, repeat=3, profile_missed=not quick)
    progress.sections.append(attempt("Extraction throughput", extraction))

    log("generating corpora")
    found = bench_corpus.corpora(args.sizes, args.seed)
    sanity = bench_corpus.sanity(found[args.sizes[0]][0], 40 if quick else 100, args.seed)
    progress.corpus_table = bench_corpus.corpus_table(found, sanity)

    log("PDF reading")
    pdfs = sorted(found[args.sizes[-1]][0].rglob("*.pdf"))
    progress.sections.append(attempt("PDF reading", partial(bench_pdf.run, pdfs, repeat=1 if quick else 2)))

    progress.idle_kb = idle_rss_kb()
    progress.http_skip = bench_http.serve_missing()
    for index, size in enumerate(args.sizes):
        try:
            measure_size(progress, args, size, found[size][0], pg_version is not None)
        except Exception as exc:  # e.g. an ingest that failed or timed out: keep what was measured
            progress.ingest_failure = traceback.format_exception_only(exc)[-1].strip()
            log(f"{size:,} documents failed: {progress.ingest_failure}")
            break
        finally:
            progress.write(args.output, time.perf_counter() - started, args.sizes[index + 1 :])
    if pg_version:
        postgres.drop()
    progress.write(args.output, time.perf_counter() - started, [])
    log(f"wrote {args.output} in {fmt((time.perf_counter() - started) / 60, 'min')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
