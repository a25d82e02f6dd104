"""medpolicy: read health-plan medical policies and answer, for any billing code, what each payer says."""

from __future__ import annotations

__version__ = "0.1.0"
