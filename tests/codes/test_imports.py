"""Importers: CMS HCPCS, CLFS and PFS layouts, a user's CPT file, errors, idempotency, lookups.

Every file here is written for these tests in the published CMS layouts; descriptions
of CPT codes are invented placeholders.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, func, select

from medpolicy.codes import (
    import_clfs,
    import_cpt,
    import_hcpcs,
    import_pfs,
    lookup_descriptions,
    lookup_fees,
)
from medpolicy.codes.tables import code_descriptions, fee_schedule
from medpolicy.errors import ImportFormatError

from .conftest import WriteFile

ABATACEPT = (
    "Injection, abatacept, 10 mg (code may be used for medicare when drug administered under the direct "
    "supervision of a physician, not for use when drug is self administered)"
)

HCPCS_CSV = f"""hcpc,SEQNUM,RecId,LONG DESCRIPTION,Short Description,PRICE1,MULT_PI
A0021,00100,3,"Ambulance service, outside state per mile, transport",Outside state ambulance,00,9
E0100,00100,3,"<b>Cane</b>, includes canes of all materials, adjustable or fixed, with tip",Cane,32,A
J0129,00100,3,"{ABATACEPT[:80]}",Abatacept injection,51,A
J0129,00300,4,"{ABATACEPT[160:]}",,,
J0129,00200,4,"{ABATACEPT[80:160]}",,,
K0001,00100,3,"Standard
wheelchair",Standard wheelchair,36,A
L3000,00200,4,each,,,
L3000,00100,3,"Foot insert, removable, molded to patient model, ""UCB"" type, Berkeley shell,",Ft insert,32,A
AA   ,00100,7,Anesthesia services performed personally by anesthesiologist,Anes svcs by anesthesiologist,,
"""

CLFS_CSV = """"CY 2025 Q1 Clinical Laboratory Fee Schedule (sample written for tests)",,,,
"Descriptions below are placeholders, not CPT descriptors",,,,
,,,,
YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE,SHORTDESC,LONGDESC,EXTENDEDLONGDESC
2025,G0103,,20250101,N,$19.32,"Psa screening","Prostate specific antigen test, <i>screening</i> &amp; more",
2025,80061,,20250101,N,"1,013.50","Sample panel","Sample lab panel, first line
second line of the description",
2025,80061,QW,20250101,N,13.39,,,
2025,86357,,01/01/2025,N,12.34,"Sample cell count","Sample cell count, total",
"""

PFS_CSV = """"2025 National Physician Fee Schedule Relative Value File January Release",,,,,,,,,,,,,,,
"Sample rows written for tests; descriptions are placeholders",,,,,,,,,,,,,,,
,,,,,,NON-FAC,,FACILITY,,,NON-FACILITY,FACILITY,,,CONV
HCPCS,MOD,DESCRIPTION,STATUS CODE,NOT USED FOR MEDICARE PAYMENT,WORK RVU,PE RVU,NA INDICATOR,\
PE RVU,NA INDICATOR,MP RVU,TOTAL,TOTAL,PCTC IND,GLOB DAYS,FACTOR
99213,,"Office visit, sample",A,,1.30,1.33,,0.53,,0.10,2.76,1.96,0,XXX,32.3465
93000,26,Sample tracing read,A,,0.17,0.06,,0.06,,0.01,0.24,0.24,1,XXX,32.3465
J9035,,<b>Bevacizumab</b> injection,E,,0,0,,0,,0,0,0,9,XXX,32.3465
"""


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


# --- HCPCS ----------------------------------------------------------------------------------------------


def test_hcpcs_csv_with_bom_crlf_quotes_continuations_and_html(engine: Engine, write_file: WriteFile) -> None:
    path = write_file("HCPC2025_JAN_ANWEB.csv", HCPCS_CSV, bom=True, crlf=True)
    summary = import_hcpcs(engine, path)
    assert (summary.rows, summary.inserted, summary.unchanged, summary.updated) == (5, 5, 0, 0)
    assert summary.file == str(path)
    long = {d.kind: d.text for d in lookup_descriptions(engine, "HCPCS", "J0129")}
    assert long == {"long": ABATACEPT, "short": "Abatacept injection"}
    cane = lookup_descriptions(engine, "HCPCS", "E0100")[0]
    assert cane.text == "Cane, includes canes of all materials, adjustable or fixed, with tip"
    assert cane.source == "CMS HCPCS Level II file (HCPC2025_JAN_ANWEB.csv)"
    assert lookup_descriptions(engine, "HCPCS", "K0001")[0].text == "Standard wheelchair"
    insert = lookup_descriptions(engine, "HCPCS", "L3000")[0].text
    assert insert == 'Foot insert, removable, molded to patient model, "UCB" type, Berkeley shell, each'
    assert lookup_descriptions(engine, "HCPCS", "AA") == []


def fixed_width(code: str, seq: int, recid: str, long: str, short: str = "") -> str:
    return f"{code:<5}{seq:05d}{recid}{long:<80}{short:<28}00A  more fields"


def test_hcpcs_fixed_width(engine: Engine, write_file: WriteFile) -> None:
    lines = [
        fixed_width(
            "A0021",
            100,
            "3",
            "Ambulance service, outside state per mile, transport",
            "Outside state ambulance",
        ),
        fixed_width("J0129", 100, "3", ABATACEPT[:80], "Abatacept injection"),
        fixed_width("J0129", 200, "4", ABATACEPT[80:160]),
        fixed_width("J0129", 300, "4", ABATACEPT[160:]),
        fixed_width("AA", 100, "7", "Anesthesia services performed personally by anesthesiologist"),
    ]
    path = write_file("HCPC2025_JAN_ANWEB.txt", "\n".join(lines) + "\n", crlf=True)
    summary = import_hcpcs(engine, path)
    assert summary.rows == 2
    long = [d.text for d in lookup_descriptions(engine, "HCPCS", "J0129") if d.kind == "long"]
    assert long == [ABATACEPT]


def test_hcpcs_fixed_width_errors_name_line_and_column(write_file: WriteFile, engine: Engine) -> None:
    good = fixed_width("A0021", 100, "3", "Ambulance service", "Ambulance")
    bad_record = write_file("bad.txt", good + "\n" + fixed_width("A0080", 100, "X", "Something") + "\n")
    with pytest.raises(ImportFormatError) as caught:
        import_hcpcs(engine, bad_record)
    assert (caught.value.line, caught.value.column) == (2, "RECID")
    assert str(bad_record) in str(caught.value)
    truncated = write_file("short.txt", good + "\nA0080001\n")
    with pytest.raises(ImportFormatError, match="line too short") as caught:
        import_hcpcs(engine, truncated)
    assert caught.value.line == 2
    assert count(engine, code_descriptions) == 0


def test_hcpcs_csv_without_recid_column(engine: Engine, write_file: WriteFile) -> None:
    path = write_file("hcpcs.csv", "HCPC,SEQNUM,LONG DESCRIPTION\nA0021,00100,Ambulance\n")
    with pytest.raises(ImportFormatError, match="no header row"):
        import_hcpcs(engine, path)


# --- CLFS -----------------------------------------------------------------------------------------------


def test_clfs_with_preamble_money_formats_modifiers_and_html(engine: Engine, write_file: WriteFile) -> None:
    path = write_file("CLFS25Q1.csv", CLFS_CSV, bom=True, crlf=True)
    summary = import_clfs(engine, path)
    assert (summary.rows, summary.inserted, summary.unchanged) == (4, 4, 0)
    fees = lookup_fees(engine, "80061")
    assert [(f.modifier, f.amount) for f in fees] == [(None, Decimal("1013.50")), ("QW", Decimal("13.39"))]
    assert fees[0].schedule == "CLFS" and fees[0].year == 2025 and fees[0].effective_date == "2025-01-01"
    assert lookup_fees(engine, "g0103")[0].amount == Decimal("19.32")
    assert lookup_fees(engine, "86357")[0].effective_date == "2025-01-01"
    psa = {d.kind: d.text for d in lookup_descriptions(engine, "HCPCS", "G0103")}
    assert psa == {"short": "Psa screening", "long": "Prostate specific antigen test, screening & more"}
    panel = {d.kind: d.text for d in lookup_descriptions(engine, "CPT", "80061")}
    assert panel["long"] == "Sample lab panel, first line second line of the description"


def test_importing_the_same_file_twice_changes_nothing(engine: Engine, write_file: WriteFile) -> None:
    path = write_file("CLFS25Q1.csv", CLFS_CSV)
    import_clfs(engine, path)
    before = (count(engine, fee_schedule), count(engine, code_descriptions))
    again = import_clfs(engine, path)
    assert (again.rows, again.inserted, again.updated, again.unchanged) == (4, 0, 0, 4)
    assert (count(engine, fee_schedule), count(engine, code_descriptions)) == before


def test_a_newer_file_updates_what_changed(engine: Engine, write_file: WriteFile) -> None:
    import_clfs(engine, write_file("CLFS25Q1.csv", CLFS_CSV))
    newer = write_file("CLFS25Q2.csv", CLFS_CSV.replace("12.34", "12.99"))
    summary = import_clfs(engine, newer)
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 3)
    fee = lookup_fees(engine, "86357")[0]
    assert (fee.amount, fee.source_file) == (Decimal("12.99"), "CLFS25Q2.csv")


def test_clfs_minimal_header(engine: Engine, write_file: WriteFile) -> None:
    summary = import_clfs(engine, write_file("clfs.csv", "hcpcs,rate\n86357,12.34\n"), year=2024)
    assert summary.inserted == 1
    assert (lookup_fees(engine, "86357")[0].year, lookup_fees(engine, "86357")[0].amount) == (
        2024,
        Decimal("12.34"),
    )


def test_clfs_missing_rate_column_names_header_line(engine: Engine, write_file: WriteFile) -> None:
    path = write_file("clfs.csv", '"Title line"\nYEAR,HCPCS,MOD,EFF_DATE\n2025,G0103,,20250101\n')
    with pytest.raises(ImportFormatError) as caught:
        import_clfs(engine, path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 2, "RATE")
    assert f"{path}, line 2, column 'RATE'" in str(caught.value)


def test_clfs_wrong_type_names_line_and_column(engine: Engine, write_file: WriteFile) -> None:
    text = CLFS_CSV.replace("13.39", "thirteen")
    with pytest.raises(ImportFormatError, match="expected an amount, found 'thirteen'") as caught:
        import_clfs(engine, write_file("clfs.csv", text))
    assert (caught.value.line, caught.value.column) == (8, "RATE")
    assert count(engine, fee_schedule) == 0  # all or nothing


def test_clfs_unterminated_quote_names_where_it_opened(engine: Engine, write_file: WriteFile) -> None:
    text = CLFS_CSV + '2025,87999,,20250101,N,10.00,"Short","Long description that never ends\n'
    with pytest.raises(ImportFormatError, match="never closed") as caught:
        import_clfs(engine, write_file("clfs.csv", text))
    assert (caught.value.line, caught.value.column) == (10, "LONGDESC")
    assert count(engine, fee_schedule) == 0


def test_clfs_truncated_row_names_the_missing_column(engine: Engine, write_file: WriteFile) -> None:
    text = CLFS_CSV + "2025,87999,,20250101,N"
    with pytest.raises(ImportFormatError, match="row ends before this column") as caught:
        import_clfs(engine, write_file("clfs.csv", text))
    assert (caught.value.line, caught.value.column) == (10, "RATE")


def test_clfs_bad_date_and_code(engine: Engine, write_file: WriteFile) -> None:
    with pytest.raises(ImportFormatError, match="expected a date") as caught:
        import_clfs(engine, write_file("a.csv", CLFS_CSV.replace("01/01/2025", "soon")))
    assert caught.value.column == "EFF_DATE"
    with pytest.raises(ImportFormatError, match="not a HCPCS/CPT code") as caught:
        import_clfs(engine, write_file("b.csv", CLFS_CSV.replace("86357", "8635")))
    assert (caught.value.line, caught.value.column) == (9, "HCPCS")


@pytest.mark.parametrize("content", ["", "   \n\n", "\ufeff"])
def test_empty_files_are_refused(engine: Engine, write_file: WriteFile, content: str) -> None:
    path = write_file("empty.csv", content)
    for importer in (import_hcpcs, import_clfs, import_pfs, import_cpt):
        with pytest.raises(ImportFormatError, match="empty") as caught:
            importer(engine, path)
        assert caught.value.path == str(path)


def test_missing_and_binary_files_are_refused(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="no such file"):
        import_clfs(engine, tmp_path / "absent.csv")
    workbook = tmp_path / "clfs.xlsx"
    workbook.write_bytes(b"PK\x03\x04rest of a zip")
    with pytest.raises(ImportFormatError, match="save the sheet as CSV"):
        import_clfs(engine, workbook)


# --- PFS ------------------------------------------------------------------------------------------------


def test_pfs_two_row_header_and_national_payment(engine: Engine, write_file: WriteFile) -> None:
    summary = import_pfs(engine, write_file("PPRRVU25_JAN.csv", PFS_CSV, crlf=True))
    assert (summary.rows, summary.inserted) == (3, 3)
    office = lookup_fees(engine, "99213")[0]
    assert (office.schedule, office.year, office.status) == ("PFS", 2025, "A")
    assert (office.work_rvu, office.pe_rvu_nonfacility, office.pe_rvu_facility, office.mp_rvu) == (
        Decimal("1.30"),
        Decimal("1.33"),
        Decimal("0.53"),
        Decimal("0.10"),
    )
    assert (office.total_rvu_nonfacility, office.total_rvu_facility) == (Decimal("2.76"), Decimal("1.96"))
    assert office.conversion_factor == Decimal("32.3465")
    assert office.amount == Decimal("89.28")  # 2.76 x 32.3465 = 89.276...
    assert office.facility_amount == Decimal("63.40")  # 1.96 x 32.3465 = 63.399...
    assert lookup_fees(engine, "93000")[0].modifier == "26"
    assert lookup_descriptions(engine, "CPT", "93000") == []  # only unmodified rows describe a code
    bevacizumab = lookup_descriptions(engine, "HCPCS", "J9035")[0]
    assert (bevacizumab.text, bevacizumab.kind) == ("Bevacizumab injection", "short")


def test_pfs_single_row_header_without_factor_or_totals(engine: Engine, write_file: WriteFile) -> None:
    text = (
        "HCPCS,MOD,DESCRIPTION,STATUS CODE,WORK RVU,NON-FACILITY PE RVU,FACILITY PE RVU,MP RVU\n"
        "99213,,Office visit sample,A,1.30,1.33,0.53,0.10\n"
    )
    import_pfs(engine, write_file("PPRRVU24_JAN.csv", text))
    fee = lookup_fees(engine, "99213")[0]
    assert fee.year == 2024
    assert (fee.total_rvu_nonfacility, fee.total_rvu_facility) == (Decimal("2.73"), Decimal("1.93"))
    assert fee.amount is None


def test_pfs_needs_a_year(engine: Engine, write_file: WriteFile) -> None:
    text = "HCPCS,MOD,WORK RVU\n99213,,1.30\n"
    with pytest.raises(ImportFormatError, match="which year"):
        import_pfs(engine, write_file("rvu.csv", text))
    assert import_pfs(engine, write_file("rvu.csv", text), year=2023).inserted == 1
    assert lookup_fees(engine, "99213")[0].year == 2023


def test_pfs_missing_work_column(engine: Engine, write_file: WriteFile) -> None:
    text = '"2025 file"\nHCPCS,MOD,MP RVU\n99213,,0.10\n'
    with pytest.raises(ImportFormatError) as caught:
        import_pfs(engine, write_file("rvu.csv", text))
    assert (caught.value.line, caught.value.column) == (2, "WORK RVU")


# --- CPT ------------------------------------------------------------------------------------------------


def test_cpt_file_without_header(engine: Engine, write_file: WriteFile) -> None:
    path = write_file(
        "my_cpt.csv", '86357,"Sample descriptor, licensed"\n0537T,Another sample\nJ9035,Drug sample\n'
    )
    assert import_cpt(engine, path).inserted == 3
    found = lookup_descriptions(engine, "CPT", "86357")[0]
    assert (found.text, found.kind) == ("Sample descriptor, licensed", "long")
    assert found.source == "user CPT file my_cpt.csv"
    assert lookup_descriptions(engine, "HCPCS", "J9035")[0].text == "Drug sample"


def test_cpt_file_with_header_extra_columns_and_tabs(engine: Engine, write_file: WriteFile) -> None:
    path = write_file("cpt.txt", "Version\tCode\tDescription\n2025\t99213\t<p>Sample visit</p>\n", bom=True)
    assert import_cpt(engine, path).rows == 1
    assert lookup_descriptions(engine, "CPT", "99213")[0].text == "Sample visit"


def test_cpt_file_errors(engine: Engine, write_file: WriteFile) -> None:
    with pytest.raises(ImportFormatError, match="not a CPT or HCPCS code") as caught:
        import_cpt(engine, write_file("a.csv", "code,description\n86357,Sample\nC34.90,Not a procedure\n"))
    assert (caught.value.line, caught.value.column) == (3, "code")
    with pytest.raises(ImportFormatError, match="description is empty") as caught:
        import_cpt(engine, write_file("b.csv", "86357,\n"))
    assert (caught.value.line, caught.value.column) == (1, "description")
    with pytest.raises(ImportFormatError) as caught:
        import_cpt(engine, write_file("c.csv", "code,text\n86357,Sample\n"))
    assert caught.value.column == "description"
    assert count(engine, code_descriptions) == 0


# --- lookups and robustness ---------------------------------------------------------------------------


def test_lookups_on_a_store_without_catalog_tables(tmp_path: Path) -> None:
    bare = create_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    assert lookup_descriptions(bare, "CPT", "86357") == []
    assert lookup_fees(bare, "86357") == []
    bare.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_arbitrary_bytes_import_or_fail_cleanly(engine: Engine, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    for importer in (import_hcpcs, import_clfs, import_pfs, import_cpt):
        try:
            importer(engine, path)
        except ImportFormatError as exc:
            assert str(path) in str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet='ab,"\n\r$.0123456789 ', max_size=20), max_size=6))
def test_mangled_clfs_rows_import_or_fail_cleanly(engine: Engine, tmp_path: Path, tails: list[str]) -> None:
    path = tmp_path / "clfs.csv"
    header = "YEAR,HCPCS,MOD,EFF_DATE,INDICATOR,RATE,SHORTDESC,LONGDESC\n"
    path.write_text(header + "".join(f"2025,86357,,20250101,N,{tail}\n" for tail in tails), encoding="utf-8")
    try:
        import_clfs(engine, path)
    except ImportFormatError as exc:
        assert exc.line is not None
