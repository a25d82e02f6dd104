"""Coverage charts as inline SVG, drawn on the server (no scripts), for the HTML and PDF reports.

One chart shape serves every report: a row per subject (a payer, a code), its bar split
into segments by status, each segment as long as its count. Labels come from documents,
so every piece of text is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from medpolicy.labels import status_label
from medpolicy.query.results import NO_DATA, NO_POLICY
from medpolicy.report.model import CodeReport, ComparisonReport, PolicyReport
from medpolicy.report.wording import plural, status_rank

STATUS_COLOURS: dict[str, str] = {
    "medically_necessary": "#2e7d4f",
    "investigational": "#d9822b",
    "not_medically_necessary": "#c0392b",
    "not_covered": "#7b3f98",
    "cosmetic": "#b0417a",
    "mixed": "#2f6db5",
    "not stated": "#8c96a3",
    "no policy found": "#d5dae1",
    "data not available": "#eef1f4",
}
DARK_TEXT_STATUSES = ("no policy found", "data not available")

WIDTH = 680
LABEL_WIDTH = 210
STATUS_WIDTH = 150
ROW_HEIGHT = 24
BAR_HEIGHT = 15
TOP = 6
LEGEND_HEIGHT = 30
FONT = "font-family:'Helvetica Neue',Helvetica,Arial,'DejaVu Sans',sans-serif"


@dataclass(frozen=True, slots=True)
class ChartRow:
    """A subject and its counts by status; `outcome` is the label printed after the bar."""

    label: str
    counts: dict[str, int]
    outcome: str | None = None


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, STATUS_COLOURS["not stated"])


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def stacked_bars(rows: Sequence[ChartRow], title: str, unit: str, units: str) -> Markup:
    """Horizontal stacked bars, one per row, with a legend of the statuses shown.

    `unit` and `units` name what a segment counts ("policy", "policies"), for the tooltips.
    """
    if not rows:
        return Markup("")
    longest = max(sum(row.counts.values()) for row in rows) or 1
    bar_width = WIDTH - LABEL_WIDTH - STATUS_WIDTH - 12
    height = TOP + ROW_HEIGHT * len(rows) + LEGEND_HEIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" style="{FONT}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(rows):
        parts.append(_row(row, TOP + index * ROW_HEIGHT, longest, bar_width, unit, units))
    shown = sorted({s for row in rows for s, n in row.counts.items() if n}, key=status_rank)
    parts.append(_legend(shown, TOP + ROW_HEIGHT * len(rows) + 10))
    parts.append("</svg>")
    return Markup("".join(parts))


def _row(row: ChartRow, y: int, longest: int, bar_width: int, unit: str, units: str) -> str:
    middle = y + ROW_HEIGHT / 2
    out = [
        f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4:.1f}" text-anchor="end" font-size="11" fill="#1f2933">'
        f"<title>{escape(row.label)}</title>{escape(_clip(row.label, 34))}</text>",
        f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{bar_width}" '
        f'height="{BAR_HEIGHT}" fill="#f4f6f8" rx="2"/>',
    ]
    x = float(LABEL_WIDTH)
    for status in sorted(row.counts, key=status_rank):
        count = row.counts[status]
        if count <= 0:
            continue
        width = bar_width * count / longest
        colour = status_colour(status)
        text_colour = "#1f2933" if status in DARK_TEXT_STATUSES else "#ffffff"
        out.append(
            f'<rect x="{x:.1f}" y="{middle - BAR_HEIGHT / 2:.1f}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1">'
            f"<title>{escape(status_label(status))}: {escape(plural(count, unit, units))}</title></rect>"
        )
        if width >= 16:
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{middle + 3.5:.1f}" text-anchor="middle" font-size="9.5" '
                f'font-weight="bold" fill="{text_colour}">{count}</text>'
            )
        x += width
    if row.outcome:
        out.append(
            f'<text x="{LABEL_WIDTH + bar_width + 10}" y="{middle + 4:.1f}" font-size="10.5" fill="#3e4c59">'
            f"{escape(_clip(row.outcome, 26))}</text>"
        )
    return "".join(out)


def _legend(statuses: Sequence[str], y: int) -> str:
    out = []
    x = float(LABEL_WIDTH)
    for status in statuses:
        label = status_label(status)
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="10" height="10" rx="2" fill="{status_colour(status)}" '
            f'stroke="#c3cad3" stroke-width="0.5"/>'
            f'<text x="{x + 14:.1f}" y="{y + 9}" font-size="10" fill="#3e4c59">{escape(label)}</text>'
        )
        x += 24 + 5.6 * len(label)
    return "".join(out)


def code_chart(report: CodeReport) -> Markup:
    """Each payer's policies naming the code, by status; after the bar, the payer's overall status."""
    rows = [ChartRow(p.payer_label, p.by_status, status_label(p.status)) for p in report.coverage.by_payer]
    return stacked_bars(rows, f"Coverage status by payer for {report.title}", "policy", "policies")


def policy_chart(report: PolicyReport) -> Markup:
    """The policy's positions and codes, by status."""
    rows = []
    if report.positions:
        positions = Counter(p.status for p in report.positions)
        rows.append(
            ChartRow("Coverage positions", dict(positions), plural(len(report.positions), "position"))
        )
    if report.codes:
        codes = Counter(c.status for c in report.codes)
        rows.append(ChartRow("Codes and ranges", dict(codes), plural(len(report.codes), "entry", "entries")))
    return stacked_bars(rows, f"Statuses in {report.title}", "item", "items")


def comparison_chart(report: ComparisonReport) -> Markup:
    """Per code, how many payers take each status."""
    rows = []
    for code, cells in zip(report.codes, report.rows, strict=True):
        counts = Counter(cell.status for cell in cells)
        with_policy = sum(n for status, n in counts.items() if status not in (NO_POLICY, NO_DATA))
        rows.append(ChartRow(code.code, dict(counts), f"{with_policy} of {len(cells)} payers"))
    return stacked_bars(rows, report.title, "payer", "payers")
