"""Plain text: work out the encoding, refuse binary data, keep every line as it is.

The extractor works line by line and its offsets must be stable, so nothing is reflowed
or stripped: only newlines are unified (CRLF/CR → LF) and characters normalised.
A text file with form feeds (as `pdftotext` writes) gets one segment per page.
"""

from __future__ import annotations

import codecs
import re

from medpolicy.errors import UnreadableDocument
from medpolicy.read.builder import FormatReading, TextBuilder
from medpolicy.read.normalize import normalize_newlines

# Longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than tab, LF, CR, FF and ESC, plus DEL: rare in text, common in binary data.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_BINARY_CONTROL_SHARE = 0.05
_UTF16_SAMPLE_BYTES = 4096

BINARY_REASON = "binary data that is not PDF, HTML, DOCX or text"
LATIN1_WARNING = "text is neither UTF-8 nor Windows-1252; decoded as Latin-1, some characters may be wrong"


def byte_order_mark(data: bytes) -> tuple[str, int] | None:
    """The encoding a BOM at the start of `data` announces, and the BOM's length."""
    for bom, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def looks_like_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when `data` has the NUL-interleaving of mostly-ASCII UTF-16 without a BOM."""
    sample = data[:_UTF16_SAMPLE_BYTES]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.4 * half and even_nuls <= 0.05 * half:
        return "utf-16-le"
    if even_nuls >= 0.4 * half and odd_nuls <= 0.05 * half:
        return "utf-16-be"
    return None


def looks_binary(text: str) -> bool:
    """True when control characters make up more than a few percent of `text`."""
    if not text:
        return False
    return len(_CONTROL_CHARACTER.findall(text)) > _BINARY_CONTROL_SHARE * len(text)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes of unknown encoding: BOM, UTF-16 heuristics, UTF-8, Windows-1252, then Latin-1."""
    warnings: list[str] = []
    announced = byte_order_mark(data)
    if announced is not None:
        encoding, bom_length = announced
        try:
            return data[bom_length:].decode(encoding), warnings
        except UnicodeDecodeError:
            warnings.append(
                f"text has a {encoding.upper()} byte order mark but invalid {encoding.upper()} "
                "sequences; they were replaced with U+FFFD"
            )
            return data[bom_length:].decode(encoding, errors="replace"), warnings
    utf16 = looks_like_utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), warnings
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        warnings.append("text is not UTF-8; decoded as Windows-1252")
        return text, warnings
    except UnicodeDecodeError:
        warnings.append(LATIN1_WARNING)
        return data.decode("latin-1"), warnings


def read_plaintext(data: bytes, name: str) -> FormatReading:
    text, warnings = decode_text(data)
    if looks_binary(text):
        raise UnreadableDocument(name, BINARY_REASON)
    if not text.strip():
        raise UnreadableDocument(name, "file has no text (only whitespace)")
    text = normalize_newlines(text)
    builder = TextBuilder()
    pages = text.split("\f")
    if len(pages) == 1:
        builder.add(text)
        return FormatReading(builder.build(), warnings)
    for number, page in enumerate(pages, start=1):
        if number > 1:
            builder.separate("\f")
        builder.add(page, page=number)
    return FormatReading(builder.build(), warnings, page_count=len(pages))
