"""The web application: the JSON API under /api/v1 and the pages, over one open Store.

    >>> import medpolicy
    >>> from medpolicy.web import create_app
    >>> app = create_app(medpolicy.open("policies.db"))       # doctest: +SKIP
    >>> # uvicorn.run(app, host="127.0.0.1", port=8000)

`medpolicy serve` runs it with uvicorn.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import medpolicy
from medpolicy.api import Store
from medpolicy.codes import icd10cm
from medpolicy.errors import MedpolicyError, QueryError
from medpolicy.store.engine import StoreUnavailable
from medpolicy.web import api_v1, pages
from medpolicy.web.answer_cache import AnswerCache
from medpolicy.web.errors import ApiError, from_query_error
from medpolicy.web.limits import DEFAULT_MAX_UPLOAD_BYTES
from medpolicy.web.settings import WebSettings

STATIC_DIR = Path(__file__).parent / "static"
API_PREFIX = "/api/"
DOCS_PATH = "/api/v1/docs"

# Pages load only the package's own CSS and JS; the API docs page loads Swagger UI from its CDN.
PAGE_SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
]
COMMON_SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]

DESCRIPTION = """\
What each health plan's medical policies say about a billing code, with the words they say it in.

Every answer is traceable: statuses come with the statement they rest on and the character
span of that statement in the policy's stored text (`/policies/{id}/text`).

Errors are JSON objects `{"error": "...", "detail": ...}`. Uploading documents needs
`Authorization: Bearer <token>` and is disabled unless the server was started with a token.
"""


def create_app(
    store: Store, *, token: str | None = None, max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
) -> FastAPI:
    """The web app over `store`. Uploads need `token` (none: uploads are refused) and are capped
    at `max_upload_bytes`."""
    app = FastAPI(
        lifespan=_load_code_sets,
        title="medpolicy",
        version=medpolicy.__version__,
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=DOCS_PATH,
        redoc_url=None,
    )
    app.state.store = store
    app.state.answers = AnswerCache()
    app.state.settings = WebSettings(token=token or None, max_upload_bytes=max_upload_bytes)
    app.include_router(api_v1.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    return app


# What `medpolicy serve --workers N` hands each worker process (see `app_from_environment`).
SERVE_DB_ENV = "MEDPOLICY_SERVE_DB"
SERVE_TOKEN_ENV = "MEDPOLICY_SERVE_TOKEN"
SERVE_MAX_UPLOAD_ENV = "MEDPOLICY_SERVE_MAX_UPLOAD_BYTES"


def app_from_environment() -> FastAPI:
    """The web app over the store named in the environment: the factory each worker process of
    `medpolicy serve --workers N` calls, as uvicorn starts workers from an import string."""
    store = medpolicy.open(os.environ[SERVE_DB_ENV])
    max_upload = int(os.environ.get(SERVE_MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD_BYTES))
    return create_app(store, token=os.environ.get(SERVE_TOKEN_ENV), max_upload_bytes=max_upload)


@asynccontextmanager
async def _load_code_sets(_app: FastAPI) -> AsyncIterator[None]:
    """Load the ICD-10-CM code set before serving: loading it on first use (most of a second) would
    hold up the first diagnosis-code requests and every request queued behind them."""
    icd10cm.codes_in_order()
    yield


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _add_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        if _is_api(request):
            return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)
        return pages.error_page(request, exc.status, exc.error, exc.detail)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = _validation_details(exc)
        return await api_error(request, ApiError(422, _validation_summary(details), details))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        headers = dict(exc.headers) if exc.headers else None
        return await api_error(request, ApiError(exc.status_code, message, None, headers))

    async def query_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, QueryError)
        return await api_error(request, from_query_error(exc))

    async def store_unavailable(request: Request, exc: Exception) -> Response:
        return await api_error(request, ApiError(503, str(exc)))

    async def medpolicy_error(request: Request, exc: Exception) -> Response:
        return await api_error(request, ApiError(422, str(exc)))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(QueryError, query_error)
    app.add_exception_handler(StoreUnavailable, store_unavailable)
    app.add_exception_handler(MedpolicyError, medpolicy_error)


_LOCATIONS = {
    "query": "query parameter",
    "path": "path parameter",
    "body": "request body",
    "header": "header",
}


def _validation_summary(details: list[dict[str, Any]]) -> str:
    """The first problem in words, e.g. "invalid query parameter 'since': String should match ..."."""
    if not details:
        return "invalid request"
    where, *names = details[0]["loc"] or ["request"]
    place = _LOCATIONS.get(where, where)
    named = f"{place} {'.'.join(names)!r}" if names else place
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return f"invalid {named}: {details[0]['msg']}{more}"


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, without echoing the input back."""
    return [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]


class SecurityHeaders:
    """Adds headers that keep browsers from sniffing types, framing pages or running foreign scripts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(COMMON_SECURITY_HEADERS)
        if scope["path"] != DOCS_PATH:
            extra += PAGE_SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
