"""Finding the tables of a Medicare Coverage Database download: a folder, a .zip, or one .csv table.

CMS ships each download as a zip that holds another zip of CSV files (`current_lcd.zip`
→ `current_lcd_csv.zip` → `lcd.csv`, ...), beside readme files and Access databases.
Folders and zips are searched recursively (zips inside zips up to `MAX_ZIP_DEPTH`);
each CSV named after a known table becomes a `TableSource`, read only when needed.
A table found twice with the same content (an unpacked copy beside its zip) is read once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from medpolicy.errors import ImportFormatError
from medpolicy.mcd.tables import table_name

MAX_ZIP_DEPTH = 3
SPOOL_BYTES = 64 << 20  # nested zips up to this size stay in memory, larger ones go to a temporary file
_ACCESS_ZIP_SUFFIX = "_mdb.zip"  # CMS ships each download as CSV files and as an Access database
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,  # damaged archive, wrong CRC
    zlib.error,  # damaged compressed data
    NotImplementedError,  # a compression method zipfile does not support
    RuntimeError,  # an encrypted member
    OSError,
    EOFError,
    ValueError,
)
"""What reading a file or zip member can raise when the bytes are damaged or encrypted."""


@dataclass(frozen=True, slots=True)
class TableSource:
    """One CSV file holding an MCD table; `open()` gives its bytes from the start."""

    table: str
    label: str  # where it is, for messages: "current_lcd.zip!current_lcd_csv.zip!lcd.csv"
    open: Callable[[], IO[bytes]]


@dataclass(slots=True)
class Download:
    """The tables found under a path, and the files there that are not MCD tables."""

    path: str
    sources: list[TableSource] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def tables(self) -> set[str]:
        return {source.table for source in self.sources}

    def sources_of(self, table: str) -> list[TableSource]:
        return [source for source in self.sources if source.table == table]


@contextmanager
def open_download(path: str | os.PathLike[str]) -> Iterator[Download]:
    """The tables under `path`, readable until the block ends. ImportFormatError if there are none."""
    given = Path(path).expanduser()
    label = str(path)
    download = Download(label)
    seen: dict[tuple[str, str], str] = {}
    with ExitStack() as resources:
        finder = _Finder(download, seen, resources)
        if given.is_dir():
            finder.folder(given, label)
        elif given.is_file():
            finder.named_file(given, label)
        elif given.exists():
            raise ImportFormatError(label, "not a regular file or folder")
        else:
            raise ImportFormatError(label, "no such file or folder")
        if not download.sources:
            raise ImportFormatError(
                label,
                "no Medicare Coverage Database tables found (expected CSV files such as lcd.csv, "
                "article_x_hcpc_code.csv or ncd_trkg.csv, in a folder or a .zip)",
            )
        yield download


@dataclass(slots=True)
class _Finder:
    download: Download
    seen: dict[tuple[str, str], str]  # (table, content fingerprint) -> label of the first copy
    resources: ExitStack

    def folder(self, folder: Path, label: str) -> None:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                file = Path(root, name)
                file_label = os.path.join(label, os.path.relpath(file, folder))
                if name.lower().endswith(".zip"):
                    self.zip_file(file, file_label)
                else:
                    self.plain_file(file, file_label)

    def named_file(self, file: Path, label: str) -> None:
        """A file the user named: a zip, else it must be an MCD table."""
        head = _head(file, label)
        if head.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)) or file.suffix.lower() == ".zip":
            self.zip_file(file, label)
            return
        if table_name(file.name) is None:
            raise ImportFormatError(
                label,
                "not a Medicare Coverage Database download: give the folder or .zip CMS publishes, "
                "or one of its tables (a .csv file named after the table, such as lcd_x_hcpc_code.csv)",
            )
        self.plain_file(file, label)

    def plain_file(self, file: Path, label: str) -> None:
        table = table_name(file.name)
        if table is None:
            self.download.ignored.append(label)
            return
        self.add(table, label, _file_fingerprint(file, label), lambda: file.open("rb"))

    def zip_file(self, file: Path, label: str) -> None:
        try:
            archive = self.resources.enter_context(zipfile.ZipFile(file))
        except READ_ERRORS as exc:
            raise ImportFormatError(label, f"not a readable ZIP archive ({exc})") from None
        self.zip_members(archive, label, depth=1)

    def zip_members(self, archive: zipfile.ZipFile, label: str, depth: int) -> None:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = info.filename
            base = name.rstrip("/").rsplit("/", 1)[-1]
            if info.is_dir() or base.startswith(".") or name.startswith("__MACOSX/"):
                continue
            member_label = f"{label}!{name}"
            if base.lower().endswith(_ACCESS_ZIP_SUFFIX):  # the same tables as an Access database
                self.download.ignored.append(member_label)
                continue
            if base.lower().endswith(".zip"):
                if depth >= MAX_ZIP_DEPTH:
                    raise ImportFormatError(member_label, f"zips nested more than {MAX_ZIP_DEPTH} deep")
                self.zip_members(self.inner_zip(archive, info, member_label), member_label, depth + 1)
                continue
            table = table_name(base)
            if table is None:
                self.download.ignored.append(member_label)
                continue
            fingerprint = f"{info.CRC:08x}:{info.file_size}"
            self.add(table, member_label, fingerprint, _member_opener(archive, info))

    def inner_zip(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> zipfile.ZipFile:
        # Closed with the download (ExitStack), after the tables inside have been read.
        spool = self.resources.enter_context(tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES))  # noqa: SIM115
        try:
            with archive.open(info) as member:
                shutil.copyfileobj(member, spool, 1 << 20)
            spool.seek(0)
            return self.resources.enter_context(zipfile.ZipFile(spool))
        except READ_ERRORS as exc:
            raise ImportFormatError(label, f"not a readable ZIP archive ({exc})") from None

    def add(self, table: str, label: str, fingerprint: str, opener: Callable[[], IO[bytes]]) -> None:
        first = self.seen.setdefault((table, fingerprint), label)
        if first != label:
            self.download.duplicates.append(f"{label} (same as {first})")
            return
        self.download.sources.append(TableSource(table, label, opener))


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(info)


def _head(file: Path, label: str) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.read(4)
    except OSError as exc:
        raise ImportFormatError(label, f"cannot be read ({exc.strerror or exc})") from None


def _file_fingerprint(file: Path, label: str) -> str:
    """CRC-32 and size, as a zip records them, so an unpacked copy matches its zip member."""
    crc, size = 0, 0
    try:
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                crc = zlib.crc32(block, crc)
                size += len(block)
    except OSError as exc:
        raise ImportFormatError(label, f"cannot be read ({exc.strerror or exc})") from None
    return f"{crc:08x}:{size}"
