"""Receiving an uploaded document and storing it, within a size cap and by sniffed content type.

The request body is counted as it streams in, so an oversized upload is refused as soon
as it passes the cap (or at once, when its Content-Length says so). The file part is
spooled by Starlette to an anonymous temporary file; the document is then read from
memory, so nothing in the request (not even the file name) names a path on disk.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from medpolicy.api import Store
from medpolicy.errors import UnreadableDocument
from medpolicy.extract import extract
from medpolicy.read import MEDIA_TYPES, read_bytes, sniff_media_type
from medpolicy.web.errors import ApiError

MULTIPART_OVERHEAD = 64 * 1024  # room for the form's boundaries and headers around the file
FILE_FIELD = "file"
MAX_NAME_CHARS = 200
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


class IngestResult(BaseModel):
    """What became of an uploaded document."""

    name: str = Field(description="The upload's file name, as recorded for the document's source.")
    outcome: Literal["new", "updated", "unchanged"] = Field(
        description="new policy, new version of a known policy, or content already stored"
    )
    policy_id: int
    version_no: int
    media_type: str = Field(description="The type sniffed from the content.")
    warnings: list[str] = Field(description="What the reader or extractor could not read or had to guess.")


def upload_name(filename: str | None) -> str:
    """The upload's base name, printable and short, for the record (never used as a path)."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    cleaned = _UNPRINTABLE.sub("", base).strip()[:MAX_NAME_CHARS]
    return cleaned if cleaned.strip(".") else "upload"


async def receive_document(request: Request, max_bytes: int) -> tuple[str, bytes]:
    """The uploaded file's name and bytes; ApiError 413/415/422 for oversized, wrong or missing uploads."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(415, "send the document as multipart/form-data with the file in a field named 'file'")
    limit = max_bytes + MULTIPART_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(max_bytes)
    parser = MultiPartParser(
        request.headers,
        _capped(request, limit, max_bytes),
        max_files=1,
        max_fields=8,
        max_part_size=64 * 1024,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ApiError(422, f"the upload is not valid multipart/form-data: {exc.message}") from None
    try:
        upload = form.get(FILE_FIELD)
        if not isinstance(upload, UploadFile):
            raise ApiError(422, f"the upload has no file in a field named {FILE_FIELD!r}")
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        return upload_name(upload.filename), data
    finally:
        await form.close()


async def _capped(request: Request, limit: int, max_bytes: int) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _too_large(max_bytes)
        yield chunk


def _too_large(max_bytes: int) -> ApiError:
    return ApiError(
        413, f"the upload is larger than this server accepts ({_size(max_bytes)})", {"max_bytes": max_bytes}
    )


def _size(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{count:,} bytes"


def store_upload(store: Store, name: str, data: bytes) -> IngestResult:
    """Read, extract and store an uploaded document (blocking: run it off the event loop)."""
    if not data:
        raise ApiError(422, f"{name}: the file is empty")
    media_type = sniff_media_type(data, "")  # by content alone: the upload's name is not trusted
    if media_type not in MEDIA_TYPES:
        raise ApiError(
            415,
            f"{name}: not a document medpolicy reads (PDF, HTML, DOCX or text)",
            {"sniffed": media_type},
        )
    try:
        reading = read_bytes(data, f"upload:{name}", media_type=media_type)
    except UnreadableDocument as exc:
        raise ApiError(422, f"{name}: {exc.reason}") from None
    try:
        extraction = extract(reading.text)
    except Exception as exc:  # a last guard: an extractor bug must answer as an error, not a traceback
        raise ApiError(422, f"{name}: facts could not be extracted ({type(exc).__name__})") from None
    extraction.warnings.extend(w for w in reading.warnings if w not in extraction.warnings)
    stored = store.add(reading.text, reading.source, extraction)
    if stored.outcome == "failed" or stored.policy_id is None or stored.version_no is None:
        raise ApiError(422, f"{name}: {stored.reason or 'could not be stored'}")
    return IngestResult(
        name=name,
        outcome=stored.outcome,
        policy_id=stored.policy_id,
        version_no=stored.version_no,
        media_type=media_type,
        warnings=list(extraction.warnings),
    )
