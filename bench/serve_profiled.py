"""`medpolicy serve ARGS...` with a sampling profiler on all threads; the report goes to $BENCH_PROFILE_OUT.

    BENCH_PROFILE_OUT=profile.txt python bench/serve_profiled.py --db STORE --port 8123

The report is written when the server shuts down (SIGTERM or Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from sampler import Sampler


def main() -> None:
    from medpolicy.cli import app

    # uvicorn re-raises the SIGTERM it caught once it has shut down; exiting normally lets the report be written.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sampler = Sampler()
    sampler.start()
    try:
        app(["serve", *sys.argv[1:]], standalone_mode=False)
    finally:
        sampler.stop()
        Path(os.environ["BENCH_PROFILE_OUT"]).write_text(sampler.report() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
