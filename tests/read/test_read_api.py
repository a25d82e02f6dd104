"""The public entry points: sniffing, size limit, file errors, sources and warnings."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest

from medpolicy.errors import UnreadableDocument
from medpolicy.read import DOCX, HTML, PDF, TEXT, read_bytes, read_path, sniff_media_type

from .handmade_pdf import handmade_pdf


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Body text")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (handmade_pdf(), "policy.pdf", PDF),
        (handmade_pdf(), "no-extension", PDF),
        (handmade_pdf(), "misnamed.html", PDF),
        (b"junk before header\n" + handmade_pdf(), "x", PDF),
        (_docx_bytes(), "policy.docx", DOCX),
        (_docx_bytes(), "download", DOCX),
        (b"<!DOCTYPE html><html><body>x</body></html>", "policy.pdf", HTML),
        (b"\n  <!-- saved page --><html lang=en>", "page", HTML),
        (b"<p>fragment</p>", "fragment.htm", HTML),
        (b"plain words", "notes.txt", TEXT),
        (b"plain words", "notes", TEXT),
        (b"plain words", "notes.pdf", PDF),
        (bytes(range(256)) * 4, "blob", "application/octet-stream"),
        (b"PK\x03\x04 not really a zip", "archive", "application/zip"),
    ],
)
def test_sniff_media_type(data: bytes, name: str, expected: str) -> None:
    assert sniff_media_type(data, name) == expected


def test_read_path_records_the_source(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    data = b"Policy 8.01.01\r\nCPT 86357\r\n"
    path.write_bytes(data)
    result = read_path(path)
    assert result.source.path == str(path)
    assert result.source.sha256 == hashlib.sha256(data).hexdigest()
    assert result.source.media_type == TEXT
    assert result.text.text == "Policy 8.01.01\nCPT 86357\n"


def test_files_over_the_limit_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk space used
    with pytest.raises(UnreadableDocument) as caught:
        read_path(path)
    assert caught.value.reason == "file is 200.0 MB; the limit is 100 MB"
    assert caught.value.path == str(path)


def test_a_smaller_limit_is_reported_in_bytes(tmp_path: Path) -> None:
    path = tmp_path / "small.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(UnreadableDocument, match=r"file is 2,000 bytes; the limit is 1,000 bytes"):
        read_path(path, max_bytes=1000)


def test_empty_missing_and_directory(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableDocument, match=r"empty.pdf: empty file$"):
        read_path(empty)
    with pytest.raises(UnreadableDocument, match=r"missing.pdf: no such file$"):
        read_path(tmp_path / "missing.pdf")
    with pytest.raises(UnreadableDocument, match=r"is a directory"):
        read_path(tmp_path)
    with pytest.raises(UnreadableDocument, match=r"^bytes.txt: empty file$"):
        read_bytes(b"", "bytes.txt")


def test_content_wins_over_a_misleading_extension_with_a_warning() -> None:
    result = read_bytes(b"<html><body><p>Saved error page</p></body></html>", "policy.pdf")
    assert result.source.media_type == HTML
    assert result.text.text == "Saved error page\n"
    assert result.warnings == ["named .pdf but the content is HTML; read as HTML"]


def test_media_type_overrides_sniffing() -> None:
    markup = b"<p>kept as markup</p>"
    as_text = read_bytes(markup, "x.html", media_type="text/plain; charset=utf-8")
    assert as_text.text.text == "<p>kept as markup</p>"
    assert read_bytes(markup, "x", media_type="application/xhtml+xml").source.media_type == HTML
    with pytest.raises(UnreadableDocument, match=r"unsupported media type 'image/png'"):
        read_bytes(markup, "x", media_type="image/png")


def test_binary_junk_and_foreign_archives_are_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"^blob: binary data that is not PDF, HTML, DOCX or text$"):
        read_bytes(bytes(range(256)) * 4, "blob")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b")
    with pytest.raises(UnreadableDocument, match=r"zip archive that is not a DOCX"):
        read_bytes(buffer.getvalue(), "data.zip")
