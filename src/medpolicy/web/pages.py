"""The pages: server-rendered HTML over the same Store the API uses, enhanced by a little JavaScript.

Everything taken from documents reaches the page through Jinja's autoescaping or
`medpolicy.web.highlight`, which escapes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from medpolicy.api import Store
from medpolicy.codes import CodeError, CodeInfo, Description, describe_offline, lookup_descriptions
from medpolicy.labels import DOC_TYPE_LABELS, STATUS_LABELS, doc_type_label, status_label
from medpolicy.query.matrix import cell_status
from medpolicy.query.results import NO_DATA, NO_POLICY, CodeLookup, CodePolicy, MatrixCell, PolicyChange
from medpolicy.web import features
from medpolicy.web.api_v1 import (
    MAX_MATRIX_CODES,
    PolicyIdPath,
    VersionQuery,
    get_store,
    policy_changes,
    split_list,
)
from medpolicy.web.errors import ApiError
from medpolicy.web.highlight import Mark
from medpolicy.web.presentation import (
    human_date,
    marked_document,
    outcome_label,
    outcome_tone,
    status_tone,
)

TEMPLATES_DIR = Path(__file__).parent / "templates"
EXAMPLE_CODES = "86357\n0537T\nJ3590"
RECENT_CHANGES = 5
_SPAN_PARAM = re.compile(r"^(\d{1,9})-(\d{1,9})$")

templates = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals.update(
    status_label=status_label,
    status_tone=status_tone,
    doc_type_label=doc_type_label,
    human_date=human_date,
    outcome_label=outcome_label,
    outcome_tone=outcome_tone,
    STATUS_LABELS=STATUS_LABELS,
    DOC_TYPE_LABELS=DOC_TYPE_LABELS,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
StoreDep = Annotated[Store, Depends(get_store)]


def render(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    page = templates.get_template(template).render(
        path=request.url.path,
        features={
            "reports": features.available(features.REPORT),
            "ask": features.available(features.ASK),
            "check": features.available(features.CHECK),
        },
        **context,
    )
    return HTMLResponse(page, status_code=http_status)


def error_page(request: Request, status_code: int, message: str, detail: Any = None) -> HTMLResponse:
    details = detail if isinstance(detail, list) else [] if detail is None else [detail]
    return render(
        request, "error.html", status_code, status_code=status_code, message=message, details=details
    )


# --- home, search ------------------------------------------------------------------------------------


@router.get("/")
def home(request: Request, store: StoreDep) -> Response:
    return render(
        request,
        "home.html",
        stats=store.stats(),
        payers=store.payers(),
        changes=store.changes()[:RECENT_CHANGES],
    )


@router.get("/search")
def search(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500)] = "",
    payer: str = "",
    doc_type: str = "",
    status: str = "",
) -> Response:
    query = q.strip()
    if not query:
        return RedirectResponse("/", status_code=303)
    filters = {"payer": payer or None, "doc_type": doc_type or None, "status": status or None}
    result = store.search(query, limit=50, **filters)
    if result.code is not None and not any(filters.values()):
        return RedirectResponse(f"/codes/{_path_part(result.code.code)}", status_code=303)
    return render(
        request,
        "search.html",
        q=query,
        result=result,
        payer=payer,
        doc_type=doc_type,
        status=status,
        payers=[p.payer for p in store.payers()],
    )


# --- code page ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class PayerGroup:
    """One payer's policies on the code, with the payer's overall status (as the matrix gives it)."""

    payer: str | None
    status: str
    policies: list[CodePolicy]


@router.get("/codes/{code}")
def code_page(request: Request, code: str, store: StoreDep) -> Response:
    lookup = store.code(code)
    info = _code_info(lookup)
    return render(
        request,
        "code.html",
        lookup=lookup,
        groups=_payer_groups(store, lookup),
        reference=_reference(store, lookup, info),
        info=info,
    )


def _payer_groups(store: Store, lookup: CodeLookup) -> list[PayerGroup]:
    cells: list[MatrixCell] = []
    if store.payers():
        cells = store.matrix([lookup.code]).rows[0]
    groups = [PayerGroup(cell.payer, cell.status, list(cell.policies)) for cell in cells]
    unnamed = [p for p in lookup.policies if p.payer is None]
    if unnamed:
        groups.append(PayerGroup(None, cell_status(unnamed, payer_in_store=True), unnamed))
    answered = [g for g in groups if g.status not in (NO_POLICY, NO_DATA)]
    return answered + [g for g in groups if g.status in (NO_POLICY, NO_DATA)]


def _code_info(lookup: CodeLookup) -> CodeInfo | None:
    """What the shipped code sets say about the code (None for a code no system recognises)."""
    try:
        return describe_offline(lookup.code, lookup.system)
    except (CodeError, ValueError):
        return None


def _reference(store: Store, lookup: CodeLookup, info: CodeInfo | None) -> list[Description]:
    """Descriptions from shipped code sets and from catalogs the user imported."""
    shipped = list(info.descriptions) if info is not None else []
    imported = lookup_descriptions(store.engine, lookup.system, lookup.code) if lookup.system else []
    return shipped + imported


# --- policy page -------------------------------------------------------------------------------------


@router.get("/policies/{policy_id}")
def policy_page(
    request: Request,
    policy_id: PolicyIdPath,
    store: StoreDep,
    version: VersionQuery = None,
    span: Annotated[str | None, Query(max_length=24)] = None,
) -> Response:
    detail = store.policy(policy_id, version=version, text=True)
    text = detail.version.text or ""
    quoted = _quoted(span, len(text))
    document = marked_document(detail.version, text, quoted)
    return render(
        request,
        "policy.html",
        policy=detail,
        version=detail.version,
        facts=document.facts,
        marked_text=document.html,
        quoted=quoted is not None,
        changes=policy_changes(store, detail),
    )


def _quoted(span: str | None, length: int) -> Mark | None:
    """The statement a link pointed at (`?span=start-end`), to mark and scroll to."""
    found = _SPAN_PARAM.match(span or "")
    if not found:
        return None
    start, end = int(found.group(1)), int(found.group(2))
    if not 0 <= start < end <= length:
        return None
    return Mark(start, end, "quoted", "quoted", "quoted")


# --- matrix, changes ---------------------------------------------------------------------------------


@router.get("/matrix")
def matrix_page(
    request: Request,
    store: StoreDep,
    codes: Annotated[str, Query(max_length=5000)] = "",
    payers: Annotated[list[str] | None, Query()] = None,
) -> Response:
    code_list = split_list([codes])
    chosen = [p for p in payers or [] if p]
    if len(code_list) > MAX_MATRIX_CODES:
        raise ApiError(422, f"at most {MAX_MATRIX_CODES} codes at a time, not {len(code_list)}")
    matrix = store.matrix(code_list, chosen or None) if code_list else None
    query = [("codes", ",".join(code_list)), *(("payers", p) for p in chosen), ("format", "csv")]
    return render(
        request,
        "matrix.html",
        codes_text="\n".join(code_list) if code_list else EXAMPLE_CODES,
        all_payers=[p.payer for p in store.payers()],
        chosen=chosen,
        matrix=matrix,
        csv_url="/api/v1/matrix?" + urlencode(query),
    )


@router.get("/changes")
def changes_page(
    request: Request,
    store: StoreDep,
    since: Annotated[str, Query(max_length=10)] = "",
    payer: str = "",
) -> Response:
    found: list[PolicyChange] = store.changes(since=since or None, payer=payer or None)
    return render(
        request,
        "changes.html",
        changes=found,
        since=since,
        payer=payer,
        payers=[p.payer for p in store.payers()],
    )


# --- questions, claim checks (when installed) --------------------------------------------------------


@router.get("/ask")
def ask_page(request: Request, store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> Response:
    ask = features.require(features.ASK)
    answer = ask(store, q.strip()) if q.strip() else None
    return render(
        request,
        "ask.html",
        q=q,
        answer=None if answer is None else answer.to_dict(),
        answer_text=None if answer is None else answer.to_text(),
    )


@router.get("/check")
def check_form(request: Request, store: StoreDep) -> Response:
    features.require(features.CHECK)
    return render(
        request, "check.html", form={}, determination=None, payers=[p.payer for p in store.payers()]
    )


@router.post("/check")
def check_submit(
    request: Request,
    store: StoreDep,
    payer: Annotated[str, Form(min_length=1, max_length=200)],
    code: Annotated[str, Form(min_length=1, max_length=40)],
    dx: Annotated[str, Form(max_length=2000)] = "",
    modifiers: Annotated[str, Form(max_length=200)] = "",
    date: Annotated[str, Form(max_length=10)] = "",
    units: Annotated[int, Form(ge=1, le=100000)] = 1,
) -> Response:
    check_line = features.require(features.CHECK, "check_line")
    claim_line = features.require(features.CHECK, "ClaimLine")
    line = claim_line(
        payer=payer.strip(),
        code=code.strip(),
        dx=split_list([dx]),
        modifiers=split_list([modifiers]),
        date=date.strip() or None,
        units=units,
    )
    determination = check_line(store, line)
    return render(
        request,
        "check.html",
        form={"payer": payer, "code": code, "dx": dx, "modifiers": modifiers, "date": date, "units": units},
        determination=determination.to_dict(),
        payers=[p.payer for p in store.payers()],
    )


def _path_part(value: str) -> str:
    return quote(value, safe="")
