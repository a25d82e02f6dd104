"""Timing, percentiles and memory readings shared by the benchmarks."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 < q < 100) by linear interpolation; the value itself for one sample."""
    if not values:
        raise ValueError("percentile of no values")
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=1000, method="inclusive")
    return cuts[min(len(cuts) - 1, max(0, round(q * 10) - 1))]


def time_each(action: Callable[[T], object], items: Iterable[T]) -> list[float]:
    """Seconds taken by `action(item)` for each item, in order."""
    timings = []
    for item in items:
        started = time.perf_counter()
        action(item)
        timings.append(time.perf_counter() - started)
    return timings


def best_of(
    action: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The fastest of `repeat` runs of `action`, in seconds of `clock` (the least disturbed by other work)."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        started = clock()
        action()
        best = min(best, clock() - started)
    return best


def load_average() -> str:
    """The 1-minute load average and the core count, e.g. "1.95 on 2 cores" (other work skews timings)."""
    return f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def peak_rss_kb() -> int:
    """This process's resident-set high-water mark (VmHWM), in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class DescendantSampler:
    """Samples this process's descendants (worker pools, fork servers) from /proc in a background thread.

    Worker processes may be grandchildren (a fork server's children), which `getrusage`
    does not see; this keeps each descendant's VmHWM and CPU time as last read.
    """

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak_kb: dict[int, int] = {}
        self.cpu_seconds: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ticks = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> DescendantSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, list[str]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            stats[int(entry)] = fields
        mine = {os.getpid()}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in mine and pid not in mine:
                    mine.add(pid)
                    grew = True
        mine.discard(os.getpid())
        for pid in mine:
            fields = stats[pid]
            self.cpu_seconds[pid] = (int(fields[11]) + int(fields[12])) / self._ticks
            try:
                with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(line.split()[1]))
                            break
            except OSError:
                continue

    @property
    def largest_peak_kb(self) -> int | None:
        return max(self.peak_kb.values(), default=None)

    @property
    def total_cpu_seconds(self) -> float:
        return sum(self.cpu_seconds.values())


def idle_rss_kb() -> int:
    """VmHWM of a fresh Python process that imported medpolicy and the modules ingesting needs."""
    code = (
        "import medpolicy, medpolicy.api, medpolicy.extract, medpolicy.read, sys;"
        "sys.path.insert(0, sys.argv[1]);"
        "import measure; print(measure.peak_rss_kb())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, os.path.dirname(__file__)], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip().splitlines()[-1])


def run_json_child(args: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run `python args...` and return the JSON object its last line of output prints."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{' '.join(args)} exited with {done.returncode}:\n{tail}")
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"{' '.join(args)} printed nothing")
    loaded: dict[str, Any] = json.loads(lines[-1])
    return loaded


def ms(seconds: float) -> float:
    return seconds * 1000.0
