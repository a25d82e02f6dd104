"""PDF reading: `medpolicy.read.read_path` against poppler's `pdftotext` on the same files."""

from __future__ import annotations

import shutil
import subprocess
import time
from functools import partial
from pathlib import Path

from measure import best_of, load_average
from profiling import profile
from results import Figure, Section, fmt

REAL_PDF = Path("/work/shared/corpus/raw/cigna-0051-bariatric-surgery.pdf")
TARGET_RATIO = 2.0


def pdftotext(path: Path) -> None:
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)


def run(generated: list[Path], repeat: int) -> Section:
    from medpolicy.read import read_path

    section = Section(
        "PDF reading",
        "`medpolicy.read.read_path` (pypdfium2 text extraction, then page furniture and hyphenation "
        "clean-up) "
        "against `pdftotext -enc UTF-8 FILE -` (poppler-utils, run as a process, as a user would) on the "
        "same "
        f"files, wall-clock, best of {repeat} per file. Generated PDFs are WeasyPrint renderings of the "
        "corpus "
        "documents; the real one is a 111-page payer policy with long code tables.",
    )
    if shutil.which("pdftotext") is None:
        section.skipped = "pdftotext is not installed (apt-get install -y poppler-utils)"
        return section
    started_all = time.perf_counter()
    sets = [("generated PDFs", generated)]
    if REAL_PDF.exists():
        sets.append((f"real PDF `{REAL_PDF.name}`", [REAL_PDF]))
    else:
        section.tables.append(f"The real PDF `{REAL_PDF}` is not present; only generated PDFs were read.")
    read_path(sets[-1][1][0])  # warm-up: load pdfium
    load_before = load_average()
    rows = []
    for label, paths in sets:
        if not paths:
            continue
        ours = sum(best_of(partial(read_path, p), repeat) for p in paths)
        theirs = sum(best_of(partial(pdftotext, p), repeat) for p in paths)
        pages = sum(read_path(p).page_count or 0 for p in paths)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        ratio = ours / theirs
        section.figures.append(
            Figure(
                f"{label}: read_path time ({len(paths)} files, {pages} pages)",
                ours,
                "s",
                "pdftotext",
                theirs,
                target=f"≤ {TARGET_RATIO:.0f}× pdftotext",
                met=ratio <= TARGET_RATIO,
            )
        )
        rows.append(
            f"| {label} | {len(paths)} | {pages} | {fmt(megabytes, 'MB')} | "
            f"{fmt(1000 * ours / pages, 'ms')} | "
            f"{fmt(1000 * theirs / pages, 'ms')} | {fmt(ratio, '×')} |"
        )
    section.tables.append(
        "| set | files | pages | size | read_path per page | pdftotext per page | ratio |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        + "\n".join(rows)
        + f"\n\nLoad average before/after: {load_before} / {load_average()}."
    )
    if any(f.met is False for f in section.figures):
        target = sets[-1][1][0]
        found = profile(lambda: read_path(target))
        section.profiles.append((f"read_path on {target.name}", found.text))
        section.findings += found.hotspots
    section.seconds = time.perf_counter() - started_all
    return section
