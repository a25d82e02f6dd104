"""Version changes in words, for the Changes sections of code and policy reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice

from medpolicy.api import Store
from medpolicy.labels import status_label
from medpolicy.query.changes import policy_changes
from medpolicy.query.results import CodeChange, PolicyChange
from medpolicy.report.citations import SourceRegistry
from medpolicy.report.model import ChangeEntry
from medpolicy.report.wording import shorten
from medpolicy.store.engine import read_transaction

CHANGES_LIMIT = 25

Describe = Callable[[PolicyChange], list[str]]


def change_entries(
    store: Store,
    registry: SourceRegistry,
    describe: Describe,
    policy_ids: Iterable[int],
    *,
    limit: int = CHANGES_LIMIT,
) -> list[ChangeEntry]:
    """The newest `limit` changes of these policies `describe` finds something to say about.

    Each entry cites the newer version; the versions cited are loaded together, once.
    """
    with read_transaction(store.engine) as conn:
        changes = policy_changes(conn, policy_ids=policy_ids)
    described = list(islice(((change, lines) for change in changes if (lines := describe(change))), limit))
    registry.load_versions(change.policy_id for change, _ in described)
    return [
        ChangeEntry(
            policy_id=change.policy_id,
            payer=change.payer,
            policy_number=change.policy_number,
            title=change.title,
            from_version=change.before.version_no,
            to_version=change.after.version_no,
            from_effective=change.before.effective,
            to_effective=change.after.effective,
            when=change.after.effective or change.after.ingested_at[:10],
            changes=lines,
            citation=registry.cite_version(change.policy_id, change.after.version_no),
        )
        for change, lines in described
    ]


def code_change_lines(change: PolicyChange, code: str, system: str | None, names_code: bool) -> list[str]:
    """What a change did to `code` and, for a policy naming it now, to its positions; [] when nothing."""
    label = f"{system} {code}" if system else code
    lines = [_added(c, label) for c in change.codes_added if c.code == code]
    lines += [f"{label} removed from the policy" for c in change.codes_removed if c.code == code]
    lines += [
        f"Status of {label}: {status_label(c.before)} → {status_label(c.after)}"
        for c in change.code_status_changes
        if c.subject == code
    ]
    if names_code:
        lines += _position_lines(change)
    return lines + _date_lines(change) if lines else []


def policy_change_lines(change: PolicyChange) -> list[str]:
    """Everything a change did to a policy, in words; [] when only its wording changed."""
    lines = [_added(c, f"{c.system} {c.code}") for c in change.codes_added]
    lines += [f"{c.system} {c.code} removed from the policy" for c in change.codes_removed]
    lines += [
        f"Status of {c.subject}: {status_label(c.before)} → {status_label(c.after)}"
        for c in change.code_status_changes
    ]
    lines += _position_lines(change)
    if change.title_change is not None:
        lines.append(f"Title: “{change.title_change.before}” → “{change.title_change.after}”")
    return lines + _date_lines(change)


def _added(code: CodeChange, label: str) -> str:
    return f"{label} added to the policy (status: {status_label(code.status)})"


def _position_lines(change: PolicyChange) -> list[str]:
    lines = [
        f"Position “{shorten(c.subject, 100)}”: {status_label(c.before)} → {status_label(c.after)}"
        for c in change.position_status_changes
    ]
    lines += [
        f"Position added ({status_label(p.status)}): {shorten(p.statement, 140)}"
        for p in change.positions_added
    ]
    lines += [
        f"Position removed ({status_label(p.status)}): {shorten(p.statement, 140)}"
        for p in change.positions_removed
    ]
    return lines


def _date_lines(change: PolicyChange) -> list[str]:
    return [
        f"{d.field.replace('_', ' ').capitalize()} date: "
        f"{d.before or 'not stated'} → {d.after or 'not stated'}"
        for d in change.date_changes
    ]
