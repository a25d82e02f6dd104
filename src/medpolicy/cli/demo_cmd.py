"""`medpolicy demo`: build a store from the shipped demo corpus and show real answers from it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table

import medpolicy
from medpolicy.api import Store
from medpolicy.cli.app import app, console, user_errors
from medpolicy.demo import corpus_dir
from medpolicy.query.results import PolicyChange

DEMO_DB = "medpolicy-demo.db"
TOUR_CODES = ("86357", "36511", "0537T", "J9035", "95810")


@app.command("demo")
def demo(
    db: str = typer.Option(
        DEMO_DB, "--db", help="Where to build the demo store (SQLite path or SQLAlchemy URL)."
    ),
    jobs: int = typer.Option(2, "--jobs", "-j", min=1, help="Documents read in parallel."),
) -> None:
    """Build a store from the built-in demo corpus (fictional payers, real layouts) and take a short tour."""
    with user_errors():
        if "://" not in db and Path(db).exists():
            Path(db).unlink()  # the tour starts from an empty store every time
        with medpolicy.open(db) as store:
            console.print(Panel.fit(f"Ingesting the demo corpus into [bold]{db}[/bold]", border_style="cyan"))
            summary = store.ingest([corpus_dir()], jobs=jobs)
            console.print(
                f"{len(summary.items)} documents: {len(summary.new)} new, {len(summary.updated)} new versions, "
                f"{len(summary.unchanged)} unchanged, {len(summary.failed)} failed"
            )
            for item in summary.failed:
                console.print(f"  [red]failed[/red] {item.path}: {item.reason}")
            _tour(store, db)


_SHORT = {
    "medically_necessary": "[green]covered[/green]",
    "investigational": "[yellow]investig.[/yellow]",
    "not_medically_necessary": "[red]not med. nec.[/red]",
    "not_covered": "[red]not covered[/red]",
    "cosmetic": "[red]cosmetic[/red]",
}


def _short(status: str) -> str:
    return _SHORT.get(status, f"[dim]{status.replace('_', ' ')}[/dim]")


def _describe(change: PolicyChange) -> str:
    parts = [
        f"{change.payer} {change.policy_number or ''} {change.title or ''}".strip(),
        f"v{change.before.version_no} ({change.before.effective}) → v{change.after.version_no} "
        f"({change.after.effective}):",
    ]
    if change.codes_added:
        parts.append("added " + ", ".join(c.code for c in change.codes_added))
    if change.codes_removed:
        parts.append("removed " + ", ".join(c.code for c in change.codes_removed))
    for sc in change.code_status_changes:
        parts.append(f"{sc.subject} {sc.before or 'not stated'} → {sc.after or 'not stated'}")
    return " ".join(parts)


def _tour(store: Store, db: str) -> None:
    stats = store.stats()
    console.rule("[bold]What the store holds")
    console.print(
        f"{stats.policies} policies, {stats.versions} versions, {stats.codes} codes, {stats.payers} payers"
    )
    payers = Table("payer", "policies", title="Payers")
    for count in store.payers():
        payers.add_row(count.payer, str(count.policies))
    console.print(payers)

    console.rule("[bold]medpolicy code 86357 — what does each payer say?")
    lookup = store.code("86357")
    table = Table("payer", "policy", "status", "effective", "statement", show_lines=True)
    for p in lookup.policies:
        table.add_row(
            p.payer or "—",
            f"{p.policy_number or ''} {p.title or ''}".strip(),
            p.status or "not stated",
            p.effective or "—",
            (p.statement or "")[:160],
        )
    console.print(table)

    console.rule("[bold]medpolicy matrix — each payer's position on five codes")
    matrix = store.matrix(list(TOUR_CODES))
    grid = Table("payer", *matrix.codes, show_lines=False)
    for column, payer in enumerate(matrix.payers):
        grid.add_row(payer, *(_short(row[column].status) for row in matrix.rows))
    console.print(grid)

    console.rule('[bold]medpolicy search "natural killer"')
    for hit in store.search("natural killer", limit=5).hits:
        console.print(f"• {hit.payer} — {hit.title}: {hit.snippet[:140]}")

    console.rule("[bold]medpolicy changes — what moved between versions")
    for change in store.changes()[:4]:
        console.print(f"• {_describe(change)}")

    console.print(
        Panel.fit(
            f"Try it yourself (the store is {db}):\n"
            f"  medpolicy code 86357 --db {db}\n"
            f"  medpolicy matrix 86357 0537T J9035 --db {db} --format csv\n"
            f'  medpolicy search "sleep apnea" --db {db}\n'
            f"  medpolicy serve --db {db}",
            title="Next",
            border_style="green",
        )
    )
