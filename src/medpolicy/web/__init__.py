"""The HTTP API and web pages over a Store: `create_app(store)` gives the FastAPI application.

`medpolicy serve` runs it; see `medpolicy.web.app` for what it serves. `create_app` is loaded
on first use, so that importing the command line does not load the web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medpolicy.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from medpolicy.web.app import create_app

        return create_app
    raise AttributeError(f"module 'medpolicy.web' has no attribute {name!r}")
