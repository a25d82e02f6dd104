"""The normalisation every reader applies, so the extractor sees one alphabet whatever the format.

Only character-level changes happen here: lines are never joined, split or stripped, so
a reader can normalise piece by piece and still know exactly where each piece lands.
"""

from __future__ import annotations

import re
import unicodedata

# Symbol fonts (Wingdings, Symbol) map their bullet glyphs into the Private Use Area;
# PDF and DOCX text from Word documents carries them as list markers.
_PRIVATE_USE_BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0a8\uf0fc\uf06e\uf071\uf0e0\uf075\uf0d2\uf0be"

_CHARACTER_MAP = {
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
    "\u00ad": "",  # soft hyphen: a line-break opportunity, not a character
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u0000": "\ufffd",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    **dict.fromkeys(_PRIVATE_USE_BULLETS, "•"),
}
_TRANSLATION = str.maketrans(_CHARACTER_MAP)
_MAPPED_CHARACTER = re.compile("[" + "".join(_CHARACTER_MAP) + "]")

_LINE_BREAKS = re.compile(r"\r\n?")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; form feeds (page breaks) stay."""
    return _LINE_BREAKS.sub("\n", text)


def normalize(text: str) -> str:
    """NFC; plain spaces and hyphens for their no-break variants; no soft hyphens; ligatures spelled out;
    one bullet glyph for the symbol-font ones; NUL shown as U+FFFD."""
    if _MAPPED_CHARACTER.search(text):  # translate() is slow enough to be worth skipping
        text = text.translate(_TRANSLATION)
    return unicodedata.normalize("NFC", text)
