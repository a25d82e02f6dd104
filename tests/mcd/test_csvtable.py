"""Reading one MCD table: encodings, quoting, line ends, and errors that name file, line and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medpolicy.errors import ImportFormatError
from medpolicy.mcd.archive import TableSource
from medpolicy.mcd.csvtable import Table, decode, read_table
from medpolicy.mcd.tables import SPEC_BY_NAME

GROUP_SPEC = SPEC_BY_NAME["article_x_hcpc_code_group"]
HEADER = b"article_id,article_version,hcpc_code_group,paragraph,last_updated\n"


def source_of(data: bytes, name: str = "article_x_hcpc_code_group.csv") -> TableSource:
    return TableSource(name.removesuffix(".csv"), name, lambda: io.BytesIO(data))


def read(data: bytes, spec_name: str = "article_x_hcpc_code_group") -> Table:
    spec = SPEC_BY_NAME[spec_name]
    table = Table(spec)
    read_table(source_of(data, f"{spec_name}.csv"), spec, table, {})
    return table


def test_utf8_with_windows_1252_bytes_bom_and_crlf() -> None:
    data = b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n") + (
        "59001,5,1,\"WidgetPro\u2122 \u201cJB\u201d caf\u00e9\",2025-01-02\r\n".encode("utf-8")
        + b'59001,5,2,"ExampleMab\x99 \x93JA\x94",2025-01-02\r\n'
    )
    rows = read(data).rows
    assert [row["paragraph"] for row in rows] == ["WidgetPro™ “JB” café", "ExampleMab™ “JA”"]
    assert [row.line for row in rows] == [2, 3]
    assert rows[0]["article_id"] == "59001"  # the BOM is not part of the first column's name


def test_undefined_windows_1252_bytes_become_replacement_characters() -> None:
    assert decode(b"a\x81b\x9dc") == "a\ufffdb\ufffdc"


def test_embedded_line_breaks_keep_line_numbers_of_record_starts() -> None:
    data = HEADER + b'59001,5,1,"<p>one</p>\r\n<p>two</p>\n<p>three</p>",x\n59001,5,2,"",y\n'
    rows = read(data).rows
    assert rows[0]["paragraph"] == "<p>one</p>\r\n<p>two</p>\n<p>three</p>"
    assert [row.line for row in rows] == [2, 5]
    assert rows[1].where() == "article_x_hcpc_code_group.csv, line 5"


def test_mixed_quoting_doubled_quotes_and_column_order() -> None:
    data = (
        b'"hcpc_code_group","paragraph","article_version","article_id","ignored_new_column"\n'
        b'1,"<p style=""x"">a</p>","5",59001,zzz\n'
    )
    row = read(data).rows[0]
    assert (row["article_id"], row["article_version"], row["hcpc_code_group"]) == ("59001", "5", "1")
    assert row["paragraph"] == '<p style="x">a</p>'


def test_header_names_are_case_insensitive_and_optional_columns_may_be_missing() -> None:
    data = b"NCD_id,NCD_vrsn_num,NCD_mnl_sect_title\n501,2,Widget Monitoring\n"
    table = read(data, "ncd_trkg")
    assert table.rows[0]["ncd_id"] == "501"
    assert table.rows[0]["indctn_lmtn"] == ""
    assert not table.has("indctn_lmtn")
    assert table.has("ncd_mnl_sect_title")


def test_missing_required_column_names_file_line_and_column() -> None:
    data = b"article_id,article_version,paragraph\n59001,5,x\n"
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    error = caught.value
    assert (error.path, error.line, error.column) == ("article_x_hcpc_code_group.csv", 1, "hcpc_code_group")
    assert str(error).startswith("article_x_hcpc_code_group.csv, line 1, column 'hcpc_code_group': ")


def test_unterminated_quote_is_reported_at_the_record_start_with_its_column() -> None:
    data = HEADER + b'59001,5,1,"fine",x\n59001,5,2,"<p>cut short\n<p>more text\n'
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    assert caught.value.line == 3
    assert caught.value.column == "paragraph"
    assert "never closed" in caught.value.reason


def test_stray_quote_after_a_quoted_cell() -> None:
    data = HEADER + b'59001,5,1,"a"b,x\n'
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    assert (caught.value.line, caught.value.column) == (2, "paragraph")


@pytest.mark.parametrize(
    ("row", "column"), [(b"59001,5,1\n", "paragraph"), (b"59001,5,1,a,b,extra\n", "field 6")]
)
def test_rows_with_the_wrong_number_of_cells(row: bytes, column: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read(HEADER + b"59001,5,1,ok,x\n" + row)
    assert (caught.value.line, caught.value.column) == (3, column)


def test_empty_file() -> None:
    with pytest.raises(ImportFormatError, match="empty") as caught:
        read(b"")
    assert caught.value.path == "article_x_hcpc_code_group.csv"


def test_a_quote_never_closed_in_the_first_cell_of_a_later_line() -> None:
    data = HEADER + b'59001,5,1,"a",x\n"59002,5,1,b,x\n59003,5,1,c,x\n'
    with pytest.raises(ImportFormatError) as caught:
        read(data)
    assert (caught.value.line, caught.value.column) == (3, "article_id")


def test_short_cells_are_shared_between_rows() -> None:
    table = read(HEADER + b"59001,5,1,a,x\n59001,5,2,b,x\n")
    first, second = table.rows
    assert first["article_id"] is second["article_id"]


# --- properties -----------------------------------------------------------------------------------------

# No bare CR: Python's csv writer leaves a cell holding one unquoted when lines end in LF (a broken file).
cells = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(cells, min_size=1, max_size=6), crlf=st.booleans(), quote_all=st.booleans())
def test_any_cells_written_as_csv_read_back(paragraphs: list[str], crlf: bool, quote_all: bool) -> None:
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n", quoting=quoting)
    writer.writerow(["article_id", "article_version", "hcpc_code_group", "paragraph", "last_updated"])
    for number, paragraph in enumerate(paragraphs, start=1):
        writer.writerow(["59001", "5", str(number), paragraph, "2025-01-02"])
    rows = read(out.getvalue().encode("utf-8")).rows
    assert [row["paragraph"] for row in rows] == [p.strip() for p in paragraphs]
    assert [row["hcpc_code_group"] for row in rows] == [str(n) for n in range(1, len(paragraphs) + 1)]


@settings(max_examples=300)
@given(body=st.binary(max_size=300))
def test_arbitrary_bytes_read_or_raise_import_format_error(body: bytes) -> None:
    try:
        table = read(HEADER + body)
    except ImportFormatError as error:
        assert error.path == "article_x_hcpc_code_group.csv"
        return
    assert all(len(row.key()) == len(GROUP_SPEC.columns) for row in table.rows)


def test_cells_larger_than_the_csv_module_default_limit(tmp_path: Path) -> None:
    big = "<p>" + "x" * 200_000 + "</p>"
    table = read(HEADER + f'59001,5,1,"{big}",x\n'.encode())
    assert len(table.rows[0]["paragraph"]) == len(big)
