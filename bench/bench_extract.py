"""Extraction throughput on ~30 KB text documents, against the floor of one regex pass over the same bytes."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

from corpus import Spec, generate, manifest
from measure import best_of, load_average
from profiling import profile
from results import Figure, Section, fmt

# One pass of a single compiled, code-shaped pattern: CPT/HCPCS/ICD-10-CM-like tokens.
CODE_SHAPED = re.compile(r"\b(?:\d{4}[0-9FTU]|[A-Z]\d{4}|[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)\b")
TARGET_DOCS_PER_SECOND = 100.0
TARGET_FLOOR_RATIO = 10.0


def text_set(count: int) -> tuple[Path, list[Path]]:
    """`count` text documents of 28–32 KB in every layout (generated once, then reused)."""
    spec = Spec(count, only_format="txt", min_chars=28_000, max_chars=32_000, mode_chars=30_000)
    folder = generate(spec)
    return folder, [folder / str(row["path"]) for row in manifest(folder)]


def regex_floor(paths: list[Path]) -> int:
    """Read every file, decode it and run the code-shaped pattern over it; the number of matches."""
    found = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        found += sum(1 for _ in CODE_SHAPED.finditer(text))
    return found


def run(count: int, repeat: int, *, profile_missed: bool) -> Section:
    from medpolicy.extract import extract
    from medpolicy.read import read_path

    section = Section(
        "Extraction throughput",
        f"{count} generated text documents of 28–32 KB, all six layouts, read with "
        "`medpolicy.read.read_path` "
        "and extracted with `medpolicy.extract.extract` in one process (one core). Baseline: reading the "
        "same "
        "files, decoding them and one `finditer` pass of a single compiled code-shaped regular expression "
        f"(`{CODE_SHAPED.pattern}`), best of {repeat}. Both are timed in CPU seconds of this process "
        "(`time.process_time`), so other work on the machine skews them less than wall-clock time would.",
    )
    started_all = time.perf_counter()
    folder, paths = text_set(count)
    layouts = {folder / str(row["path"]): str(row["layout"]) for row in manifest(folder)}
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    load_before = load_average()
    for path in paths[:3]:  # warm-up: code sets and compiled patterns load on first use
        extract(read_path(path).text)

    floor_seconds = best_of(lambda: regex_floor(paths), repeat, clock=time.process_time)
    per_layout: dict[str, list[float]] = defaultdict(list)
    read_seconds = extract_seconds = 0.0
    for path in paths:
        started = time.process_time()
        result = read_path(path)
        read_done = time.process_time()
        extract(result.text)
        finished = time.process_time()
        read_seconds += read_done - started
        extract_seconds += finished - read_done
        per_layout[layouts[path]].append(finished - started)
    total = read_seconds + extract_seconds
    docs_per_second = len(paths) / total
    ratio = total / floor_seconds
    section.figures += [
        Figure(
            "extraction throughput (read + extract), per core",
            docs_per_second,
            "docs/s",
            "regex floor",
            len(paths) / floor_seconds,
            target=f"≥ {TARGET_DOCS_PER_SECOND:.0f} docs/s per core",
            met=docs_per_second >= TARGET_DOCS_PER_SECOND,
            higher_is_better=True,
        ),
        Figure(
            "extraction throughput, per core",
            megabytes / total,
            "MB/s",
            "regex floor",
            megabytes / floor_seconds,
            higher_is_better=True,
        ),
        Figure(
            "extraction time relative to the regex floor",
            ratio,
            "× floor",
            target=f"≤ {TARGET_FLOOR_RATIO:.0f}×",
            met=ratio <= TARGET_FLOOR_RATIO,
        ),
    ]
    rows = "\n".join(
        f"| {layout} | {len(times)} | {fmt(1000 * sum(times) / len(times), 'ms')} | "
        f"{fmt(1000 * max(times), 'ms')} |"
        for layout, times in sorted(per_layout.items())
    )
    section.tables.append(
        f"Time split: reading {fmt(read_seconds / total * 100, '%')}, extracting "
        f"{fmt(extract_seconds / total * 100, '%')} "
        f"({fmt(1000 * total / len(paths), 'ms')} of CPU per document on average; regex floor "
        f"{fmt(1000 * floor_seconds / len(paths), 'ms')}). Load average before/after: {load_before} / "
        f"{load_average()}.\n\n"
        "| layout | documents | mean per document | slowest |\n| --- | ---: | ---: | ---: |\n" + rows
    )
    if profile_missed and any(f.met is False for f in section.figures):
        sample = paths[: max(20, len(paths) // 3)]
        found = profile(lambda: [extract(read_path(p).text) for p in sample])
        section.profiles.append((f"read_path + extract over {len(sample)} of the documents", found.text))
        section.findings += found.hotspots
    section.seconds = time.perf_counter() - started_all
    return section
