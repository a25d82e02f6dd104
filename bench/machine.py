"""What the benchmarks ran on: CPU, cores, memory, Python, OS, database versions, git commit."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _first(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip()
    except OSError:
        return None
    return None


def _command(*args: str) -> str | None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=20, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired):
        return None
    output = (done.stdout or done.stderr).strip()
    return output if done.returncode == 0 or output else None


def git_commit() -> str:
    """The commit checked out, noting uncommitted changes (read-only git commands only)."""
    commit = _command("git", "rev-parse", "--short=12", "HEAD") or "unknown"
    changed = _command("git", "status", "--porcelain", "--untracked-files=no")
    untracked = _command("git", "status", "--porcelain")
    if changed:
        return f"{commit} with uncommitted changes to {len(changed.splitlines())} tracked file(s)"
    if untracked:
        return f"{commit} plus untracked files"
    return commit


def describe(postgres_version: str | None) -> dict[str, str]:
    """The machine and software the figures were measured on."""
    mem_kb = _first("/proc/meminfo", "MemTotal")
    memory = f"{int(mem_kb.split()[0]) / 1024 / 1024:.1f} GiB" if mem_kb else "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    pretty = (_first("/etc/os-release", "PRETTY_NAME=") or platform.platform()).strip('"')
    pdftotext = _command("pdftotext", "-v")
    from importlib.metadata import version

    return {
        "CPU": _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": f"{os.cpu_count()} logical, {usable} usable by this process",
        "memory": memory,
        "OS": f"{pretty} (kernel {platform.release()})",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": postgres_version or "not reachable",
        "pdftotext": pdftotext.splitlines()[0] if pdftotext else "not installed",
        "medpolicy": version("medpolicy"),
        "SQLAlchemy": version("sqlalchemy"),
        "git commit": git_commit(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
