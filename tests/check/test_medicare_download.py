"""Medicare lines against documents imported from an MCD download (the MCD importer's own test download)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import medpolicy
from medpolicy.api import Store
from medpolicy.check import ClaimLine, check_line

DOWNLOAD = Path(__file__).parent.parent / "mcd" / "fixtures" / "download"
mcd_importer = pytest.importorskip("medpolicy.mcd.importer")


@pytest.fixture(scope="module")
def mcd_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    if not DOWNLOAD.is_dir():
        pytest.skip(f"{DOWNLOAD} is not in this checkout")
    with medpolicy.open(tmp_path_factory.mktemp("mcd") / "mcd.db") as store:
        mcd_importer.import_mcd(store, DOWNLOAD)
        yield store


def medicare(store: Store, *dx: str, code: str = "J3590") -> object:
    return check_line(store, ClaimLine("Medicare", code, dx=list(dx), date="2025-06-01"))


def test_a_covered_diagnosis_of_the_billing_article(mcd_store: Store) -> None:
    found = medicare(mcd_store, "C34.90")
    assert found.outcome in ("likely_covered", "criteria_apply")
    assert found.policy is not None and found.policy.policy_number == "A59001"
    assert found.diagnoses[0].section == "ICD-10-CM Codes that Support Medical Necessity"
    assert "A59001 is a billing article of LCD L39001" in " ".join(found.notes)


def test_a_non_covered_diagnosis_quotes_no_covering_statement(mcd_store: Store) -> None:
    found = medicare(mcd_store, "Z00.00")
    assert found.outcome == "not_medically_necessary"
    assert found.reason.startswith("Z00.00 is on the non-covered ICD-10-CM list of article A59001")
    assert found.statement is None or "DO NOT" in found.statement


def test_a_diagnosis_on_neither_list(mcd_store: Store) -> None:
    found = medicare(mcd_store, "C50.911")
    assert found.outcome == "not_medically_necessary"
    assert found.reason.startswith("C50.911 is not on the covered ICD-10-CM list of article A59001")


def test_an_lcd_code_without_a_billing_article_position(mcd_store: Store) -> None:
    found = medicare(mcd_store, code="E0999")
    assert found.outcome == "no_policy_found"
    assert "LCD L39001 lists E0999 but states no coverage position" in found.reason
