"""Code commands: `describe` one code, and `import` reference data (CMS files, a licensed CPT table).

`describe` answers from the data medpolicy ships, then adds what was imported into the
store, when the store exists (it never creates one). `import` is a sub-app other
modules extend with their own sources (`import_app`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

import medpolicy
from medpolicy.cli.app import DbOption, app, console, db_url, user_errors
from medpolicy.codes import icd9cm, icd10cm
from medpolicy.codes.catalog import Fee, lookup_descriptions, lookup_fees
from medpolicy.codes.describe import CodeInfo, Description, describe_offline
from medpolicy.codes.imports import ImportSummary, import_clfs, import_cpt, import_hcpcs, import_pfs
from medpolicy.codes.modifiers import Modifier, modifier, modifiers_for
from medpolicy.codes.normalize import normalize, readings
from medpolicy.store.engine import create_store_engine, store_url

CHILDREN_SHOWN = 20
CPT_NOTE = (
    "no description available offline (CPT descriptors are licensed by the AMA; "
    "import one with `medpolicy import cpt`)"
)
HCPCS_NOTE = (
    "no description available offline (HCPCS Level II is published by CMS; "
    "import the annual file with `medpolicy import hcpcs`)"
)

import_app = typer.Typer(
    name="import",
    help="Load reference data into the store: CMS HCPCS, CLFS and PFS files, a licensed CPT table.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


class DescribeFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = typer.Option(DescribeFormat.table, "--format", "-f", help="table or json.")


@app.command("describe")
def describe_command(
    code: str = typer.Argument(
        ..., help="A code: 86357, J9035, C34.90 (or C3490), 0DTJ4ZZ, 250.00, or a modifier."
    ),
    system: str | None = typer.Option(
        None,
        "--system",
        "-s",
        help="Read the code in this system: CPT, HCPCS, ICD-10-CM, ICD-10-PCS, ICD-9-CM, ...",
    ),
    db: str | None = DbOption,
    fmt: DescribeFormat = FormatOption,
) -> None:
    """What a code is: system, validity, descriptions with their sources, hierarchy, fees, modifiers."""
    found_modifier = modifier(code) if system is None and not readings(code) else None
    if found_modifier is not None:
        _print_modifier(found_modifier, fmt)
        return
    with user_errors():
        store = _existing_store(db)
        try:
            report = _describe(code, system, store)
        finally:
            if store is not None:
                store.dispose()
    if fmt is DescribeFormat.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, default=str) + "\n")
    else:
        _print_report(report)


def _existing_store(db: str | None) -> Engine | None:
    """An engine on the store if it already exists; a SQLite file is never created just to describe."""
    url = store_url(db_url(db))
    if url.get_backend_name() == "sqlite" and (not url.database or not Path(url.database).is_file()):
        return None
    return create_store_engine(url)


def _describe(code: str, system: str | None, store: Engine | None) -> dict[str, Any]:
    notes: list[str] = []
    choices = [normalize(code, system)] if system else readings(code)
    if system is None and len(choices) > 1 and store is not None:
        # Prefer a reading the store has imported descriptions for (J1100 as HCPCS once HCPCS is loaded).
        imported = [r for r in choices if _safe(partial(lookup_descriptions, store, *r), [], notes)]
        choices = imported + [c for c in choices if c not in imported]
    chosen_system = choices[0][0] if choices else None
    info = describe_offline(code, chosen_system)
    imported_descriptions: list[Description] = []
    fees: list[Fee] = []
    if store is not None:
        imported_descriptions = _safe(lambda: lookup_descriptions(store, info.system, info.code), [], notes)
        fees = _safe(lambda: lookup_fees(store, info.code), [], notes)
    for other_system, other_code in choices[1:]:
        notes.append(
            f"also reads as {other_system} {other_code}: medpolicy describe {code} --system {other_system}"
        )
    descriptions = info.descriptions + imported_descriptions
    if not descriptions:
        notes.insert(0, _missing_description_note(info))
    return {
        "system": info.system,
        "code": info.code,
        "valid": info.valid,
        "category": info.category,
        "billable": info.billable,
        "chapter": info.chapter,
        "descriptions": [asdict(d) for d in descriptions],
        "parent": _with_title(info, info.parent) if info.parent else None,
        "children": [_with_title(info, child) for child in info.children[:CHILDREN_SHOWN]],
        "children_total": len(info.children),
        "fees": [asdict(f) for f in fees],
        "modifiers": [asdict(m) for m in modifiers_for(info.system, info.code)],
        "notes": notes,
    }


def _safe(lookup: Callable[[], Any], fallback: Any, notes: list[str]) -> Any:
    """Run a store lookup; a store that cannot be read becomes a note, since offline answers still stand."""
    try:
        return lookup()
    except SQLAlchemyError as exc:
        note = f"the store could not be read ({type(exc).__name__}); showing offline data only"
        if note not in notes:
            notes.append(note)
        return fallback


def _missing_description_note(info: CodeInfo) -> str:
    if info.system == "CPT":
        return CPT_NOTE
    if info.system in ("HCPCS", "CDT"):
        return HCPCS_NOTE
    if info.valid is False:
        return f"{info.code} is not in the {info.system} code set medpolicy ships"
    return "no description available offline"


def _with_title(info: CodeInfo, code: str) -> dict[str, str | None]:
    title: str | None = None
    if info.system == "ICD-10-CM":
        title = icd10cm.description(code)
    elif info.system == "ICD-9-CM":
        title = icd9cm.description(code)
    return {"code": code, "description": title}


def _print_report(report: dict[str, Any]) -> None:
    status = {True: "valid", False: "NOT in the code set", None: "validity unknown offline"}[report["valid"]]
    billable = {True: ", billable", False: ", not billable", None: ""}[report["billable"]]
    _line(f"{report['code']}  {report['system']}  ({status}{billable})")
    for label in ("category", "chapter"):
        if report[label]:
            _line(f"  {label}: {report[label]}")
    if report["parent"]:
        _line(f"  parent: {_titled(report['parent'])}")
    if report["descriptions"]:
        _line("descriptions:")
        for d in report["descriptions"]:
            _line(f"  {d['text']}")
            _line(f"    ({d['kind']}, {d['source']})")
    if report["children_total"]:
        shown = len(report["children"])
        more = f", showing {shown}" if shown < report["children_total"] else ""
        _line(f"children ({report['children_total']}{more}):")
        for child in report["children"]:
            _line(f"  {_titled(child)}")
    if report["fees"]:
        _print_fees(report["fees"])
    if report["modifiers"]:
        _line("modifiers often relevant to this code family (a reminder, not a rule):")
        for m in report["modifiers"]:
            _line(f"  {m['code']:<3} {m['meaning']}")
    for note in report["notes"]:
        _line(f"note: {note}")


def _print_fees(fees: list[dict[str, Any]]) -> None:
    table = Table(title="fee benchmarks (imported)", title_justify="left")
    for column in ("schedule", "year", "modifier", "amount", "facility amount", "status", "file"):
        table.add_column(column, overflow="fold")
    for fee in fees:
        table.add_row(
            fee["schedule"],
            str(fee["year"]),
            fee["modifier"] or "",
            _money(fee["amount"]),
            _money(fee["facility_amount"]),
            fee["status"] or "",
            fee["source_file"],
        )
    console.print(table, markup=False, highlight=False)


def _print_modifier(found: Modifier, fmt: DescribeFormat) -> None:
    if fmt is DescribeFormat.json:
        sys.stdout.write(json.dumps({"modifier": asdict(found)}, ensure_ascii=False) + "\n")
        return
    _line(f"{found.code}  {found.system} modifier")
    _line(f"  meaning: {found.meaning}")
    _line(f"  when: {found.when}")


def _titled(item: dict[str, str | None]) -> str:
    return f"{item['code']}  {item['description']}" if item["description"] else str(item["code"])


def _money(value: Any) -> str:
    return "" if value is None else f"${value:,.2f}"


def _line(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


# --- import ---------------------------------------------------------------------------------------------

FileArgument = typer.Argument(..., help="The file to import.", dir_okay=False)
YearOption = typer.Option(None, "--year", help="The year the fees are for, when the file does not say.")


@import_app.command("hcpcs")
def import_hcpcs_command(file: Path = FileArgument, db: str | None = DbOption) -> None:
    """CMS HCPCS Level II annual file (CSV export or fixed-width TXT): long and short descriptions."""
    _run_import(import_hcpcs, file, db)


@import_app.command("clfs")
def import_clfs_command(
    file: Path = FileArgument, db: str | None = DbOption, year: int | None = YearOption
) -> None:
    """CMS Clinical Laboratory Fee Schedule CSV: national limits per code and modifier."""
    _run_import(lambda engine, path: import_clfs(engine, path, year=year), file, db)


@import_app.command("pfs")
def import_pfs_command(
    file: Path = FileArgument, db: str | None = DbOption, year: int | None = YearOption
) -> None:
    """CMS Physician Fee Schedule RVU file (PPRRVU) as CSV: RVUs and national payment amounts."""
    _run_import(lambda engine, path: import_pfs(engine, path, year=year), file, db)


@import_app.command("cpt")
def import_cpt_command(file: Path = FileArgument, db: str | None = DbOption) -> None:
    """A licensed CPT descriptor table: CSV or tab-separated `code,description`, header optional."""
    _run_import(import_cpt, file, db)


def _run_import(importer: Callable[[Engine, Path], ImportSummary], file: Path, db: str | None) -> None:
    target = db_url(db)
    with user_errors(), medpolicy.open(target) as store, user_errors(exit_code=2):
        summary = importer(store.engine, file)
    _line(f"imported {summary} into {target}")
