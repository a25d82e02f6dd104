"""Generating the corpora a run needs, and checking that the extractor reads them as intended."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from corpus import Spec, generate, manifest, summary
from results import fmt


def corpora(sizes: list[int], seed: int) -> dict[int, tuple[Path, float]]:
    """The corpus folder for each size and the seconds it took to generate (0 when reused)."""
    found = {}
    for size in sizes:
        started = time.perf_counter()
        folder = generate(Spec(size, seed=seed))
        found[size] = (folder, time.perf_counter() - started)
    return found


def sanity(folder: Path, sample_size: int, seed: int) -> dict[str, float]:
    """On a sample: share of planned codes the extractor finds, and of documents whose number it finds."""
    from medpolicy.extract import extract
    from medpolicy.read import read_path

    rows = list(manifest(folder))
    sample = random.Random(f"{seed}/sanity").sample(rows, min(sample_size, len(rows)))
    planned = found = numbered = with_payer = 0
    for row in sample:
        extraction = extract(read_path(folder / str(row["path"])).text)
        codes = set(row["codes"])
        planned += len(codes)
        found += len(codes & {c.code for c in extraction.codes})
        numbered += extraction.policy_number == row["policy_number"]
        with_payer += extraction.payer is not None
    return {
        "documents": len(sample),
        "codes_found": found / planned if planned else 0.0,
        "numbers_found": numbered / len(sample),
        "payers_found": with_payer / len(sample),
    }


def corpus_table(found: dict[int, tuple[Path, float]], check: dict[str, float]) -> str:
    rows = []
    for size, (folder, seconds) in sorted(found.items()):
        info: dict[str, Any] = summary(folder)
        formats = ", ".join(f"{name} {count:,}" for name, count in sorted(info["formats"].items()))
        generated = fmt(float(info["seconds"]), "s") + (" (reused)" if seconds < 1 else "")
        rows.append(
            f"| {size:,} | {info['policies']:,} | {formats} | {fmt(info['bytes'] / 1e6, 'MB')} | "
            f"{fmt(info['bytes'] / info['documents'] / 1000, 'KB')} | {generated} |"
        )
    return (
        "Layouts: BCBS-plan medical policy, numbered clinical policy bulletin, coverage policy with a coding "
        "section, commercial medical policy with applicable-code tables, Medicare LCD and billing article. "
        "5–60 KB of text (most likely 20 KB), 5–80 codes per document (CPT, Category III/PLA, HCPCS, real "
        "FY2026 ICD-10-CM numbers, some ICD-10 ranges), distractor numbers (ZIP codes, phone numbers, "
        "counts, "
        "PMIDs, NCT numbers, years, page numbers); about 15% of policies have 2–3 versions (later effective "
        "date, "
        "one code added, one removed). PDFs are capped at 40 per corpus (WeasyPrint renders about one per "
        "second).\n\n"
        "| documents | policies | formats | size on disk | mean file | generation time |\n"
        "| ---: | ---: | --- | ---: | ---: | ---: |\n"
        + "\n".join(rows)
        + f"\n\nSanity check on {check['documents']:.0f} documents of the smallest corpus: the extractor "
        "finds "
        f"{check['codes_found']:.0%} of the codes each document lists, the planned policy number in "
        f"{check['numbers_found']:.0%} of documents and a payer in {check['payers_found']:.0%}."
    )
