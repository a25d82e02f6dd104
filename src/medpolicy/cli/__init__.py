"""The `medpolicy` command line: a thin shell over the Python API, one module per concern."""

from medpolicy.cli import (  # noqa: F401  (each module registers its commands)
    ask_cmd,
    check_cmd,
    codes_cmd,
    demo_cmd,
    extract_cmd,
    mcd_cmd,
    report_cmd,
    serve_cmd,
    store_cmd,
)
from medpolicy.cli.app import app

__all__ = ["app"]
