"""cProfile a piece of work; keep the top of the profile and a summary of where the time goes."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

_SITE = re.compile(r"\S*?/(?:site-packages|lib/python3\.\d+)/")
_SRC = re.compile(r"\S*?/src/(medpolicy/)")
_MEDPOLICY_FILE = re.compile(r"/src/medpolicy/(.+)\.py$")


@dataclass(frozen=True, slots=True)
class Profile:
    text: str  # the top of the profile, by own time and by cumulative time
    hotspots: list[str]  # one line per place the time goes, largest first


def _shorten(text: str) -> str:
    return _SITE.sub("", _SRC.sub(r"\1", text))


def profile(action: Callable[[], object], *, top: int = 22) -> Profile:
    """Run `action` under cProfile and summarise it."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        action()
    finally:
        profiler.disable()
    return summarise(pstats.Stats(profiler), top=top)


def summarise(stats: pstats.Stats, *, top: int = 22) -> Profile:
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    out.write(f"-- top {top} functions by own time (tottime) --\n")
    stats.sort_stats("tottime").print_stats(top)
    out.write(f"-- top {top} medpolicy functions by cumulative time --\n")
    stats.sort_stats("cumulative").print_stats(r"medpolicy/", top)
    lines = [
        _shorten(line.rstrip())
        for line in out.getvalue().splitlines()
        if line.strip()
        and not line.lstrip().startswith(("Ordered by", "List reduced"))
        and "{built-in method builtins.exec}" not in line
    ]
    return Profile("\n".join(lines), hotspots(stats))


def _component(filename: str, function: str) -> str:
    found = _MEDPOLICY_FILE.search(filename)
    if found:
        return "medpolicy." + found.group(1).replace("/", ".").removesuffix(".__init__")
    if "re.Pattern" in function or filename.endswith(
        ("/re/__init__.py", "/re/_parser.py", "/re/_compiler.py")
    ):
        return "regular expressions (re)"
    for marker, name in (
        ("sqlalchemy", "SQLAlchemy"),
        ("sqlite3", "sqlite3"),
        ("psycopg", "psycopg"),
        ("pypdfium2", "pypdfium2"),
        ("selectolax", "selectolax"),
        ("docx", "python-docx"),
        ("dataclasses", "dataclasses"),
        ("pickle", "pickle"),
        ("multiprocessing", "multiprocessing"),
        ("concurrent", "concurrent.futures"),
        ("hashlib", "hashlib"),
        ("json", "json"),
        ("weasyprint", "WeasyPrint"),
        ("pydyf", "pydyf"),
        ("fontTools", "fontTools"),
        ("tinycss2", "tinycss2"),
        ("cssselect2", "cssselect2"),
        ("jinja2", "Jinja2"),
        ("pydantic", "pydantic"),
        ("fastapi", "FastAPI"),
        ("starlette", "Starlette"),
    ):
        if marker in filename or marker in function:
            return name
    return "other Python / built-ins"


def hotspots(stats: pstats.Stats, *, count: int = 6) -> list[str]:
    """Own time grouped by module, and the medpolicy functions with the largest cumulative time."""
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    by_component: dict[str, float] = defaultdict(float)
    for (filename, _line, function), entry in raw.items():
        by_component[_component(filename, function)] += entry[2]
    ranked = sorted(by_component.items(), key=lambda item: -item[1])[:count]
    lines = ["own time by module: " + ", ".join(f"{name} {share / total:.0%}" for name, share in ranked)]
    functions = [
        (entry[3], f"{_shorten(filename)}:{line}({function})")
        for (filename, line, function), entry in raw.items()
        if "/medpolicy/" in filename and entry[3] < 0.95 * total
    ]
    functions.sort(reverse=True)
    lines.append(
        "largest medpolicy functions by cumulative time: "
        + ", ".join(f"{name} {seconds / total:.0%}" for seconds, name in functions[:count])
    )
    return lines
