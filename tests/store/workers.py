"""Stand-ins for the read-and-extract step, run in worker processes by the ingest tests."""

from __future__ import annotations

import os

from medpolicy.store.pipeline import ReadDocument, read_and_extract


def die_on_crash_files(path: str) -> ReadDocument:
    """Like the real pipeline, but the worker process dies outright on files named crash*."""
    if os.path.basename(path).startswith("crash"):
        os._exit(1)
    return read_and_extract(path)


def raise_on_everything(path: str) -> ReadDocument:
    raise RuntimeError(f"cannot handle {path}")
