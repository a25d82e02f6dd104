"""The comparison report: codes × payers, each cell a status with the policies behind it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from medpolicy.api import Store
from medpolicy.codes import CodeError, describe_offline
from medpolicy.labels import status_label
from medpolicy.query.results import NO_DATA, NO_POLICY, Matrix
from medpolicy.report.citations import SourceRegistry
from medpolicy.report.code_report import CODE_SET_SOURCE
from medpolicy.report.model import NOT_AVAILABLE, ComparedCode, ComparisonCell, ComparisonReport
from medpolicy.report.stamp import generated_at, store_summary
from medpolicy.report.wording import join_names, plural, status_rank


def comparison_report(
    store: Store, codes: Iterable[str], payers: Iterable[str] | None = None
) -> ComparisonReport:
    """Every code against every payer (all payers in the store when `payers` is None)."""
    matrix = store.matrix(codes, payers)
    registry = SourceRegistry(store)
    registry.load(p.policy_id for row in matrix.rows for cell in row for p in cell.policies)
    rows = [
        [
            ComparisonCell(
                cell.code,
                cell.payer,
                cell.status,
                [registry.cite(p.policy_id, p.statement_span or p.span) for p in cell.policies],
            )
            for cell in row
        ]
        for row in matrix.rows
    ]
    return ComparisonReport(
        title="Coverage comparison: " + ", ".join(matrix.codes),
        generated_at=generated_at(),
        store=store_summary(store),
        summary=_summary(matrix),
        codes=[_compared(code) for code in matrix.codes],
        payers=list(matrix.payers),
        rows=rows,
        sources=registry.sources(),
    )


def _compared(code: str) -> ComparedCode:
    try:
        info = describe_offline(code)
    except CodeError:
        return ComparedCode(code, None, None, None)
    return ComparedCode(code, info.system, info.category, CODE_SET_SOURCE if info.category else None)


def _summary(matrix: Matrix) -> list[str]:
    if not matrix.payers:
        return [
            f"{NOT_AVAILABLE}: the store holds no policy that names its payer, "
            "so there is nothing to compare."
        ]
    sentences = [
        f"{plural(len(matrix.codes), 'code')} compared across {plural(len(matrix.payers), 'payer')}. "
        "Policies that do not state their payer are not part of the comparison."
    ]
    for code, row in zip(matrix.codes, matrix.rows, strict=True):
        counts = Counter(cell.status for cell in row)
        stated = [
            f"{status_label(s).lower()} at {n}"
            for s, n in sorted(counts.items(), key=lambda i: status_rank(i[0]))
            if s not in (NO_POLICY, NO_DATA)
        ]
        missing = counts[NO_POLICY] + counts[NO_DATA]
        if stated:
            sentence = f"{code}: {join_names(stated)}"
            sentence += f"; no policy found at {missing}." if missing else "."
        else:
            sentence = f"{code}: {NOT_AVAILABLE} — no payer's policy in the store names it."
        sentences.append(sentence)
    return sentences
