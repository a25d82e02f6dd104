"""JSON bodies of read-only API answers, kept per store revision so repeated questions cost a lookup.

An answer is reused only while the store's revision (`Store.revision`) is the one it was
computed at: any document stored since, by this server or another process, makes every
kept answer stale. The least recently used answers go first once `max_bytes` is reached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class AnswerCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._revision: int | None = None
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, revision: int, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The answer for `key` at `revision`, computed (outside the lock) when not kept."""
        with self._lock:
            if revision != self._revision:
                self._answers.clear()
                self._bytes = 0
                self._revision = revision
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
                return found
        body = compute()
        with self._lock:
            if revision == self._revision and key not in self._answers and len(body) <= self._max_bytes:
                self._answers[key] = body
                self._bytes += len(body)
                while self._bytes > self._max_bytes:
                    _, dropped = self._answers.popitem(last=False)
                    self._bytes -= len(dropped)
        return body

    def __len__(self) -> int:
        return len(self._answers)
