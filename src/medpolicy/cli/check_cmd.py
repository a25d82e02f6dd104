"""Claim check commands: `check` one line or a CSV of claim lines; `import ncci` and `import mue` edits.

medpolicy check --payer "Blue Cross and Blue Shield of Montana" --code 86357 --dx D84.9
medpolicy check --file claims.csv --format csv -o determinations.csv
medpolicy import ncci ccipra-v321r0-f1.txt
medpolicy import mue MCR_MUE_PractitionerServices.csv
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

import medpolicy
from medpolicy.check import ClaimLine, Determination, check_claims, import_mue, import_ncci, read_claims_csv
from medpolicy.check.results import ROW_COLUMNS
from medpolicy.check.tables import SETTINGS
from medpolicy.cli.app import DbOption, app, console, db_url, print_error, user_errors
from medpolicy.cli.codes_cmd import FileArgument, import_app
from medpolicy.codes.imports import ImportSummary
from medpolicy.errors import MedpolicyError


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


_LIST_SEPARATOR = re.compile(r"[;,\s]+")


def _split(values: Sequence[str]) -> list[str]:
    """Repeated options, each possibly a list ("C34.90;C50.911")."""
    return [item for value in values for item in _LIST_SEPARATOR.split(value) if item]


@app.command("check")
def check_command(
    payer: Annotated[
        str | None, typer.Option("--payer", help="The payer: 'Aetna', 'BCBSMT', 'Medicare'.")
    ] = None,
    code: Annotated[
        str | None, typer.Option("--code", help="The billed CPT/HCPCS code: 86357, J9035.")
    ] = None,
    dx: Annotated[
        list[str] | None, typer.Option("--dx", help="An ICD-10-CM diagnosis (repeat, or separate with ';').")
    ] = None,
    modifier: Annotated[
        list[str] | None, typer.Option("--modifier", help="A modifier on the line (repeatable), e.g. 59.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Date of service, e.g. 2025-03-15 (default: current versions)."),
    ] = None,
    units: Annotated[int, typer.Option("--units", min=1, help="Units of service.")] = 1,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            dir_okay=False,
            help="A CSV of claim lines: claim_id, line_no, payer, code, dx, modifiers, date, units.",
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat | None,
        typer.Option("--format", help="text (default for one line), csv (default for --file) or json."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the determinations to this file.")
    ] = None,
    db: str | None = DbOption,
) -> None:
    """What the stored policies and imported CMS edits say about a claim line, before it is submitted."""
    if file is None and (payer is None or code is None):
        print_error("give --payer and --code for one claim line, or --file with a CSV of claim lines")
        raise typer.Exit(2)
    if file is not None and (payer is not None or code is not None):
        print_error("give either --file or --payer/--code, not both")
        raise typer.Exit(2)
    with user_errors(exit_code=2):
        if file is not None:
            lines = read_claims_csv(file)
        else:
            lines = [
                ClaimLine(
                    payer or "",
                    code or "",
                    dx=_split(dx or []),
                    modifiers=_split(modifier or []),
                    date=date,
                    units=units,
                )
            ]
    with user_errors(), medpolicy.open(db_url(db)) as store:
        determinations = check_claims(store, lines)
    chosen = fmt or (CheckFormat.csv if file is not None else CheckFormat.text)
    if file is None and determinations[0].outcome == "error":
        print_error(determinations[0].reason)
        raise typer.Exit(2)
    rendered = _render(determinations, chosen)
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        print_error(f"{output}: cannot be written ({exc.strerror})")
        raise typer.Exit(1) from None
    counts = Counter(d.outcome for d in determinations)
    summary = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in counts.most_common())
    console.print(f"{len(determinations)} determinations written to {output}: {summary}", markup=False)


def _render(determinations: list[Determination], fmt: CheckFormat) -> str:
    if fmt is CheckFormat.json:
        return "".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in determinations)
    if fmt is CheckFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(ROW_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for d in determinations:
            writer.writerow({k: "" if v is None else v for k, v in d.to_row().items()})
        return buf.getvalue()
    return "\n".join(_text_block(d) for d in determinations)


def _text_block(determination: Determination) -> str:
    line = determination.line
    where = []
    if line.claim_id is not None:
        where.append(f"claim {line.claim_id}")
    if line.line_no is not None:
        where.append(f"line {line.line_no}")
    head = f"[{', '.join(where)}] " if where else ""
    return f"{head}{determination.to_text()}\n"


SettingOption = typer.Option(
    None, "--setting", help=f"Which CMS table the file is: {', '.join(SETTINGS)} (default: from the file)."
)


@import_app.command("ncci")
def import_ncci_command(
    file: Path = FileArgument, db: str | None = DbOption, setting: str | None = SettingOption
) -> None:
    """CMS NCCI procedure-to-procedure edits (TXT or CSV): code pairs, dates, modifier indicators."""
    _import(lambda engine: import_ncci(engine, file, setting=setting), db)


@import_app.command("mue")
def import_mue_command(
    file: Path = FileArgument, db: str | None = DbOption, setting: str | None = SettingOption
) -> None:
    """CMS Medically Unlikely Edits (TXT or CSV): MUE values, adjudication indicators and rationales."""
    _import(lambda engine: import_mue(engine, file, setting=setting), db)


def _import(importer: Callable[[Engine], ImportSummary], db: str | None) -> None:
    target = db_url(db)
    with user_errors(), medpolicy.open(target) as store:
        try:
            summary = importer(store.engine)
        except MedpolicyError as exc:
            print_error(str(exc))
            raise typer.Exit(2) from None
    console.print(f"imported {summary} into {target}", markup=False, highlight=False, soft_wrap=True)
