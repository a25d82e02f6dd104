"""Report generation for one code and a batch of claim-line checks, on one store."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

from bench_query import raw_connection
from measure import ms
from profiling import profile
from results import Figure, Section, fmt

REPORT_FORMATS = ("md", "html", "json", "pdf")


def _missing(module: str, names: Sequence[str]) -> str | None:
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        return f"`{module}` cannot be imported ({exc})"
    absent = [name for name in names if not hasattr(loaded, name)]
    return f"`{module}` has no {', '.join(absent)} yet" if absent else None


PROFILE_BUILD_OVER_MS = 500.0  # no target is set for reports; slower than this, the write-up shows a profile
PROFILE_PDF_OVER_MS = 5000.0


def report_section(
    store_url: str, size: int, rows: Sequence[dict[str, Any]], *, codes: int, seed: int, pdf: bool
) -> Section:
    section = Section(
        "Report generation",
        f"`medpolicy.report.code_report(store, code)` then `render(report, fmt)` on the {size:,}-document "
        "SQLite "
        f"store, for the code most documents name and {codes} random corpus codes; median per format (PDF: "
        "the "
        "popular code only, WeasyPrint; no report has a target, so a profile is shown when building takes "
        "over "
        f"{PROFILE_BUILD_OVER_MS:.0f} ms or a PDF over {PROFILE_PDF_OVER_MS / 1000:.0f} s). Baseline: "
        "`Store.code(code)` for the same codes, which the report builds on.",
    )
    missing = _missing("medpolicy.report", ("code_report", "render"))
    if missing:
        section.skipped = missing
        return section
    import medpolicy
    from medpolicy.report import code_report, render

    started_all = time.perf_counter()
    rng = random.Random(f"{seed}/report")
    frequency = Counter(code for row in rows for code in row["codes"])
    popular = frequency.most_common(1)[0][0]
    sample = [popular, *rng.sample(sorted(frequency), codes)]
    formats = REPORT_FORMATS if pdf else tuple(f for f in REPORT_FORMATS if f != "pdf")
    with medpolicy.open(store_url) as store:
        code_report(store, popular)  # warm-up
        baseline = ms(statistics.median(_timed(partial(store.code, code)) for code in sample))
        built = [_timed_value(partial(code_report, store, code)) for code in sample]
        build_times = [seconds for seconds, _ in built]
        build_median = ms(statistics.median(build_times))
        section.figures.append(
            Figure(
                f"code report, build, {size:,} documents (median)",
                build_median,
                "ms",
                "Store.code median",
                baseline,
            )
        )
        rows_out = [f"| build (`code_report`) | {len(built)} | {fmt(build_median, 'ms')} |"]
        render_times: dict[str, list[float]] = {}
        for fmt_name in formats:
            reports = [report for _, report in built] if fmt_name != "pdf" else [built[0][1]]
            render_times[fmt_name] = [_timed(partial(render, report, fmt_name)) for report in reports]
            total = [r + b for r, b in zip(render_times[fmt_name], build_times, strict=False)]
            section.figures.append(
                Figure(
                    f"code report as {fmt_name}, build + render, {size:,} documents (median)",
                    ms(statistics.median(total)),
                    "ms",
                    "Store.code median",
                    baseline,
                )
            )
            rows_out.append(
                f"| render {fmt_name} | {len(reports)} | "
                f"{fmt(ms(statistics.median(render_times[fmt_name])), 'ms')} |"
            )
        policies = len(store.code(popular).policies)
        if build_median > PROFILE_BUILD_OVER_MS:
            found = profile(partial(code_report, store, popular))
            section.profiles.append((f"code_report(store, {popular!r}) ({policies:,} policies)", found.text))
            section.findings += [f"code_report: {line}" for line in found.hotspots]
        if "pdf" in render_times and ms(render_times["pdf"][0]) > PROFILE_PDF_OVER_MS:
            found = profile(partial(render, built[0][1], "pdf"))
            section.profiles.append((f"render(report for {popular!r}, 'pdf')", found.text))
            section.findings += [f"render pdf: {line}" for line in found.hotspots]
    section.tables.append(
        f"Popular code {popular}: {policies:,} current policies.\n\n"
        "| step | reports | median |\n| --- | ---: | ---: |\n" + "\n".join(rows_out)
    )
    section.seconds = time.perf_counter() - started_all
    return section


def claim_lines(rows: Sequence[dict[str, Any]], count: int, seed: int) -> list[Any]:
    """`count` claim lines for payers, codes and diagnoses the corpus names, one to four lines per claim."""
    from medpolicy.check import ClaimLine

    rng = random.Random(f"{seed}/claims")
    lines: list[Any] = []
    claim = 0
    while len(lines) < count:
        claim += 1
        row = rng.choice(rows)
        payer = "Medicare" if row["layout"] in ("lcd", "article") else str(row["payer"])
        codes = [c for c in row["codes"] if "." not in c]  # ICD-10-CM codes are the ones with a dot
        diagnoses = [c for c in row["codes"] if c not in codes]
        service_date = dt.date.fromisoformat(str(row["effective"])) + dt.timedelta(days=rng.randint(0, 200))
        for line_no in range(1, rng.randint(1, 4) + 1):
            lines.append(
                ClaimLine(
                    payer,
                    rng.choice(codes or row["codes"]),
                    dx=rng.sample(diagnoses, min(len(diagnoses), rng.randint(1, 2))),
                    date=service_date.isoformat(),
                    claim_id=f"C{claim:06d}",
                    line_no=line_no,
                )
            )
    return lines[:count]


def check_section(
    store_url: str, size: int, rows: Sequence[dict[str, Any]], *, lines_count: int, seed: int
) -> Section:
    section = Section(
        "Claim-line check batch",
        f"`medpolicy.check.check_claims(store, lines)` for {lines_count:,} claim lines (payers, codes, "
        "diagnoses and "
        f"dates of service drawn from the corpus; one to four lines per claim) on the {size:,}-document "
        "SQLite store. "
        f"Baseline: {lines_count:,} raw indexed `SELECT * FROM version_codes WHERE code = ?`, one per line.",
    )
    missing = _missing("medpolicy.check", ("check_claims", "ClaimLine"))
    if missing:
        section.skipped = missing
        return section
    import medpolicy
    from medpolicy.check import check_claims

    started_all = time.perf_counter()
    lines = claim_lines(rows, lines_count, seed)
    with medpolicy.open(store_url) as store:
        check_claims(store, lines[:50])  # warm-up
        seconds, determinations = _timed_value(lambda: check_claims(store, lines))
        connection, mark = raw_connection(store)
        cursor = connection.cursor()

        def floor() -> None:
            for line in lines:
                cursor.execute(f"SELECT * FROM version_codes WHERE code = {mark}", (line.code,))
                cursor.fetchall()

        floor_seconds = _timed(floor)
        connection.close()
    outcomes = Counter(getattr(d, "outcome", "?") for d in determinations)
    section.figures.append(
        Figure(
            f"check {lines_count:,} claim lines, {size:,} documents",
            seconds,
            "s",
            "raw SELECT per line",
            floor_seconds,
            note=f"{lines_count / seconds:,.0f} lines/s",
        )
    )
    section.tables.append(
        "Outcomes: " + ", ".join(f"{name} {count:,}" for name, count in outcomes.most_common()) + "."
    )
    section.seconds = time.perf_counter() - started_all
    return section


def _timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _timed_value(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value
