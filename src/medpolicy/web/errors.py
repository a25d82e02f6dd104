"""Errors as the HTTP API reports them: `{"error": "...", "detail": ...}` with a fitting status code.

Pages get the same errors as an HTML page instead of JSON (see `medpolicy.web.pages`).
"""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from medpolicy.errors import QueryError


class ErrorBody(BaseModel):
    """Every error response of the API has this shape."""

    error: str = Field(description="What went wrong, in one sentence.")
    detail: Any = Field(
        default=None, description="More about it, when there is more: e.g. the invalid fields."
    )


class ApiError(Exception):
    """An error to answer with `status`; raised by route code, turned into `ErrorBody` by the app."""

    def __init__(
        self, status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "detail": jsonable_encoder(self.detail)}


_NOT_FOUND_PREFIXES = ("no policy with", "no policy ")


def from_query_error(exc: QueryError) -> ApiError:
    """404 when the store says the thing asked for does not exist, else 422 (the question is malformed).

    The store raises one `QueryError` class for both, so the message tells them apart.
    """
    message = str(exc)
    missing = message.startswith(_NOT_FOUND_PREFIXES) or " has no version " in message
    return ApiError(404 if missing else 422, message)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting `ErrorBody` for each status."""
    descriptions = {
        401: "The write endpoints need `Authorization: Bearer <token>`.",
        403: "The token is wrong, or writes are disabled (the server runs without a token).",
        404: "Nothing stored under that id.",
        413: "The upload is larger than the server accepts.",
        415: "The upload is not a PDF, HTML, DOCX or text document.",
        422: "The request is malformed: a parameter is missing, invalid or cannot be answered.",
        501: "This server's medpolicy has no such feature installed.",
    }
    return {status: {"model": ErrorBody, "description": descriptions[status]} for status in statuses}
