"""What the operator configures when starting the web app: the write token and the upload cap."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from medpolicy.web.errors import ApiError
from medpolicy.web.limits import DEFAULT_MAX_UPLOAD_BYTES


@dataclass(frozen=True, slots=True)
class WebSettings:
    token: str | None = None  # None: write endpoints are disabled
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES

    @property
    def writes_enabled(self) -> bool:
        return bool(self.token)


def check_token(settings: WebSettings, given: str | None) -> None:
    """Pass when `given` is the operator's token; else ApiError 401 (none given) or 403."""
    if not settings.token:
        raise ApiError(
            403,
            "writes are disabled on this server",
            "start it with --token (or $MEDPOLICY_TOKEN) to allow uploads",
        )
    if not given:
        raise ApiError(
            401,
            "this endpoint needs the operator's token",
            "send the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise ApiError(403, "the token is not valid for this server")
