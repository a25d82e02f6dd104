"""The coverage matrix: codes × canonical payers, with explicit answers for missing data."""

from __future__ import annotations

import csv
import io

import pytest

from medpolicy.api import Store
from medpolicy.errors import QueryError
from medpolicy.query.results import MIXED, NO_DATA, NO_POLICY, NOT_STATED
from query.sample import fill
from store.documents import PolicySpec, policy_document


def test_each_cell_is_the_payers_current_status(store: Store) -> None:
    fill(store)
    matrix = store.matrix(["86357", "0537T", "C83.30", "J3590"])
    assert matrix.payers == ["Aetna", "Cigna Healthcare", "Premera Blue Cross"]
    assert matrix.cell("86357", "Aetna").status == "not_covered"
    assert matrix.cell("86357", "Premera Blue Cross").status == "investigational"
    assert matrix.cell("86357", "Cigna Healthcare").status == NO_POLICY
    assert matrix.cell("0537T", "Cigna Healthcare").status == "medically_necessary"
    assert matrix.cell("0537T", "Aetna").status == "investigational"
    assert matrix.cell("C83.30", "Aetna").status == "investigational"  # via its range
    assert matrix.cell("J3590", "Aetna").status == NO_POLICY


def test_matrix_csv_has_a_row_per_code_and_a_column_per_payer(store: Store) -> None:
    fill(store)
    rows = list(csv.reader(io.StringIO(store.matrix(["86357", "0537T"], ["Aetna", "Premera"]).to_csv())))
    assert rows == [
        ["code", "Aetna", "Premera Blue Cross"],
        ["86357", "not_covered", "investigational"],
        ["0537T", "investigational", NO_POLICY],
    ]


def test_payer_aliases_never_split_a_column(store: Store) -> None:
    store.add(*policy_document(PolicySpec(payer="BCBSMT", number="1"), path="/a.txt"))
    store.add(
        *policy_document(
            PolicySpec(
                payer="BlueCross and BlueShield of Montana",
                number="2",
                codes=[("CPT", "0537T", None, "medically_necessary", "listed")],
            ),
            path="/b.txt",
        )
    )
    matrix = store.matrix(["86357", "0537T"], ["Blue Cross Blue Shield of Montana", "BCBSMT"])
    assert matrix.payers == ["Blue Cross and Blue Shield of Montana"]
    assert [row[0].status for row in matrix.rows] == ["investigational", "medically_necessary"]


def test_a_payer_without_any_policy_is_data_not_available(store: Store) -> None:
    fill(store)
    matrix = store.matrix(["86357"], ["Humana"])
    assert matrix.cell("86357", "Humana").status == NO_DATA


def test_disagreeing_policies_of_one_payer_are_mixed_and_unstated_is_not_stated(store: Store) -> None:
    store.add(*policy_document(PolicySpec(number="1"), path="/a.txt"))
    store.add(
        *policy_document(
            PolicySpec(number="2", positions=[("medically_necessary", "Covered.", None)]), path="/b.txt"
        )
    )
    store.add(*policy_document(PolicySpec(payer="Humana", number="3", positions=[]), path="/c.txt"))
    matrix = store.matrix(["86357"])
    assert matrix.cell("86357", "Premera Blue Cross").status == MIXED
    assert matrix.cell("86357", "Humana").status == NOT_STATED
    assert {p.policy_number for p in matrix.cell("86357", "Premera Blue Cross").policies} == {"1", "2"}


def test_codes_are_canonicalised_and_deduplicated(store: Store) -> None:
    fill(store)
    assert store.matrix(["c83.30", "C8330", "0537t"]).codes == ["C83.30", "0537T"]


def test_a_matrix_needs_a_code(store: Store) -> None:
    with pytest.raises(QueryError, match="at least one code"):
        store.matrix([])
