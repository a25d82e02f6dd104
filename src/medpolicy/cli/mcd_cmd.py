"""`medpolicy import mcd PATH`: a Medicare Coverage Database download into the store.

Exit status 2, with one line on stderr, when the download is malformed (the message
names the file, line and column); nothing is imported then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

import medpolicy
from medpolicy.cli.app import DbOption, console, db_url, document_progress, user_errors
from medpolicy.cli.codes_cmd import import_app
from medpolicy.mcd import McdImportSummary, import_mcd


@import_app.command("mcd")
def import_mcd_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="The MCD download: a folder, a .zip (e.g. current_lcd.zip) or one of its .csv tables."
        ),
    ],
    db: str | None = DbOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
) -> None:
    """Medicare Coverage Database download: LCDs, billing and coding articles and NCDs, with their codes.

    Imports the latest version of each document in one transaction; importing the same
    download again changes nothing. Import the LCD and article downloads together (one
    folder holding both zips) so that each LCD also lists the codes of its billing articles.
    """
    target = db_url(db)
    with user_errors(), medpolicy.open(target) as store, user_errors(exit_code=2):
        summary = _import_with_progress(store, path)
    if as_json:
        sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
        return
    for line in summary.lines():
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(f"into {target}", markup=False, highlight=False, soft_wrap=True)


def _import_with_progress(store: medpolicy.Store, path: Path) -> McdImportSummary:
    with document_progress("importing") as advance:
        return import_mcd(store, path, progress=advance)
