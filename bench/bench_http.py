"""Code lookups over HTTP (`medpolicy serve`, GET /api/v1/codes/{code}) under a fixed request rate."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from httpload import LoadResult, run_load
from measure import ms, percentile
from results import Figure, Section, fmt

TARGET_P99_MS = 20.0
LOOKUP_PATH = "/api/v1/codes/{code}"
PROFILED_SECONDS = 10.0
SERVE_WORKERS = 2  # one server process per core, as `medpolicy serve --workers 2`
SATURATED = 0.9  # a server completing less than this share of the offered rate is saturated


@dataclass(slots=True)
class HttpResult:
    size: int
    load: LoadResult
    cpu: LoadCpu
    inprocess_p50_ms: float  # Store.code latency at the same size, in-process
    inprocess_p99_ms: float
    floor_p99_ms: float  # raw indexed SELECT p99 at the same size
    profile: str | None  # sampling profile of a second run, when the p99 target was missed


@dataclass(frozen=True, slots=True)
class LoadCpu:
    """CPU time per completed request, of the server process and of the load generator (this process)."""

    server_ms: float
    client_ms: float

    @property
    def capacity(self) -> float:
        """Requests/s the server's processes can serve at this cost, each running Python on one core at a time."""
        return SERVE_WORKERS * 1000.0 / self.server_ms if self.server_ms else float("inf")


def medpolicy_command() -> list[str]:
    script = Path(sys.executable).parent / "medpolicy"
    return [str(script)] if script.exists() else [sys.executable, "-m", "medpolicy.cli"]


def serve_missing() -> str | None:
    """Why the HTTP benchmark cannot run, or None when `medpolicy serve` exists."""
    command = [*medpolicy_command(), "serve", "--help"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`medpolicy serve --help` could not run: {exc}"
    if done.returncode != 0:
        return "`medpolicy serve` does not exist yet (the HTTP API has not landed)"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(db: str, log: Path, profile_out: Path | None = None) -> Iterator[tuple[str, int]]:
    """`medpolicy serve` on a free loopback port in its own process group: (base URL, process id).
    Stopped on exit.

    With `profile_out`, the server runs as one process under the sampling profiler
    (`serve_profiled.py`), which writes its report there when the server stops.
    """
    port = _free_port()
    options = ["--db", db, "--host", "127.0.0.1", "--port", str(port)]
    env = dict(os.environ)
    if profile_out is None:
        command = [*medpolicy_command(), "serve", *options, "--workers", str(SERVE_WORKERS)]
    else:
        command = [sys.executable, str(Path(__file__).with_name("serve_profiled.py")), *options]
        env["BENCH_PROFILE_OUT"] = str(profile_out)
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(base, process, log)
            yield base, process.pid
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=15)


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"medpolicy serve exited with {process.returncode}: {log.read_text()[-1500:]}")
        try:
            httpx.get(base + LOOKUP_PATH.format(code="99213"), timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"medpolicy serve did not answer within 90 s: {log.read_text()[-1500:]}")


def _cpu_seconds(pid: int) -> float:
    """CPU seconds of process `pid` and its live children (the server's worker processes)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(child) for child in _children(pid))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = task / "children"
        if children.exists():
            found += [int(child) for child in children.read_text().split()]
    return found


def run(
    db: str, size: int, rows: Sequence[dict[str, Any]], *, rate: float, duration: float, seed: int, log: Path
) -> tuple[LoadResult, LoadCpu, str | None]:
    """The load run and its CPU cost, and when its p99 misses the target, the profile of a second run."""
    rng = random.Random(f"{seed}/http/{size}")
    codes = sorted({code for row in rows for code in row["codes"]})
    paths = [LOOKUP_PATH.format(code=rng.choice(codes)) for _ in range(2000)]
    with server(db, log) as (base, pid):
        run_load(base, paths[:50], rate=min(rate, 50), duration=1)  # warm-up
        server_before, client_before = _cpu_seconds(pid), time.process_time()
        load = run_load(base, paths, rate=rate, duration=duration)
        server_cpu, client_cpu = _cpu_seconds(pid) - server_before, time.process_time() - client_before
    done = max(1, load.completed)
    cpu = LoadCpu(1000 * server_cpu / done, 1000 * client_cpu / done)
    if load.latencies and ms(percentile(load.latencies, 99)) < TARGET_P99_MS:
        return load, cpu, None
    profile_out = log.with_suffix(".profile.txt")
    profile_out.unlink(missing_ok=True)
    with server(db, log.with_suffix(".profiled.log"), profile_out) as (base, _):
        run_load(base, paths[:50], rate=min(rate, 50), duration=1)
        run_load(base, paths, rate=rate, duration=min(duration, PROFILED_SECONDS))
    return load, cpu, profile_out.read_text(encoding="utf-8") if profile_out.exists() else None


def http_section(
    results: list[HttpResult],
    rate: float,
    duration: float,
    skipped: str | None,
    inprocess_mean_ms: dict[int, float],
) -> Section:
    """`inprocess_mean_ms`: the mean in-process `Store.code` time per corpus size, to compare with server CPU."""
    section = Section(
        "Code lookup over HTTP under load",
        f"`medpolicy serve --db STORE --workers {SERVE_WORKERS}` (SQLite store; one process per core) on "
        f"127.0.0.1, GET `{LOOKUP_PATH}` for 2,000 random corpus codes, cycled, at a fixed {rate:.0f} "
        f"requests/s for {duration:.0f} s (open loop: latency counts from when each request was due, so "
        "queueing shows), from an asyncio load generator (a minimal keep-alive HTTP/1.1 client over 32 "
        "connections, `bench/httpload.py`) on the same 2-core machine. Each server process keeps answers "
        "until the store changes, so a code asked a second time (from the tenth second on, at 200/s) is "
        "answered from memory by whichever process kept it; the first asking is a lookup. Baselines: the raw "
        "indexed SELECT p99 and the in-process `Store.code` p99 at the same corpus size. The achieved rate "
        "column shows the server's capacity when it cannot keep up; CPU counts every server process. When "
        f"the p99 target is missed, a second run of up to {PROFILED_SECONDS:.0f} s goes to a one-process "
        "server under a sampling profiler that sees every thread (`bench/sampler.py`).",
    )
    if skipped:
        section.skipped = skipped
        return section
    rows = []
    for result in results:
        load, size = result.load, result.size
        if not load.latencies:
            rows.append(f"| {size:,} | {load.requested} | 0 | {load.errors} | – | – | – | – | – | – | – |")
            continue
        p50, p99 = ms(percentile(load.latencies, 50)), ms(percentile(load.latencies, 99))
        section.figures.append(
            Figure(
                f"HTTP lookup p99 at {rate:.0f} req/s, {size:,} documents",
                p99,
                "ms",
                "raw indexed SELECT p99",
                result.floor_p99_ms,
                target=f"< {TARGET_P99_MS:.0f} ms (on a 50,000-document store)",
                met=p99 < TARGET_P99_MS,
                note=f"in-process p99 {fmt(result.inprocess_p99_ms, 'ms')}",
            )
        )
        cpu = result.cpu
        mean = inprocess_mean_ms.get(size, result.inprocess_p50_ms)
        if load.achieved_rate < SATURATED * rate:
            section.findings.append(
                f"{size:,} documents: the server is saturated — it completed {fmt(load.achieved_rate)} "
                "lookups/s "
                f"of the {rate:.0f}/s offered, so requests queued for the whole run and the p99 is queueing "
                "time. "
                f"Each request cost the server {fmt(cpu.server_ms, 'ms')} of CPU (the load generator "
                f"{fmt(cpu.client_ms, 'ms')}); at that cost {SERVE_WORKERS} server processes, each running "
                f"Python on one core at a time, serve at most about {fmt(cpu.capacity)} requests/s on "
                f"{SERVE_WORKERS} otherwise idle cores. In-process, `Store.code` takes "
                f"{fmt(mean, 'ms')} on average ({fmt(result.inprocess_p50_ms, 'ms')} at p50) for the same kind of "
                f"codes: about {min(1.0, mean / cpu.server_ms):.0%} of the server's CPU per request; the rest is "
                "serving overhead (HTTP parsing, the ASGI framework, JSON, the access log; see the profile)"
            )
        else:
            section.findings.append(
                f"{size:,} documents: the in-process `Store.code` p99 is "
                f"{fmt(result.inprocess_p99_ms, 'ms')}, so "
                f"serving adds {fmt(p99 - result.inprocess_p99_ms, 'ms')} at p99 (HTTP parsing, the ASGI "
                "framework, JSON encoding of the response, and the load generator sharing the two cores)"
            )
        if result.profile:
            section.profiles.append((f"medpolicy serve under load, {size:,} documents", result.profile))
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(load.statuses.items()))
        rows.append(
            f"| {size:,} | {load.requested} | {load.completed} | {load.errors} | {fmt(load.achieved_rate)} | "
            f"{fmt(p50, 'ms')} | {fmt(p99, 'ms')} | {fmt(ms(max(load.latencies)), 'ms')} | "
            f"{fmt(result.cpu.server_ms, 'ms')} | {fmt(result.cpu.client_ms, 'ms')} | {statuses} |"
        )
    section.tables.append(
        "| documents | requests | completed | errors | achieved req/s | p50 | p99 | max | server CPU per "
        "request "
        "| load generator CPU per request | statuses |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n" + "\n".join(rows)
    )
    return section
