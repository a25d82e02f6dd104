"""What a benchmark reports: figures with their baselines and targets, and sections of the write-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Figure:
    """One measured number, with the baseline it is compared to and the target it should meet."""

    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline_value: float | None = None
    target: str | None = None
    met: bool | None = None  # None when there is no target
    higher_is_better: bool = False
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """value / baseline (how many times the baseline's cost or rate)."""
        baseline = self.baseline_value
        return None if not baseline else self.value / baseline

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline_name": self.baseline_name,
            "baseline_value": self.baseline_value,
            "ratio": self.ratio,
            "target": self.target,
            "met": self.met,
            "note": self.note,
        }


@dataclass(slots=True)
class Section:
    """One benchmark's part of BENCHMARKS.md."""

    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # extra Markdown (tables, notes)
    skipped: str | None = None  # why the benchmark did not run
    profiles: list[tuple[str, str]] = field(default_factory=list)  # (what was profiled, top of the profile)
    findings: list[str] = field(default_factory=list)  # what limits a missed target
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "figures": [f.to_dict() for f in self.figures],
            "skipped": self.skipped,
            "findings": self.findings,
            "seconds": self.seconds,
        }


def fmt(value: float, unit: str = "") -> str:
    """A number with sensible precision for a table."""
    if value == 0:
        text = "0"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 0.1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()
