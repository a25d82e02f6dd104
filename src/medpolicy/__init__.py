"""medpolicy: read health-plan medical policies and answer, for any billing code, what each payer says.

    >>> import medpolicy
    >>> store = medpolicy.open("medpolicy.db")  # doctest: +SKIP

`open` and `Store` come from `medpolicy.api`, loaded on first use so that importing a
small part of the package (the model, the extractor) does not load the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medpolicy.api import Store, open

__version__ = "0.1.0"

__all__ = ["Store", "__version__", "open"]


def __getattr__(name: str) -> Any:
    if name in ("open", "Store"):
        from medpolicy import api

        return getattr(api, name)
    raise AttributeError(f"module 'medpolicy' has no attribute {name!r}")
