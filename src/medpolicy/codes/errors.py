"""The error code functions raise for input that is not a code."""

from __future__ import annotations

from medpolicy.errors import MedpolicyError


class CodeError(MedpolicyError, ValueError):
    """Not a code (of any system, or of the one asked for), not a code range, or an unknown system name.

    A ValueError for library callers; a MedpolicyError so the CLI prints it on one line.
    """
