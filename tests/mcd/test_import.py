"""`import_mcd` into a store (SQLite and PostgreSQL): all or nothing, idempotent, versions, lookups."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from medpolicy.api import Store
from medpolicy.errors import ImportFormatError, MedpolicyError
from medpolicy.mcd import import_mcd, importer
from medpolicy.model import CodeFact, Extraction, Source, Text

from .conftest import DOWNLOAD


def test_import_stores_one_document_per_lcd_article_and_ncd(store: Store) -> None:
    summary = import_mcd(store, DOWNLOAD)
    assert (summary.lcds, summary.articles, summary.ncds) == (1, 2, 1)
    assert (summary.new, summary.updated, summary.unchanged) == (4, 0, 0)
    assert summary.codes == 4 + 8 + 1  # LCD, billing article, SAD list
    assert sum(summary.skipped_documents.values()) == 4
    by_number = {p.policy_number: p for p in store.policies(payer="CMS (Medicare)")}
    assert {n: p.doc_type for n, p in by_number.items()} == {
        "L39001": "lcd", "A59001": "billing_article", "A59002": "other", "999.1": "ncd"
    }
    detail = store.policy("L39001", text=True)
    assert detail.title == "Widget Therapy"
    assert detail.version.text is not None and detail.version.text.startswith("Widget Therapy\n")


def test_code_lookup_finds_the_lcd_through_its_article_and_the_article_itself(store: Store) -> None:
    import_mcd(store, DOWNLOAD)
    found = {p.policy_number: p for p in store.code("J3590").policies}
    assert set(found) == {"L39001", "A59001"}  # J3590 is only on the article; the LCD lists it through it
    assert found["L39001"].role == "listed"
    assert found["A59001"].status == "medically_necessary"
    covered = "ICD-10-CM Codes that Support Medical Necessity"
    assert found["A59001"].statement == covered
    for code in ("C34.90", "C34.91", "G96.89", "T66.XXXA"):
        [dx] = store.code(code).policies
        assert (dx.policy_number, dx.status, dx.statement) == ("A59001", "medically_necessary", covered)
    [screening] = store.code("Z00.00").policies
    assert (screening.status, screening.statement) == ("not_medically_necessary", None)


def test_importing_the_same_download_twice_changes_nothing(store: Store) -> None:
    first = import_mcd(store, DOWNLOAD)
    before = store.stats()
    second = import_mcd(store, DOWNLOAD)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 4)
    assert [i.policy_id for i in second.items] == [i.policy_id for i in first.items]
    assert store.stats() == before


def test_a_newer_download_adds_versions_of_what_changed(store: Store, download: Path) -> None:
    import_mcd(store, download)
    codes = download / "article_x_hcpc_code.csv"
    codes.write_text(codes.read_text().replace("BIOLOGIC, EXAMPLE", "BIOLOGIC, REVISED"))
    summary = import_mcd(store, download)
    outcomes = {item.path: item.outcome for item in summary.items}
    assert outcomes == {
        "mcd:lcd/L39001": "updated",  # it lists the article's codes with their descriptions
        "mcd:article/A59001": "updated",
        "mcd:article/A59002": "unchanged",
        "mcd:ncd/501": "unchanged",
    }
    assert [v.version_no for v in store.policy("A59001").versions] == [1, 2]
    assert store.code("J3590").policies[0].description == "UNCLASSIFIED BIOLOGIC, REVISED DESCRIPTION"


def test_zip_of_zips_imports_the_same_documents(store: Store, tmp_path: Path) -> None:
    inner = tmp_path / "current_article_csv.zip"
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(DOWNLOAD.iterdir()):
            archive.write(file, file.name)
    outer = tmp_path / "current_article.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, inner.name)
    from_zip = import_mcd(store, outer)
    assert from_zip.new == 4
    assert import_mcd(store, DOWNLOAD).unchanged == 4  # byte for byte the same documents


def test_a_truncated_table_imports_nothing_and_names_the_line(store: Store, download: Path) -> None:
    covered = download / "article_x_icd10_covered.csv"
    data = covered.read_bytes()
    covered.write_bytes(data[: data.index(b"Other specified disorders") + 10])  # inside a quoted cell
    with pytest.raises(ImportFormatError) as caught:
        import_mcd(store, download)
    assert caught.value.path == str(covered)
    assert (caught.value.line, caught.value.column) == (4, "description")
    assert store.policies() == []


def test_a_missing_column_imports_nothing(store: Store, download: Path) -> None:
    lcd = download / "lcd.csv"
    lcd.write_text(lcd.read_text().replace('"title",', '"heading",', 1))
    with pytest.raises(ImportFormatError) as caught:
        import_mcd(store, download)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(lcd), 1, "title")
    assert store.policies() == []


def test_a_failing_store_rolls_the_whole_import_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importer.store_document
    calls = 0

    def fail_on_the_third(*args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OperationalError("INSERT", {}, Exception("disk full"))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "store_document", fail_on_the_third)
    with pytest.raises(MedpolicyError, match="nothing was imported"):
        import_mcd(store, DOWNLOAD)
    assert store.policies() == []


def test_tables_with_nothing_to_import(store: Store, tmp_path: Path) -> None:
    shutil.copy(DOWNLOAD / "contractor.csv", tmp_path / "contractor.csv")
    nothing = r"no LCD, article or NCD to import \(found only: contractor.csv\)"
    with pytest.raises(ImportFormatError, match=nothing):
        import_mcd(store, tmp_path)


def test_matrix_puts_medicare_beside_other_payers(store: Store) -> None:
    import_mcd(store, DOWNLOAD)
    text = "A9900 is not medically necessary.\n"
    store.add(
        Text(text),
        Source("example-plan/widgets.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain"),
        Extraction(
            doc_type="medical_policy",
            payer="Example Health Plan",
            policy_number="EX-1",
            title="Widgets",
            codes=[CodeFact("HCPCS", "A9900", None, "listed", "not_medically_necessary", [(0, 5)])],
        ),
    )
    matrix = store.matrix(["A9900"])
    assert matrix.payers == ["CMS (Medicare)", "Example Health Plan"]
    cells = {cell.payer: cell for cell in matrix.rows[0]}
    assert cells["CMS (Medicare)"].status == "medically_necessary"  # the billing article's covered groups
    assert {p.policy_number for p in cells["CMS (Medicare)"].policies} == {"L39001", "A59001"}
    assert cells["Example Health Plan"].status == "not_medically_necessary"
