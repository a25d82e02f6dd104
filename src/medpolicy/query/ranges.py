"""Whether a code falls inside a range a document lists ("C81.00-C96.9", "0537T-0540T").

Membership follows each system's own order (`medpolicy.codes.in_range`); a stored range
whose ends cannot be read in its system holds no code.
"""

from __future__ import annotations

from medpolicy.codes import CodeRangeSpec, in_range


def code_in_range(system: str, code: str, start: str, end: str) -> bool:
    """True when `code` lies between `start` and `end` (both inclusive) in `system`."""
    try:
        return in_range(code, CodeRangeSpec(system, start, end))
    except (ValueError, IndexError, KeyError):
        return False
