"""`medpolicy report`: per-code, per-policy and comparison reports as Markdown, HTML, PDF or JSON.

medpolicy report 86357                          # Markdown on stdout
medpolicy report 86357 -f pdf -o 86357.pdf      # a PDF to hand on
medpolicy report --policy 8.01.33 -f html -o policy.html
medpolicy report --compare 86357 0537T -p Aetna -p Cigna -f json
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

import medpolicy
from medpolicy.api import Store
from medpolicy.cli.app import DbOption, app, db_url, err_console, print_error, user_errors
from medpolicy.report import Report, code_report, comparison_report, policy_report, render_all


class ReportFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


def _usage(message: str) -> typer.Exit:
    print_error(message)
    return typer.Exit(2)


@app.command("report")
def report_command(
    codes: Annotated[
        list[str] | None,
        typer.Argument(
            help="Billing codes: one report each, or one comparison with --compare.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="md, html, pdf or json.")
    ] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report here (required for pdf); else stdout."),
    ] = None,
    payer: Annotated[
        list[str] | None,
        typer.Option("--payer", "-p", help="Only this payer (with --compare, repeat for several)."),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", help="Report on one policy (id or policy number) instead of codes."),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Compare the CODES across payers in one table.")
    ] = False,
    db: str | None = DbOption,
) -> None:
    """A report to read, print or send: what a code is, how it is billed, what every payer says, with sources.

    Every statement cites its document (payer, policy number, version, section); where the
    store holds nothing the report says "Data not available".
    """
    payers = payer or []
    if policy is None and not codes:
        raise _usage("give at least one CODE, or --policy ID")
    if policy is not None and (codes or compare):
        raise _usage("--policy reports on one policy: give no CODE and no --compare with it")
    if len(payers) > 1 and not compare:
        raise _usage("give one --payer (several only with --compare)")
    if fmt is ReportFormat.pdf and output is None:
        raise _usage("--format pdf writes a binary file: give --output FILE, e.g. -o report.pdf")
    with user_errors(), medpolicy.open(db_url(db)) as store:
        reports = _reports(store, codes or [], payers, policy, compare)
        data = render_all(reports, fmt.value)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        print_error(f"{output}: cannot write the report: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    err_console.print(f"wrote {output} ({len(data):,} bytes)", highlight=False, soft_wrap=True)


def _reports(
    store: Store, codes: list[str], payers: list[str], policy: str | None, compare: bool
) -> list[Report]:
    if policy is not None:
        chosen = store.policy(policy, payer=payers[0]).policy_id if payers else policy
        return [policy_report(store, chosen)]
    if compare:
        return [comparison_report(store, codes, payers or None)]
    unique = list(dict.fromkeys(codes))
    return [code_report(store, code, payers[0] if payers else None) for code in unique]
