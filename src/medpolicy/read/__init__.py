"""Read a document's bytes into normalised `Text`: PDF, HTML, DOCX or plain text.

    >>> result = read_bytes(b"Policy 8.01.01\\r\\nCPT 86357\\r\\n", "policy.txt")
    >>> result.text.text
    'Policy 8.01.01\\nCPT 86357\\n'
    >>> result.source.media_type
    'text/plain'

Every failure is an `UnreadableDocument` naming the file and the problem in one line.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from medpolicy.errors import UnreadableDocument
from medpolicy.model import Source, Text
from medpolicy.read.builder import FormatReading
from medpolicy.read.docx import read_docx
from medpolicy.read.html import read_html
from medpolicy.read.pdf import read_pdf
from medpolicy.read.plaintext import (
    BINARY_REASON,
    byte_order_mark,
    decode_text,
    looks_binary,
    looks_like_utf16,
    read_plaintext,
)

__all__ = [
    "DOCX",
    "HTML",
    "MAX_BYTES",
    "MEDIA_TYPES",
    "PDF",
    "TEXT",
    "ReadResult",
    "read_bytes",
    "read_path",
    "sniff_media_type",
]

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES: tuple[str, ...] = (TEXT, HTML, PDF, DOCX)
_ZIP = "application/zip"
_BINARY = "application/octet-stream"

MAX_BYTES = 100 * 1024 * 1024
_MEGABYTE = 1024 * 1024
_SNIFF_BYTES = 4096
_TEXT_SNIFF_BYTES = 65536

_EXTENSIONS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".txt": TEXT,
    ".text": TEXT,
    ".md": TEXT,
}
_MEDIA_TYPE_ALIASES = {"application/xhtml+xml": HTML, "text/markdown": TEXT}
_READERS: dict[str, Callable[[bytes, str], FormatReading]] = {
    PDF: read_pdf,
    HTML: read_html,
    DOCX: read_docx,
    TEXT: read_plaintext,
}
_FORMAT_NAMES = {PDF: "PDF", HTML: "HTML", DOCX: "DOCX", TEXT: "text"}
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.DOTALL
)
_HTML_TAG = re.compile(r"<(?:html|body)[\s>]")


@dataclass(slots=True)
class ReadResult:
    text: Text
    """Normalised text, with segments mapping offsets to PDF pages or markup elements."""
    source: Source
    warnings: list[str] = field(default_factory=list)
    page_count: int | None = None
    """Pages in a PDF (or form-feed-separated text); None for formats without pages."""


def read_path(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> ReadResult:
    """Read a file from disk; files over `max_bytes` are refused before any byte is read."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError as exc:
        raise UnreadableDocument(name, "no such file") from exc
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot read file: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableDocument(name, "is a directory, not a file")
    if info.st_size > max_bytes:
        raise UnreadableDocument(name, _too_large(info.st_size, max_bytes))
    try:
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise UnreadableDocument(name, _too_large(len(data), max_bytes))
    return read_bytes(data, name)


def _too_large(size: int, limit: int) -> str:
    if limit < _MEGABYTE:
        return f"file is {size:,} bytes; the limit is {limit:,} bytes"
    limit_text = f"{limit // _MEGABYTE}" if limit % _MEGABYTE == 0 else f"{limit / _MEGABYTE:.1f}"
    return f"file is {size / _MEGABYTE:.1f} MB; the limit is {limit_text} MB"


def read_bytes(data: bytes, name: str, *, media_type: str | None = None) -> ReadResult:
    """Read a document held in memory; `name` is reported in errors and kept as the source path.

    `media_type` overrides sniffing (parameters such as "; charset=" are ignored).
    """
    if not data:
        raise UnreadableDocument(name, "empty file")
    warnings: list[str] = []
    if media_type is None:
        media = sniff_media_type(data, name)
        claimed = _EXTENSIONS.get(PurePath(name).suffix.lower())
        if claimed is not None and media in _READERS and claimed != media:
            warnings.append(
                f"named {PurePath(name).suffix} but the content is {_FORMAT_NAMES[media]}; "
                f"read as {_FORMAT_NAMES[media]}"
            )
    else:
        media = media_type.split(";")[0].strip().lower()
        media = _MEDIA_TYPE_ALIASES.get(media, media)
    reader = _READERS.get(media)
    if reader is None:
        raise UnreadableDocument(name, _unsupported(media))
    try:
        reading = reader(data, name)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a last guard: junk input must never surface as a traceback
        reason = f"{_FORMAT_NAMES[media]} could not be read: {type(exc).__name__}"
        raise UnreadableDocument(name, reason) from exc
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), media_type=media)
    return ReadResult(reading.text, source, warnings + reading.warnings, reading.page_count)


def _unsupported(media: str) -> str:
    if media == _BINARY:
        return BINARY_REASON
    if media == _ZIP:
        return "zip archive that is not a DOCX"
    return f"unsupported media type {media!r}; expected one of {', '.join(MEDIA_TYPES)}"


def sniff_media_type(data: bytes, name: str) -> str:
    """The media type of `data`: by magic bytes and markup first, by the extension of `name` second.

    Returns one of `MEDIA_TYPES`, or "application/zip" / "application/octet-stream" for
    archives and binary data medpolicy cannot read.
    """
    extension = PurePath(name).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return DOCX if extension == ".docx" or b"word/" in data else _ZIP
    if _looks_like_html(data[:_SNIFF_BYTES]):
        return HTML
    claimed = _EXTENSIONS.get(extension)
    if claimed is not None:
        return claimed
    text, _ = decode_text(data[:_TEXT_SNIFF_BYTES])
    return _BINARY if looks_binary(text) else TEXT


def _looks_like_html(head: bytes) -> bool:
    announced = byte_order_mark(head)
    if announced is not None:
        text = head[announced[1] :].decode(announced[0], errors="ignore")
    else:
        utf16 = looks_like_utf16(head)
        text = head.decode(utf16 or "latin-1", errors="ignore")
    text = text.lower()
    return bool(_HTML_START.match(text) or _HTML_TAG.search(text))
