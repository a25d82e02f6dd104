"""`medpolicy extract FILE...`: the contract JSON, a table for people, or the text spans point into."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from medpolicy.cli.app import app, console, print_error
from medpolicy.errors import UnreadableDocument
from medpolicy.extract import extract
from medpolicy.model import Extraction
from medpolicy.read import read_path


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


@app.command("extract")
def extract_command(
    files: list[Path] = typer.Argument(..., help="PDF, HTML, DOCX or text files."),
    fmt: ExtractFormat = typer.Option(
        ExtractFormat.json, "--format", "-f", help="json (JSON Lines) or table."
    ),
    text: bool = typer.Option(False, "--text", help="Print the extracted text the spans point into."),
) -> None:
    """Extract payer, dates, codes, coverage positions and more from each file (one JSON object per line)."""
    failed = 0
    for path in files:
        try:
            result = read_path(path)
        except UnreadableDocument as exc:
            print_error(str(exc))
            failed += 1
            continue
        if text:
            sys.stdout.write(result.text.text)
            if not result.text.text.endswith("\n"):
                sys.stdout.write("\n")
            continue
        extraction = extract(result.text)
        extraction.warnings[:0] = result.warnings
        if fmt is ExtractFormat.json:
            sys.stdout.write(json.dumps(extraction.to_contract(result.source), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            _print_table(str(path), extraction)
    if failed:
        raise typer.Exit(2)


def _print_table(path: str, ex: Extraction) -> None:
    console.rule(f"[bold]{path}")
    head = Table.grid(padding=(0, 2))
    for label, value in (
        ("doc type", ex.doc_type),
        ("payer", ex.payer),
        ("policy number", ex.policy_number),
        ("title", ex.title),
        *((f"{k.replace('_', ' ')}", v) for k, v in vars_of(ex.dates).items()),
    ):
        head.add_row(f"[dim]{label}[/dim]", str(value) if value else "—")
    console.print(head)
    if ex.coverage:
        cov = Table("status", "applies to", "statement", title="Coverage positions", show_lines=True)
        for p in ex.coverage:
            cov.add_row(p.status, p.applies_to or "", p.statement[:300])
        console.print(cov)
    if ex.codes:
        codes = Table("system", "code", "role", "coverage", "description", title="Codes")
        for c in ex.codes:
            codes.add_row(c.system, c.code, c.role, c.coverage or "", (c.description or "")[:80])
        console.print(codes)
    if ex.code_ranges:
        console.print("Ranges: " + ", ".join(f"{r.system} {r.start}–{r.end}" for r in ex.code_ranges))
    console.print(
        f"related policies: {len(ex.related_policies)}  references: {len(ex.references)}  "
        f"history entries: {len(ex.history)}  sections: {len(ex.sections)}"
    )
    for w in ex.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


def vars_of(obj: object) -> dict[str, object]:
    return {k: getattr(obj, k) for k in getattr(obj, "__slots__", ())}
