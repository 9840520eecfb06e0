"""The workbook, read back with openpyxl: types, header, and no formula from user input."""

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape

from app.exports import xlsx
from app.exports.xlsx import write_xlsx, xlsx_chunks
from tests.exports.samples import FORMULAS, NAMES, PARIS, people, row
from tests.exports.test_csv import HEADER


def build(rows) -> bytes:
    output = io.BytesIO()
    write_xlsx(rows, output)
    return output.getvalue()


def sheet_of(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Participants"]
    return workbook.active


def column_widths(sheet) -> dict[str, float]:
    """Return each column's width (XlsxWriter writes equal neighbours as one range)."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[get_column_letter(index)] = dimension.width
    return widths


def test_header_is_bold_frozen_and_filtered():
    sheet = sheet_of(build(people()))

    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(NAMES) + 1}"
    widths = column_widths(sheet)
    assert widths["A"] > 20 and widths["C"] > 30 and widths["D"] > 30
    assert widths["J"] >= 16 and widths["K"] >= 16, "a date and time needs room"


def test_every_name_in_every_script_survives():
    sheet = sheet_of(build(people()))

    names = [(family, given) for family, given, *_ in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == NAMES


def test_dates_are_real_datetimes_in_local_time_and_numbers_are_numbers():
    rows = [
        row(
            status="waitlisted",
            waitlist_position=3,
            registered_at=datetime(2027, 4, 16, 14, 5, tzinfo=PARIS),
        ),
        row(
            registered_at=datetime(2027, 1, 2, 9, 0, tzinfo=PARIS),
            checked_in_at=datetime(2027, 4, 16, 13, 52, tzinfo=PARIS),
        ),
    ]

    sheet = sheet_of(build(rows))

    waiting, present = sheet[2], sheet[3]
    assert waiting[7].value == "En liste d'attente"
    assert waiting[8].value == 3 and waiting[8].data_type == "n"
    assert waiting[9].value == datetime(2027, 4, 16, 14, 5)
    assert waiting[9].is_date and waiting[9].number_format == "yyyy-mm-dd hh:mm"
    assert waiting[10].value is None
    assert present[7].value == "Confirmée"
    assert present[8].value is None
    assert present[9].value == datetime(2027, 1, 2, 9, 0)
    assert present[10].value == datetime(2027, 4, 16, 13, 52) and present[10].is_date


def test_no_formula_from_user_input():
    rows = [
        row(family_name=value, given_name=value, organisation=value, job_title=value)
        for value in FORMULAS
    ]

    data = build(rows)

    sheet = sheet_of(data)
    for line, value in zip(sheet.iter_rows(min_row=2), FORMULAS, strict=True):
        for cell in (line[0], line[1], line[3], line[4]):
            assert cell.data_type == "s", (cell.coordinate, cell.value)
            # A CR is written as Excel's escape _x000D_ (XML would turn it into a LF).
            assert unescape(cell.value) == value, "nothing stripped, nothing added"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_ticket_code_is_never_written():
    data = build([row(code="SECRET-ticket-code-0123456789abcdef")])

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert b"SECRET-ticket-code" not in archive.read(name), name


def test_write_returns_the_row_count_and_an_empty_list_has_its_header():
    output = io.BytesIO()

    assert write_xlsx([], output) == 0
    sheet = sheet_of(output.getvalue())
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.max_row == 1
    assert write_xlsx(people(), io.BytesIO()) == len(NAMES)


def test_the_workbook_streams_as_its_rows_are_read():
    consumed = 0

    def source():
        nonlocal consumed
        for n in range(3 * xlsx.CHUNK_ROWS):
            consumed += 1
            yield row(f"Nom{n:05d}")

    chunks = xlsx_chunks(source())
    first = next(chunks)

    assert first.startswith(b"PK") and consumed == 0, "bytes leave before any row is read"
    second = next(chunks)
    assert consumed <= xlsx.CHUNK_ROWS + 1
    data = first + second + b"".join(chunks)
    sheet = sheet_of(data)
    assert sheet.max_row == 3 * xlsx.CHUNK_ROWS + 1
    assert sheet[f"A{3 * xlsx.CHUNK_ROWS + 1}"].value == f"Nom{3 * xlsx.CHUNK_ROWS - 1:05d}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


def test_control_characters_and_excel_escapes_survive():
    values = ["a\x01b", "_x0041_", "tab\there"]

    sheet = sheet_of(build([row(organisation=value) for value in values]))

    assert [unescape(sheet[f"D{n}"].value) for n in (2, 3, 4)] == values


@pytest.mark.parametrize("value", ["x" * 100, "Ligne 1\nLigne 2", "<b>&amp;</b>"])
def test_text_is_kept_as_typed(value):
    sheet = sheet_of(build([row(organisation=value)]))

    assert sheet["D2"].value == value
