"""The coverage matrix: for each code and each payer, what the payer's current policies say."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select

from medpolicy.errors import QueryError
from medpolicy.payers import canonical_payer, payer_key
from medpolicy.query.lookup import code_policies
from medpolicy.query.results import MIXED, NO_DATA, NO_POLICY, NOT_STATED, CodePolicy, Matrix, MatrixCell
from medpolicy.store.schema import policies


def coverage_matrix(conn: Connection, codes: Iterable[str], payers: Iterable[str] | None = None) -> Matrix:
    """Codes × payers. Without `payers`, every payer with a policy in the store, alphabetically."""
    stored = {
        row.payer_key: row.payer
        for row in conn.execute(
            select(policies.c.payer_key, policies.c.payer).where(policies.c.payer.is_not(None))
        )
    }
    columns = _payer_columns(payers, stored)
    code_list: list[str] = []
    found_by_code: dict[str, list[CodePolicy]] = {}
    for given in codes:
        form, _system, found = code_policies(conn, given)
        if form not in found_by_code:
            code_list.append(form)
            found_by_code[form] = found
    if not code_list:
        raise QueryError("matrix: give at least one code")
    rows = []
    for code in code_list:
        by_payer: dict[str, list[CodePolicy]] = {}
        for named in found_by_code[code]:
            by_payer.setdefault(payer_key(named.payer), []).append(named)
        rows.append(
            [
                MatrixCell(
                    code, name, cell_status(by_payer.get(key, []), key in stored), by_payer.get(key, [])
                )
                for key, name in columns
            ]
        )
    return Matrix(code_list, [name for _, name in columns], rows)


def _payer_columns(payers: Iterable[str] | None, stored: dict[str, str]) -> list[tuple[str, str]]:
    """(payer key, display name) per column, aliases of one payer merged into one column."""
    if payers is None:
        return sorted(stored.items(), key=lambda item: item[1].casefold())
    columns: dict[str, str] = {}
    for given in payers:
        name = canonical_payer(given)
        if name is None:
            raise QueryError(f"matrix: {given!r} is not a payer name")
        columns.setdefault(payer_key(name), stored.get(payer_key(name), name))
    return list(columns.items())


def cell_status(found: Sequence[CodePolicy], payer_in_store: bool) -> str:
    """One label for a payer's policies on a code; direct listings outrank ranges."""
    if not found:
        return NO_POLICY if payer_in_store else NO_DATA
    direct = [p for p in found if p.matched == "code"]
    stated = {p.status for p in (direct or found) if p.status is not None}
    if not stated:
        return NOT_STATED
    return stated.pop() if len(stated) == 1 else MIXED
