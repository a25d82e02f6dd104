"""Which stored policy a document is a version of.

A document with a policy number is identified by its payer (canonical key) and that
number; one without, by where it was read from and its title. Ingesting the same
identity with different content adds a version instead of a second policy.
"""

from __future__ import annotations

import re

from medpolicy.payers import payer_key

TITLE_KEY_CHARS = 200  # keeps the unique key well inside index entry limits
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def number_key(policy_number: str | None) -> str | None:
    """A policy number in the form used for comparison: upper case, no spaces, plain hyphens."""
    if policy_number is None:
        return None
    key = _DASHES.sub("-", "".join(policy_number.split()).upper()).strip(".,;:")
    return key or None


def title_key(title: str | None) -> str:
    """A title folded to lower-case words, for comparison."""
    return " ".join(re.findall(r"[^\W_]+", (title or "").lower()))


def identity_key(payer: str | None, policy_number: str | None, source_path: str, title: str | None) -> str:
    """The key two documents share exactly when they are versions of one policy."""
    number = number_key(policy_number)
    if number:
        return f"number:{payer_key(payer)}:{number}"
    return f"path:{source_path}:{title_key(title)[:TITLE_KEY_CHARS]}"
