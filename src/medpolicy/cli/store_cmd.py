"""Store commands: ingest, code, matrix, search, policy, policies, changes, payers, stats.

Each opens the store given by --db (a SQLite path or SQLAlchemy URL). Commands that
return rows print them as a table, JSON Lines or CSV (--format); JSON carries every
field of the Python API's result objects, tables and CSV the columns people read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

import medpolicy
from medpolicy.api import Store
from medpolicy.cli.app import (
    DbOption,
    RowFormat,
    app,
    console,
    db_url,
    document_progress,
    emit_rows,
    err_console,
    user_errors,
)
from medpolicy.errors import MedpolicyError
from medpolicy.query.results import CodeLookup, PolicyChange, PolicyDetail, VersionRef
from medpolicy.store.ingest import IngestSummary

FormatOption = typer.Option(RowFormat.table, "--format", "-f", help="table, json (JSON Lines) or csv.")
PayerOption = typer.Option(None, "--payer", "-p", help="Only this payer (any spelling of its name).")


@contextmanager
def _open_store(db: str | None) -> Iterator[Store]:
    with user_errors(), medpolicy.open(db_url(db)) as store:
        yield store


def _json_lines(items: Sequence[dict[str, Any]]) -> None:
    for item in items:
        sys.stdout.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")


def _span(span: tuple[int, int] | None) -> str:
    return "" if span is None else f"{span[0]}-{span[1]}"


def _plain(*values: str | None) -> list[Text]:
    """Table cells shown as written (document text may hold [brackets] Rich would read as markup)."""
    return [Text(value or "") for value in values]


def _short(text: str | None, limit: int = 160) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- ingest -------------------------------------------------------------------------------------------

_ITEM_COLUMNS = ("path", "outcome", "reason", "policy_id", "version_no")


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (walked recursively: pdf, html, docx, txt, md).")
    ],
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes reading and extracting.")
    ] = 1,
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """Read, extract and store documents; new content of a known policy becomes a new version.

    Exit status 0 when at least one document was read (failures are listed), 2 when none could be.
    """
    with _open_store(db) as store:
        try:
            summary = _ingest_with_progress(store, paths, jobs)
        except KeyboardInterrupt:
            err_console.print(
                "interrupted: documents stored so far are kept; run the same command again to finish",
                soft_wrap=True,
            )
            raise typer.Exit(130) from None
    if fmt is RowFormat.table:
        _print_ingest_summary(summary)
    elif fmt is RowFormat.json:
        _json_lines([item.to_dict() for item in summary.items])
    else:
        emit_rows([item.to_dict() for item in summary.items], fmt, _ITEM_COLUMNS)
    if not summary.items or len(summary.failed) == len(summary.items):
        err_console.print(
            "error: no document could be read" if summary.items else "error: no documents found",
            soft_wrap=True,
        )
        raise typer.Exit(2)


def _ingest_with_progress(store: Store, paths: list[Path], jobs: int) -> IngestSummary:
    with document_progress("ingesting") as advance:
        return store.ingest(paths, jobs=jobs, progress=advance)


def _print_ingest_summary(summary: IngestSummary) -> None:
    counts = Table(title="Ingest summary")
    for outcome in ("new", "updated", "unchanged", "failed"):
        counts.add_column(outcome, justify="right")
    counts.add_row(*(str(n) for n in summary.counts().values()))
    console.print(counts)
    if summary.failed:
        failures = Table("file", "reason", title="Failed", show_lines=False)
        for item in summary.failed:
            failures.add_row(*_plain(item.path, item.reason or ""))
        console.print(failures)


# --- code ---------------------------------------------------------------------------------------------

_CODE_COLUMNS = (
    "payer",
    "policy_number",
    "title",
    "doc_type",
    "status",
    "effective",
    "matched",
    "role",
    "range",
    "statement",
    "statement_span",
    "policy_id",
)
_CODE_TABLE_COLUMNS = (
    "payer",
    "policy_number",
    "title",
    "status",
    "effective",
    "matched",
    "statement",
    "policy_id",
)


def _code_rows(lookup: CodeLookup) -> list[dict[str, Any]]:
    return [
        {
            **found.to_dict(),
            "code": lookup.code,
            "statement": _short(found.statement),
            "statement_span": _span(found.statement_span),
        }
        for found in lookup.policies
    ]


def _print_code(lookup: CodeLookup, fmt: RowFormat) -> None:
    if fmt is RowFormat.json:
        _json_lines([lookup.to_dict()])
        return
    if fmt is RowFormat.csv:
        emit_rows(_code_rows(lookup), fmt, ("code", "system", *_CODE_COLUMNS))
        return
    console.print(Text.assemble((lookup.code, "bold"), f"  {lookup.system or 'system unknown'}"))
    for described in lookup.descriptions:
        console.print(
            f"  “{described.description}” — {described.payer or 'payer not stated'} "
            f"{described.policy_number or ''} (policy {described.policy_id})",
            highlight=False,
            markup=False,
        )
    if not lookup.policies:
        console.print("no policy found in this store names this code")
        return
    rows = [{**row, "statement": _short(row["statement"], 100)} for row in _code_rows(lookup)]
    emit_rows(rows, fmt, _CODE_TABLE_COLUMNS, title=f"Policies naming {lookup.code}")


@app.command("code")
def code_command(
    code: Annotated[str, typer.Argument(help="A billing code: 86357, 0537T, J3590, C34.90 ...")],
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """What every current policy says about CODE: status, statement, dates, and its descriptions."""
    with _open_store(db) as store:
        lookup = store.code(code)
    _print_code(lookup, fmt)


# --- matrix -------------------------------------------------------------------------------------------

_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def read_codes_file(path: Path) -> list[str]:
    """Codes from a file: separated by newlines, commas or spaces; '#' starts a comment."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MedpolicyError(f"{path}: cannot read codes file ({exc})") from None
    codes: list[str] = []
    for line in content.splitlines():
        codes.extend(c for c in _CODE_SEPARATORS.split(line.split("#", 1)[0]) if c)
    return codes


@app.command("matrix")
def matrix_command(
    codes: Annotated[list[str] | None, typer.Argument(help="Billing codes (rows).")] = None,
    codes_file: Annotated[
        Path | None, typer.Option("--codes-file", help="A file of codes, one per line.")
    ] = None,
    payers: Annotated[
        list[str] | None, typer.Option("--payer", "-p", help="Payer column (repeatable); default all payers.")
    ] = None,
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """Codes × payers: each payer's current status for each code, or "no policy found"."""
    with user_errors():
        wanted = list(codes or []) + (read_codes_file(codes_file) if codes_file else [])
    with _open_store(db) as store, user_errors():
        matrix = store.matrix(wanted, payers or None)
    if fmt is RowFormat.csv:
        sys.stdout.write(matrix.to_csv())
        return
    rows = [
        {"code": code, **{cell.payer: cell.status for cell in row}}
        for code, row in zip(matrix.codes, matrix.rows, strict=True)
    ]
    emit_rows(rows, fmt, ("code", *matrix.payers), title="Coverage matrix")


# --- search -------------------------------------------------------------------------------------------

_HIT_COLUMNS = ("score", "payer", "policy_number", "title", "doc_type", "effective", "snippet", "policy_id")
_HIT_TABLE_COLUMNS = ("payer", "policy_number", "title", "effective", "snippet", "policy_id")


@app.command("search")
def search_command(
    query: Annotated[
        str, typer.Argument(help='Words, "phrases", prefix*, OR, -excluded; a code is looked up.')
    ],
    payer: str | None = PayerOption,
    doc_type: Annotated[
        str | None, typer.Option("--doc-type", help="medical_policy, lcd, billing_article, ...")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only policies stating this status.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most results to show.")] = 20,
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """Full-text search of current policies, best matches first, with the matching passage."""
    with _open_store(db) as store:
        result = store.search(query, payer=payer, doc_type=doc_type, status=status, limit=limit)
    if result.code is not None:
        if fmt is RowFormat.table:
            err_console.print(f"{query!r} is a billing code: showing its code lookup", soft_wrap=True)
        _print_code(result.code, fmt)
        return
    if fmt is RowFormat.json:
        _json_lines([hit.to_dict() for hit in result.hits])
        return
    rows = [{**hit.to_dict(), "score": f"{hit.score:.3g}"} for hit in result.hits]
    if fmt is RowFormat.table and not rows:
        console.print(f"no current policy matches {query!r}", markup=False)
        return
    emit_rows(
        rows, fmt, _HIT_TABLE_COLUMNS if fmt is RowFormat.table else _HIT_COLUMNS, title=f"Search: {query}"
    )


# --- policy / policies --------------------------------------------------------------------------------


@app.command("policy")
def policy_command(
    policy: Annotated[str, typer.Argument(help="Policy id (#12) or policy number (8.01.01).")],
    payer: Annotated[
        str | None, typer.Option("--payer", "-p", help="The payer, when several use the number.")
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="A version number (default the current one).")
    ] = None,
    text: Annotated[
        bool, typer.Option("--text", help="Include the stored text that spans point into.")
    ] = False,
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """One policy: its current version's dates, coverage positions, codes and ranges, and its versions."""
    with _open_store(db) as store:
        detail = store.policy(policy, payer=payer, version=version, text=text)
    if fmt is RowFormat.json:
        _json_lines([detail.to_dict()])
    elif fmt is RowFormat.csv:
        emit_rows(
            [
                {
                    "system": c.system,
                    "code": c.code,
                    "role": c.role,
                    "status": c.status,
                    "description": c.description,
                    "spans": "; ".join(_span(s) for s in c.spans),
                }
                for c in detail.version.codes
            ],
            fmt,
            ("system", "code", "role", "status", "description", "spans"),
        )
    else:
        _print_policy(detail)


def _print_policy(detail: PolicyDetail) -> None:
    version = detail.version
    head = Table.grid(padding=(0, 2))
    for label, value in (
        ("policy", f"{detail.policy_number or '—'}  (id {detail.policy_id})"),
        ("payer", detail.payer),
        ("title", detail.title),
        ("doc type", detail.doc_type),
        (
            "version",
            f"{version.summary.version_no} of {len(detail.versions)}"
            + (" (current)" if version.summary.is_current else ""),
        ),
        *((name.replace("_", " "), value) for name, value in version.dates.items()),
        ("source", version.summary.source_path),
        ("sha256", version.summary.sha256),
    ):
        head.add_row(Text(label, "dim"), Text(str(value) if value else "—"))
    console.print(head)
    if version.coverage:
        positions = Table(
            "status", "applies to", "statement", "span", title="Coverage positions", show_lines=True
        )
        for p in version.coverage:
            positions.add_row(
                *_plain(
                    p.status, p.applies_to, _short(p.statement, 300), _span(p.spans[0] if p.spans else None)
                )
            )
        console.print(positions)
    if version.codes:
        codes = Table("system", "code", "role", "status", "description", title="Codes")
        for c in version.codes:
            codes.add_row(*_plain(c.system, c.code, c.role, c.status, _short(c.description, 80)))
        console.print(codes)
    if version.code_ranges:
        console.print(
            "ranges: " + ", ".join(f"{r.system} {r.start}–{r.end}" for r in version.code_ranges), markup=False
        )
    versions = Table("version", "effective", "sha256", "ingested", "source", title="Versions")
    for v in detail.versions:
        versions.add_row(
            *_plain(
                f"{v.version_no}{' *' if v.is_current else ''}",
                v.effective,
                v.sha256[:12],
                v.ingested_at[:19],
                v.source_path,
            )
        )
    console.print(versions)
    if version.text is not None:
        console.rule("text")
        sys.stdout.write(version.text if version.text.endswith("\n") else version.text + "\n")


_POLICY_COLUMNS = (
    "policy_id",
    "payer",
    "policy_number",
    "title",
    "doc_type",
    "effective",
    "version_no",
    "versions",
    "codes",
)


@app.command("policies")
def policies_command(
    payer: str | None = PayerOption,
    doc_type: Annotated[
        str | None, typer.Option("--doc-type", help="medical_policy, lcd, billing_article, ...")
    ] = None,
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """Every stored policy with its current version's effective date and counts."""
    with _open_store(db) as store:
        found = store.policies(payer=payer, doc_type=doc_type)
    if fmt is RowFormat.json:
        _json_lines([p.to_dict() for p in found])
    else:
        emit_rows([p.to_dict() for p in found], fmt, _POLICY_COLUMNS, title="Policies")


# --- changes ------------------------------------------------------------------------------------------

_CHANGE_COLUMNS = (
    "policy_id",
    "payer",
    "policy_number",
    "title",
    "from_version",
    "to_version",
    "change",
    "subject",
    "before",
    "after",
)


def _version_label(version: VersionRef) -> str:
    return " ".join(
        str(part) for part in (f"v{version.version_no}", version.effective, version.sha256) if part
    )


def change_rows(change: PolicyChange) -> list[dict[str, Any]]:
    """One flat row per difference between the two versions."""
    base = {
        "policy_id": change.policy_id,
        "payer": change.payer,
        "policy_number": change.policy_number,
        "title": change.title,
        "from_version": _version_label(change.before),
        "to_version": _version_label(change.after),
    }
    rows = [
        {**base, "change": "code added", "subject": f"{c.system} {c.code}", "before": None, "after": c.status}
        for c in change.codes_added
    ]
    rows += [
        {
            **base,
            "change": "code removed",
            "subject": f"{c.system} {c.code}",
            "before": c.status,
            "after": None,
        }
        for c in change.codes_removed
    ]
    rows += [
        {**base, "change": "code status", "subject": s.subject, "before": s.before, "after": s.after}
        for s in change.code_status_changes
    ]
    rows += [
        {
            **base,
            "change": "position added",
            "subject": _short(p.applies_to or p.statement, 100),
            "before": None,
            "after": p.status,
        }
        for p in change.positions_added
    ]
    rows += [
        {
            **base,
            "change": "position removed",
            "subject": _short(p.applies_to or p.statement, 100),
            "before": p.status,
            "after": None,
        }
        for p in change.positions_removed
    ]
    rows += [
        {
            **base,
            "change": "position status",
            "subject": _short(s.subject, 100),
            "before": s.before,
            "after": s.after,
        }
        for s in change.position_status_changes
    ]
    rows += [
        {**base, "change": "date", "subject": d.field, "before": d.before, "after": d.after}
        for d in change.date_changes
    ]
    if change.title_change is not None:
        rows.append(
            {
                **base,
                "change": "title",
                "subject": "title",
                "before": change.title_change.before,
                "after": change.title_change.after,
            }
        )
    if not rows:
        rows.append({**base, "change": "wording only", "subject": None, "before": None, "after": None})
    return rows


@app.command("changes")
def changes_command(
    since: Annotated[
        str | None, typer.Option("--since", help="Only changes effective on or after YYYY-MM-DD.")
    ] = None,
    payer: str | None = PayerOption,
    db: str | None = DbOption,
    fmt: RowFormat = FormatOption,
) -> None:
    """What changed between consecutive versions of each policy: codes, statuses, positions, dates, title."""
    with _open_store(db) as store:
        changes = store.changes(since=since, payer=payer)
    if fmt is RowFormat.json:
        _json_lines([change.to_dict() for change in changes])
        return
    rows = [row for change in changes for row in change_rows(change)]
    if fmt is RowFormat.table and not rows:
        console.print("no policy in this store has changed" + (f" since {since}" if since else ""))
        return
    emit_rows(rows, fmt, _CHANGE_COLUMNS, title="Changes")


# --- payers / stats -----------------------------------------------------------------------------------


@app.command("payers")
def payers_command(db: str | None = DbOption, fmt: RowFormat = FormatOption) -> None:
    """Payers in the store (canonical names) with their policies, versions and codes."""
    with _open_store(db) as store:
        rows = [p.to_dict() for p in store.payers()]
    if fmt is RowFormat.json:
        _json_lines(rows)
    else:
        emit_rows(rows, fmt, ("payer", "policies", "versions", "codes"), title="Payers")


@app.command("stats")
def stats_command(db: str | None = DbOption, fmt: RowFormat = FormatOption) -> None:
    """Counts of policies, versions, codes and payers, and policies by document type."""
    with _open_store(db) as store:
        stats = store.stats()
    if fmt is RowFormat.json:
        _json_lines([stats.to_dict()])
        return
    rows: list[dict[str, Any]] = [
        {"measure": name, "value": value} for name, value in stats.to_dict().items() if name != "by_doc_type"
    ]
    rows += [{"measure": f"doc_type {name}", "value": count} for name, count in stats.by_doc_type.items()]
    emit_rows(rows, fmt, ("measure", "value"), title="Store")
