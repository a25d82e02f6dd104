"""The JSON API under /api/v1: the Python API's questions as HTTP endpoints.

Read endpoints are open to whoever can reach the server; the write endpoint (uploading
a document) needs the operator's token.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StringConstraints

from medpolicy.api import Store
from medpolicy.query.results import (
    CodeLookup,
    Matrix,
    PayerCount,
    PolicyChange,
    PolicyDetail,
    PolicySummary,
    SearchResult,
    Stats,
)
from medpolicy.store.engine import read_transaction
from medpolicy.web import features
from medpolicy.web.answer_cache import AnswerCache
from medpolicy.web.errors import ApiError, error_responses
from medpolicy.web.settings import WebSettings, check_token
from medpolicy.web.suggest import Suggestion, suggestions
from medpolicy.web.uploads import IngestResult, receive_document, store_upload

DocType = Literal[
    "medical_policy",
    "clinical_policy_bulletin",
    "lcd",
    "ncd",
    "billing_article",
    "code_page",
    "coverage_summary",
    "other",
]
Status = Literal[
    "medically_necessary", "investigational", "not_medically_necessary", "not_covered", "cosmetic"
]
ReportFormat = Literal["md", "html", "pdf", "json"]

REPORT_MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}
MAX_QUERY_CHARS = 500
MAX_MATRIX_CODES = 200
MAX_ID = 2**63 - 1  # the largest id either database stores
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$"  # what a billing code can look like, in any system
CODE_LIST_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}(,[A-Za-z0-9][A-Za-z0-9.\-]{0,19})*$"
SINCE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_LIST_SEPARATORS = re.compile(r"[\s,;]+")

router = APIRouter(prefix="/api/v1", responses=error_responses(422))
bearer = HTTPBearer(auto_error=False, description="The token the server was started with (--token).")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
CodePath = Annotated[
    str, Path(pattern=CODE_PATTERN, description="A billing code: 86357, J3590, C34.90, 0537T.")
]
PolicyIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The policy's id in the store.")]
VersionQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="A version number; default the current one.")
]


def require_token(
    settings: Annotated[WebSettings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    check_token(settings, None if credentials is None else credentials.credentials)


def split_list(values: list[str]) -> list[str]:
    """Values given repeated or comma/space separated, blanks dropped, order kept."""
    return [item for value in values for item in _LIST_SEPARATORS.split(value) if item]


def query_body(result: CodeLookup | Matrix | SearchResult) -> bytes:
    """A query result as JSON. The query layer's own types already hold the declared shape, so the
    response skips FastAPI's second validation of it (the most costly part of a fast lookup)."""
    return json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()


def query_json(result: CodeLookup | Matrix | SearchResult) -> Response:
    return Response(query_body(result), media_type="application/json")


# --- codes, matrix, search ---------------------------------------------------------------------------


@router.get("/codes/{code}", response_model=CodeLookup, tags=["codes"], summary="Look up a billing code")
async def get_code(code: CodePath, store: StoreDep, request: Request) -> Response:
    """The code's system, its descriptions as documents give them, and every current policy naming it
    (directly or through a range it lists), with the policy's status and the statement behind it."""
    # Runs on the event loop: a kept answer or an indexed lookup takes less than handing it to a thread.
    cache: AnswerCache = request.app.state.answers
    body = cache.get(store.revision(), ("code", code.upper()), lambda: query_body(store.code(code)))
    return Response(body, media_type="application/json")


@router.get(
    "/matrix",
    response_model=Matrix,
    tags=["codes"],
    summary="Coverage matrix: codes × payers",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def get_matrix(
    store: StoreDep,
    codes: Annotated[
        list[Annotated[str, StringConstraints(pattern=CODE_LIST_PATTERN)]],
        Query(description="Codes, repeated or comma separated.", min_length=1),
    ],
    payers: Annotated[
        list[str] | None,
        Query(description="Payers (any spelling), repeated or comma separated. Default: all."),
    ] = None,
    format: Annotated[Literal["json", "csv"], Query(description="json, or csv: one row per code.")] = "json",
) -> Any:
    """Each cell is the payer's current status for the code, or why there is none
    (`no policy found`, `data not available`, `not stated`, `mixed`)."""
    code_list = split_list(codes)
    if len(code_list) > MAX_MATRIX_CODES:
        raise ApiError(422, f"matrix: at most {MAX_MATRIX_CODES} codes at a time, not {len(code_list)}")
    payer_list = (
        None if not payers else [p.strip() for value in payers for p in value.split(",") if p.strip()]
    )
    matrix = store.matrix(code_list, payer_list or None)
    if format == "csv":
        return PlainTextResponse(
            matrix.to_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="medpolicy-matrix.csv"'},
        )
    return query_json(matrix)


@router.get("/search", response_model=SearchResult, tags=["search"], summary="Full-text search")
def get_search(
    store: StoreDep,
    q: Annotated[
        str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Words, phrases or a code.")
    ],
    payer: str | None = None,
    doc_type: DocType | None = None,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> Response:
    """Ranked matches among current policies with highlighted snippets; a code is looked up instead
    (then `code` holds the lookup and `hits` is empty)."""
    return query_json(store.search(q, payer=payer, doc_type=doc_type, status=status, limit=limit))


@router.get(
    "/suggest", response_model=list[Suggestion], tags=["search"], summary="Suggestions for a search box"
)
def get_suggest(
    store: StoreDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)],
    limit: Annotated[int, Query(ge=1, le=20)] = 6,
) -> list[Suggestion]:
    """Codes starting with `q`, then policies whose title or number contains it."""
    with read_transaction(store.engine) as conn:
        return suggestions(conn, q, limit)


# --- policies ----------------------------------------------------------------------------------------


class PolicyView(BaseModel):
    """A policy with its facts and versions, and what changed between consecutive versions."""

    policy: PolicyDetail
    changes: list[PolicyChange] = Field(
        description="One entry per pair of consecutive versions, newest first."
    )


class TextSegment(BaseModel):
    """A stretch of the text and where it came from."""

    start: int
    end: int
    page: int | None = Field(description="The PDF page (1-based), or null for formats without pages.")
    element: str | None = Field(description="The markup element it was read from, if any.")


class PolicyText(BaseModel):
    """The normalised text of one version: every span of the policy's facts points into it."""

    policy_id: int
    version_no: int
    text: str
    segments: list[TextSegment]


def policy_changes(store: Store, policy: PolicyDetail) -> list[PolicyChange]:
    """The changes between the policy's versions (only its payer's are compared, when it has one)."""
    if len(policy.versions) < 2:
        return []
    found = store.changes(payer=policy.payer) if policy.payer else store.changes()
    return [change for change in found if change.policy_id == policy.policy_id]


@router.get(
    "/policies", response_model=list[PolicySummary], tags=["policies"], summary="List stored policies"
)
def get_policies(
    store: StoreDep, payer: str | None = None, doc_type: DocType | None = None
) -> list[PolicySummary]:
    return store.policies(payer=payer, doc_type=doc_type)


@router.get(
    "/policies/{policy_id}",
    response_model=PolicyView,
    tags=["policies"],
    summary="One policy with its versions and their differences",
    responses=error_responses(404),
)
def get_policy(policy_id: PolicyIdPath, store: StoreDep, version: VersionQuery = None) -> PolicyView:
    detail = store.policy(policy_id, version=version)
    return PolicyView(policy=detail, changes=policy_changes(store, detail))


@router.get(
    "/policies/{policy_id}/text",
    response_model=PolicyText,
    tags=["policies"],
    summary="The text of a policy version",
    responses={
        **error_responses(404),
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
    },
)
def get_policy_text(
    policy_id: PolicyIdPath,
    store: StoreDep,
    version: VersionQuery = None,
    format: Annotated[
        Literal["json", "text"], Query(description="json (with the page map) or text.")
    ] = "json",
) -> Any:
    detail = store.policy(policy_id, version=version, text=True)
    text = detail.version.text or ""
    if format == "text":
        return PlainTextResponse(text)
    return PolicyText(
        policy_id=detail.policy_id,
        version_no=detail.version.summary.version_no,
        text=text,
        segments=[
            TextSegment(start=start, end=end, page=page, element=element)
            for start, end, page, element in detail.version.pages or []
        ],
    )


@router.get("/changes", response_model=list[PolicyChange], tags=["policies"], summary="What changed")
def get_changes(
    store: StoreDep,
    since: Annotated[
        str | None, Query(pattern=SINCE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    payer: str | None = None,
) -> list[PolicyChange]:
    """Codes added or removed, statuses and positions changed, dates and titles, between consecutive
    versions of each policy; newest first."""
    return store.changes(since=since, payer=payer)


@router.get("/payers", response_model=list[PayerCount], tags=["store"], summary="Payers in the store")
def get_payers(store: StoreDep) -> list[PayerCount]:
    return store.payers()


@router.get("/stats", response_model=Stats, tags=["store"], summary="What the store holds")
def get_stats(store: StoreDep) -> Stats:
    return store.stats()


@router.post(
    "/documents",
    response_model=IngestResult,
    status_code=201,
    tags=["store"],
    summary="Upload a document to ingest",
    dependencies=[Depends(require_token)],
    responses=error_responses(401, 403, 413, 415),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
async def post_document(
    request: Request, store: StoreDep, settings: Annotated[WebSettings, Depends(get_settings)]
) -> IngestResult:
    """Read, extract and store one PDF, HTML, DOCX or text document (sent as form field `file`).

    The type is sniffed from the content, whatever the file is called. New content of a
    known policy becomes a new version; content already stored is reported `unchanged`.
    """
    name, data = await receive_document(request, settings.max_upload_bytes)
    return await run_in_threadpool(store_upload, store, name, data)


# --- reports, questions, claim checks (when installed) ------------------------------------------------


@router.get(
    "/reports/{code}",
    tags=["reports"],
    summary="A coverage report for one code",
    response_class=Response,
    responses={
        200: {
            "description": "The report in the format asked for.",
            "content": {
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "object"}},
            },
        },
        **error_responses(501),
    },
)
def get_report(
    code: CodePath,
    store: StoreDep,
    format: ReportFormat = "html",
    payer: str | None = None,
) -> Response:
    """Every payer's position on the code with the statements behind it, as Markdown, HTML, PDF or JSON."""
    code_report = features.require(features.REPORT)
    render = features.require(features.REPORT, "render")
    report = code_report(store, code, payer=payer)
    body: bytes = render(report, format)
    filename = "medpolicy-report-" + re.sub(r"[^A-Za-z0-9.-]", "_", code.strip())[:40] + "." + format
    return Response(
        body,
        media_type=REPORT_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/ask",
    tags=["questions"],
    summary="Ask a question in words",
    response_model=dict[str, Any],
    responses=error_responses(501),
)
def get_ask(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="The question.")],
) -> dict[str, Any]:
    """An answer drawn from the stored policies, with the evidence it rests on."""
    ask = features.require(features.ASK)
    answer: dict[str, Any] = ask(store, q).to_dict()
    return answer


class ClaimLineIn(BaseModel):
    """One claim line to check against the payer's policies."""

    payer: str = Field(min_length=1, description="The payer billed (any spelling of its name).")
    code: str = Field(min_length=1, description="The procedure or service code billed.")
    dx: list[str] = Field(default_factory=list, description="Diagnosis codes on the line (ICD-10-CM).")
    modifiers: list[str] = Field(default_factory=list)
    date: str | None = Field(default=None, description="Date of service, YYYY-MM-DD.")
    units: int = Field(default=1, ge=1)
    claim_id: str | None = None
    line_no: int | None = None


class ClaimCheckRequest(BaseModel):
    lines: list[ClaimLineIn] = Field(min_length=1, max_length=1000)


@router.post(
    "/check",
    tags=["claims"],
    summary="Check claim lines against the payers' policies",
    response_model=list[dict[str, Any]],
    responses=error_responses(501),
)
def post_check(request_body: ClaimCheckRequest, store: StoreDep) -> list[dict[str, Any]]:
    """One determination per line: what the payer's policies say about the code with these diagnoses."""
    check_claims = features.require(features.CHECK)
    claim_line = features.require(features.CHECK, "ClaimLine")
    lines = [claim_line(**line.model_dump()) for line in request_body.lines]
    return [determination.to_dict() for determination in check_claims(store, lines)]
