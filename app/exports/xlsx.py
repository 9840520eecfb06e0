"""The attendee list as an Excel workbook, written row by row in constant memory.

XlsxWriter's constant-memory mode flushes each row to a temporary file as soon as the next
one starts and writes strings inline (no shared-string table), so memory does not grow with
the number of rows. Every value typed by a registrant is written with `write_string`: it
stays text, never a formula, and keeps every character ("+33 1 23 45 67 89" included).
"""

import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import xlsxwriter

from app.exports.rows import COLUMN_WIDTHS, AttendeeRow, column_headers, status_labels

SHEET_NAME = "Participants"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
CHUNK_BYTES = 64 * 1024
_DATE_COLUMNS = (7, 8)


def write_xlsx(
    rows: Iterable[AttendeeRow], output: str | os.PathLike | BinaryIO, *, tmpdir: str | None = None
) -> int:
    """Write the workbook to a path or binary file; return the number of attendee rows.

    Dates are Excel datetimes in the event's local time (Excel has no time zones).
    """
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "tmpdir": tmpdir,
            # Belt and braces: `write()` would otherwise guess types from text.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    when = workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
    sheet = workbook.add_worksheet(SHEET_NAME)
    for column, width in enumerate(COLUMN_WIDTHS):
        sheet.set_column(column, column, width, when if column in _DATE_COLUMNS else None)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 30)
    headers = column_headers()
    for column, title in enumerate(headers):
        sheet.write_string(0, column, title, header)

    labels = status_labels()
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.write_string(count, 0, row.family_name)
        sheet.write_string(count, 1, row.given_name)
        sheet.write_string(count, 2, row.email)
        sheet.write_string(count, 3, row.organisation)
        sheet.write_string(count, 4, row.job_title)
        sheet.write_string(count, 5, labels.get(row.status, row.status))
        if row.waitlist_position is not None:
            sheet.write_number(count, 6, row.waitlist_position)
        sheet.write_datetime(count, 7, row.registered_at.replace(tzinfo=None), when)
        if row.checked_in_at is not None:
            sheet.write_datetime(count, 8, row.checked_in_at.replace(tzinfo=None), when)
    sheet.autofilter(0, 0, count, len(headers) - 1)
    workbook.close()
    return count


def xlsx_chunks(rows: Iterable[AttendeeRow], *, chunk_size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Yield the workbook in chunks of bytes, written first to a temporary file.

    A zip file is complete only once written, so the first chunk comes after the last row
    has been read; the temporary files are removed when the iterator ends or is closed.
    """
    with tempfile.TemporaryDirectory(prefix="accueil-xlsx-") as directory:
        path = os.path.join(directory, "participants.xlsx")
        write_xlsx(rows, path, tmpdir=directory)
        with open(path, "rb") as workbook:
            while chunk := workbook.read(chunk_size):
                yield chunk
