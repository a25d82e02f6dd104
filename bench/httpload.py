"""An open-loop HTTP load generator for 127.0.0.1 only: a fixed request rate for a bounded time.

Request i is due at start + i / rate whatever happened to earlier ones, and its latency
is measured from when it was due (so a server that falls behind shows its queueing
delay instead of hiding it: no coordinated omission). The number of requests is
rate × duration, and requests still unanswered a minute after the last one was due
are abandoned (counted as errors), so a run always ends.

The client is a minimal HTTP/1.1 GET over a pool of keep-alive connections on asyncio
streams: a general-purpose client costs more CPU per request than the server being
measured, and both share this machine's cores.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_REQUESTS = 20_000
DRAIN_SECONDS = 60.0  # requests still unanswered this long after the last one was due are abandoned
CONNECTIONS = 32
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True, slots=True)
class LoadResult:
    requested: int
    completed: int
    errors: int  # connection failures, malformed or 5xx answers, abandoned requests
    statuses: dict[int, int]
    latencies: list[float]  # seconds, from when each request was due, completed requests only
    seconds: float

    @property
    def achieved_rate(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0


class _Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        """GET `path`; the status code. Reconnects once if the kept-alive connection went stale."""
        for attempt in (1, 2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                return await self._exchange(path)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, path: str) -> int:
        assert self.reader is not None and self.writer is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode("ascii"))
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (h.partition(":") for h in lines[1:] if h)
        }
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            await self._read_chunks()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    async def _read_chunks(self) -> None:
        assert self.reader is not None
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await self.reader.readexactly(size + 2)
            if size == 0:
                return

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _load(host: str, port: int, paths: Sequence[str], rate: float, duration: float) -> LoadResult:
    total = min(MAX_REQUESTS, max(1, round(rate * duration)))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(CONNECTIONS):
        idle.put_nowait(_Connection(host, port))

    async def one(path: str, due: float) -> None:
        nonlocal errors
        connection = await idle.get()
        try:
            status = await connection.get(path)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, IndexError):
            errors += 1
            connection.close()
            return
        finally:
            idle.put_nowait(connection)
        latencies.append(time.perf_counter() - due)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            errors += 1

    started = time.perf_counter()
    tasks = []
    for i in range(total):
        due = started + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(paths[i % len(paths)], due)))
    remaining = max(0.0, started + duration + DRAIN_SECONDS - time.perf_counter())
    _, pending = await asyncio.wait(tasks, timeout=remaining)
    for task in pending:  # still unanswered long after the run: abandoned, counted as errors
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    errors += len(pending)
    seconds = time.perf_counter() - started
    while not idle.empty():
        idle.get_nowait().close()
    return LoadResult(total, len(latencies), errors, statuses, latencies, seconds)


def run_load(base_url: str, paths: Sequence[str], *, rate: float, duration: float) -> LoadResult:
    """GET `paths` (cycled) from `base_url` at `rate` requests/s for `duration` seconds (loopback only)."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK:
        raise ValueError(f"load is only generated against this machine (http://127.0.0.1), not {base_url!r}")
    if not paths:
        raise ValueError("no paths to request")
    return asyncio.run(_load(parts.hostname, parts.port or 80, paths, rate, duration))
