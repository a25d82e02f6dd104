"""A sampling profiler for every thread of a process (cProfile only sees the thread that starts it).

A background thread reads `sys._current_frames()` every few milliseconds and counts,
for each busy thread, the function on top of the stack ("self") and every function on
the stack ("total"). Threads parked in a wait (event loop select, thread-pool queue,
locks) are not counted as busy.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from types import FrameType

_IDLE = frozenset(
    {"select", "poll", "wait", "_wait_for_tstate_lock", "acquire", "get", "sleep", "epoll", "_worker"}
)


def _name(frame: FrameType) -> str:
    code = frame.f_code
    filename = code.co_filename
    for marker in ("/site-packages/", "/src/", "/lib/python3."):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{code.co_firstlineno}({code.co_name})"


class Sampler:
    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.samples = 0
        self.self_counts: Counter[str] = Counter()
        self.total_counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(self.interval):
            for ident, frame in sys._current_frames().items():
                if ident == me or frame.f_code.co_name in _IDLE:
                    continue
                self.samples += 1
                self.self_counts[_name(frame)] += 1
                seen = set()
                current: FrameType | None = frame
                while current is not None:
                    name = _name(current)
                    if name not in seen:
                        seen.add(name)
                        self.total_counts[name] += 1
                    current = current.f_back

    def report(self, top: int = 25) -> str:
        """The functions most often on top of a busy stack, and most often anywhere on it."""
        if not self.samples:
            return "no busy samples"
        lines = [
            f"{self.samples} busy-thread samples every {self.interval * 1000:.0f} ms",
            f"-- top {top} by own samples --",
        ]
        lines += [f"{count / self.samples:6.1%}  {name}" for name, count in self.self_counts.most_common(top)]
        lines.append(f"-- top {top} by samples anywhere on the stack --")
        lines += [
            f"{count / self.samples:6.1%}  {name}" for name, count in self.total_counts.most_common(top)
        ]
        return "\n".join(lines)
