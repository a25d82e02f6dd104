"""Finding MCD tables in folders, zips, zips inside zips and single files; refusing what is none."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.errors import ImportFormatError
from medpolicy.mcd.archive import open_download
from medpolicy.mcd.importer import load_tables

from .conftest import DOWNLOAD


def open_and_close(path: Path) -> None:
    with open_download(path):
        pass


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, prefix + file.name)
    return target


def test_folder_lists_tables_and_ignores_other_files() -> None:
    with open_download(DOWNLOAD) as download:
        assert {"lcd", "article", "article_x_icd10_covered", "ncd_trkg", "contractor"} <= download.tables()
        assert [Path(label).name for label in download.ignored] == ["readme_first.txt"]
        lcd = download.sources_of("lcd")[0]
        with lcd.open() as handle:
            assert handle.read(8) == b'"lcd_id"'


def test_nested_zip_like_cms_ships(tmp_path: Path) -> None:
    inner = zip_folder(DOWNLOAD, tmp_path / "current_lcd_csv.zip", prefix="csv/")
    outer = tmp_path / "current_lcd.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "current_lcd_csv.zip")
        archive.writestr("current_lcd_readme_first.txt", "read me")
        archive.writestr("current_lcd_mdb.zip", b"not opened: an Access database, the same tables")
        archive.writestr("__MACOSX/._lcd.csv", "junk")
    with open_download(outer) as download:
        sources = download.sources_of("lcd_x_hcpc_code")
        assert [s.label for s in sources] == [f"{outer}!current_lcd_csv.zip!csv/lcd_x_hcpc_code.csv"]
        with sources[0].open() as handle:
            assert handle.read() == (DOWNLOAD / "lcd_x_hcpc_code.csv").read_bytes()
        assert f"{outer}!current_lcd_readme_first.txt" in download.ignored
        assert f"{outer}!current_lcd_mdb.zip" in download.ignored


def test_a_single_table_file() -> None:
    with open_download(DOWNLOAD / "lcd_x_hcpc_code.csv") as download:
        assert download.tables() == {"lcd_x_hcpc_code"}


def test_an_unpacked_copy_beside_its_zip_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    zip_folder(DOWNLOAD, folder / "current.zip")
    (folder / "lcd.csv").write_bytes((DOWNLOAD / "lcd.csv").read_bytes())
    with open_download(folder) as download:
        assert len(download.sources_of("lcd")) == 1
        assert any("lcd.csv (same as" in note for note in download.duplicates)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="no Medicare Coverage Database tables found") as caught:
        open_and_close(tmp_path)
    assert caught.value.path == str(tmp_path)


def test_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "policy.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "codes.csv").write_text("code,description\nA9900,x\n")
    with pytest.raises(ImportFormatError, match="no Medicare Coverage Database tables"):
        open_and_close(tmp_path)


@pytest.mark.parametrize(
    ("name", "content"), [("policy.pdf", b"%PDF-1.7\n"), ("codes.csv", b"code,description\nA9900,x\n")]
)
def test_wrong_file(tmp_path: Path, name: str, content: bytes) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    with pytest.raises(ImportFormatError, match="not a Medicare Coverage Database download") as caught:
        open_and_close(file)
    assert caught.value.path == str(file)


def test_missing_path_and_broken_zip(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="no such file or folder"):
        open_and_close(tmp_path / "nothing.zip")
    broken = tmp_path / "current_lcd.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFormatError, match="not a readable ZIP archive") as caught:
        open_and_close(broken)
    assert caught.value.path == str(broken)


def test_broken_zip_inside_a_zip(tmp_path: Path) -> None:
    outer = tmp_path / "all_data.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("current_lcd_csv.zip", b"PK\x03\x04 truncated")
    with pytest.raises(ImportFormatError) as caught:
        open_and_close(outer)
    assert caught.value.path == f"{outer}!current_lcd_csv.zip"


def test_zips_nested_too_deep(tmp_path: Path) -> None:
    payload = (DOWNLOAD / "lcd.csv").read_bytes()
    data = payload
    name = "lcd.csv"
    for depth in range(4):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, data)
        data, name = buffer.getvalue(), f"level{depth}.zip"
    target = tmp_path / "deep.zip"
    target.write_bytes(data)
    with pytest.raises(ImportFormatError, match="nested more than"):
        open_and_close(target)


def _fixture_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("lcd.csv", "lcd_x_hcpc_code.csv", "article_x_icd10_covered.csv"):
            archive.write(DOWNLOAD / name, name)
    return buffer.getvalue()


FIXTURE_ZIP = _fixture_zip()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # Anywhere in the archive, or inside the compressed data (where damage reaches the decompressor).
    flips=st.lists(st.tuples(st.integers(0, len(FIXTURE_ZIP) - 1), st.integers(0, 255)), max_size=6)
    | st.lists(
        st.tuples(st.integers(30, len(FIXTURE_ZIP) - 200), st.integers(0, 255)), min_size=1, max_size=3
    ),
    cut=st.integers(0, len(FIXTURE_ZIP)),
)
def test_damaged_zips_read_or_raise_import_format_error(
    tmp_path: Path, flips: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(FIXTURE_ZIP)
    for position, value in flips:
        data[position] = value
    target = tmp_path / "current_lcd.zip"
    target.write_bytes(bytes(data[: max(cut, 4)]))
    try:
        with open_download(target) as download:
            load_tables(download)
    except ImportFormatError as error:
        assert error.path.startswith(str(target))
