"""Generate a synthetic corpus of medical policies for benchmarks: `python bench/corpus.py 10000`.

Documents are 5–60 KB of text with 5–80 codes each, in six payer layouts, written as
text and HTML (most), DOCX (a few %) and PDF (about 2%, capped: WeasyPrint needs about
a second per document). About 15% of policies come in two or three versions (same
payer and number, later effective date, a code added and one removed). Output is
deterministic by seed; document i is the same in every corpus size (except the PDF cap).

The folder gets the documents, `manifest.jsonl` (one line per document: path, format,
layout, payer, number, version, codes) and `corpus.json` (parameters and counts);
a folder whose `corpus.json` matches the request is reused as it is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from blocks import Document
from codepools import conditions, services
from formats import to_html, write
from layouts import render_document
from policies import PolicyPlan, build_version, policy_number_like, written_in
from vocabulary import LAYOUT_WEIGHTS, PAYERS_BY_LAYOUT

GENERATOR_VERSION = 3
DEFAULT_SEED = 20240601
DEFAULT_PDF_CAP = 40
BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
PDF_CACHE = OUT_DIR / "pdf-cache"
# Share of policies per format; text takes the rest.
FORMAT_SHARES: tuple[tuple[str, float], ...] = (("pdf", 0.02), ("docx", 0.03), ("html", 0.45))
# Policies 0..4 are forced to cover every format and a second version, so small corpora have all of them.
_FORCED_FORMATS = {1: "pdf", 2: "docx", 3: "html", 4: "txt"}


@dataclass(frozen=True, slots=True)
class Spec:
    """What to generate; two folders made from equal specs hold the same bytes."""

    count: int
    seed: int = DEFAULT_SEED
    pdf_cap: int = DEFAULT_PDF_CAP
    min_chars: int = 5_000
    max_chars: int = 60_000
    mode_chars: int = 20_000  # most likely size (triangular distribution, mean ≈ 28 KB)
    only_format: str | None = None  # e.g. "txt" for the extraction benchmark's fixed-size set
    generator_version: int = GENERATOR_VERSION


@dataclass(frozen=True, slots=True)
class DocumentPlan:
    policy: PolicyPlan
    version: int
    path: str  # relative to the corpus folder


def plan_documents(spec: Spec) -> list[DocumentPlan]:
    """Which documents the corpus holds, in order; policy i is decided by (seed, i) alone."""
    documents: list[DocumentPlan] = []
    per_layout: Counter[str] = Counter()
    pdfs = 0
    layouts, weights = zip(*LAYOUT_WEIGHTS.items(), strict=True)
    service_count, condition_count = len(services(spec.seed)), len(conditions(spec.seed))
    index = 0
    while len(documents) < spec.count:
        rng = random.Random(f"{spec.seed}/plan/{index}")
        layout = rng.choices(layouts, weights)[0]
        roll = rng.random()
        versions = 3 if roll < 0.04 else 2 if roll < 0.15 or index == 0 else 1
        versions = min(versions, spec.count - len(documents))
        fmt = spec.only_format or _format(rng.random(), index)
        if fmt == "pdf" and pdfs + versions > spec.pdf_cap:
            fmt = "html"
        pdfs += versions if fmt == "pdf" else 0
        serial = per_layout[layout]
        per_layout[layout] += 1
        payers = PAYERS_BY_LAYOUT[layout]
        plan = PolicyPlan(
            index=index,
            layout=layout,
            payer=payers[serial % len(payers)],
            number=policy_number_like(layout, serial),
            service=rng.randrange(service_count),
            condition=rng.randrange(condition_count),
            versions=versions,
            format=fmt,
            target_chars=int(rng.triangular(spec.min_chars, spec.max_chars, spec.mode_chars)),
            code_count=int(rng.triangular(5, 80, 20)),
        )
        slug = re.sub(r"[^A-Za-z0-9]+", "-", plan.number).strip("-")
        for version in range(1, versions + 1):
            name = f"{index // 1000:03d}/{index:06d}-{layout}-{slug}-v{version}.{fmt}"
            documents.append(DocumentPlan(plan, version, name))
        index += 1
    return documents


def _format(roll: float, index: int) -> str:
    if index in _FORCED_FORMATS:
        return _FORCED_FORMATS[index]
    cumulative = 0.0
    for fmt, share in FORMAT_SHARES:
        cumulative += share
        if roll < cumulative:
            return fmt
    return "txt"


def _write_one(job: tuple[Spec, DocumentPlan, str]) -> dict[str, Any]:
    spec, document_plan, folder = job
    version = build_version(spec.seed, document_plan.policy, document_plan.version)
    document = render_document(version)
    fmt = document_plan.policy.format
    data = _cached_pdf(document) if fmt == "pdf" else write(document, fmt)
    target = Path(folder, document_plan.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    plan = document_plan.policy
    return {
        "path": document_plan.path,
        "format": fmt,
        "layout": plan.layout,
        "payer": plan.payer,
        "policy_number": plan.number,
        "policy_index": plan.index,
        "version": document_plan.version,
        "versions": plan.versions,
        "effective": version.effective.isoformat(),
        "title": version.title,
        "bytes": len(data),
        "codes": [c.code for c in version.codes if written_in(plan.layout, c)],
        "removed": [c.code for c in version.removed],
        "statuses": sorted({p.status for p in version.positions}),
    }


def _cached_pdf(document: Document) -> bytes:
    """A PDF rendering, kept under bench/out/pdf-cache by the hash of its HTML (rendering is slow)."""
    key = hashlib.sha256(to_html(document, web_page=False).encode("utf-8")).hexdigest()
    cached = PDF_CACHE / f"{key}.pdf"
    if cached.exists():
        return cached.read_bytes()
    data = write(document, "pdf")
    PDF_CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(data)
    partial.replace(cached)
    return data


def default_folder(spec: Spec) -> Path:
    suffix = f"-{spec.only_format}-{spec.mode_chars // 1000}k" if spec.only_format else ""
    return OUT_DIR / f"corpus-{spec.count}{suffix}"


def generate(spec: Spec, folder: Path | None = None, *, jobs: int | None = None) -> Path:
    """Write the corpus `spec` describes into `folder` (default bench/out/corpus-N), unless already there."""
    target = folder or default_folder(spec)
    if is_current(target, spec):
        return target
    plans = plan_documents(spec)
    target.mkdir(parents=True, exist_ok=True)
    (target / "corpus.json").unlink(missing_ok=True)
    work = [(spec, plan, str(target)) for plan in plans]
    # PDFs first, so the slow renders overlap with the fast formats.
    work.sort(key=lambda job: job[1].policy.format != "pdf")
    started = time.perf_counter()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if workers == 1:
        rows = [_write_one(job) for job in work]
    else:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            rows = list(pool.imap(_write_one, work, chunksize=16))
    rows.sort(key=lambda row: str(row["path"]))
    with (target / "manifest.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, separators=(",", ":")) + "\n")
    summary = {
        "spec": asdict(spec),
        "documents": len(rows),
        "policies": len({row["policy_index"] for row in rows}),
        "formats": dict(Counter(str(row["format"]) for row in rows)),
        "layouts": dict(Counter(str(row["layout"]) for row in rows)),
        "bytes": sum(int(str(row["bytes"])) for row in rows),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (target / "corpus.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return target


def is_current(folder: Path, spec: Spec) -> bool:
    """True when `folder` already holds the corpus `spec` describes."""
    try:
        summary = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(summary.get("spec") == asdict(spec))


def summary(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    return loaded


def manifest(folder: Path) -> Iterator[dict[str, Any]]:
    """The manifest rows of a generated corpus."""
    with (folder / "manifest.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("count", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--pdf-cap", type=int, default=DEFAULT_PDF_CAP, help="at most this many PDF documents"
    )
    parser.add_argument("--out", type=Path, default=None, help="folder (default bench/out/corpus-COUNT)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    spec = Spec(args.count, seed=args.seed, pdf_cap=args.pdf_cap)
    folder = generate(spec, args.out, jobs=args.jobs)
    print(json.dumps(summary(folder), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
