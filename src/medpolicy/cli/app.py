"""The Typer application and what every command shares: the store option, output formats, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from medpolicy.errors import MedpolicyError

if TYPE_CHECKING:
    from medpolicy.store.ingest import IngestItem

app = typer.Typer(
    name="medpolicy",
    help="Read health-plan medical policies and answer, for any billing code, what each payer says about it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)

DEFAULT_DB = "medpolicy.db"


def db_url(db: str | None) -> str:
    """The store to open: --db, else $MEDPOLICY_DB, else medpolicy.db in the working directory."""
    return db or os.environ.get("MEDPOLICY_DB") or DEFAULT_DB


DbOption = typer.Option(
    None, "--db", help="Store: a SQLite path or a SQLAlchemy URL (default $MEDPOLICY_DB or medpolicy.db)."
)


class RowFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


T = TypeVar("T")


@contextmanager
def user_errors(exit_code: int = 1) -> Iterator[None]:
    """Turn MedpolicyError into one line on stderr and an exit code, never a traceback."""
    try:
        yield
    except MedpolicyError as exc:
        print_error(str(exc))
        raise typer.Exit(exit_code) from None


def print_error(message: str) -> None:
    """One unwrapped line on stderr, whatever the terminal width (scripts grep these)."""
    sys.stderr.write(f"error: {' '.join(message.split())}\n")
    sys.stderr.flush()


def guarded(fn: Callable[[], T], exit_code: int = 1) -> T:
    with user_errors(exit_code):
        return fn()
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def document_progress(verb: str) -> Iterator[Callable[[IngestItem, int, int], None]]:
    """A progress bar on stderr (shown only on a terminal), fed by ingest-style callbacks."""
    progress = Progress(
        TextColumn(f"[bold]{verb}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=None)

        def advance(item: IngestItem, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=Path(item.path).name)

        yield advance


def emit_rows(
    rows: Sequence[dict[str, Any]], fmt: RowFormat, columns: Sequence[str], title: str | None = None
) -> None:
    """Print rows as a Rich table, JSON Lines or CSV (same columns in every format)."""
    if fmt is RowFormat.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if fmt is RowFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(escape(_cell(row.get(c))) for c in columns))  # document text is never markup
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)
