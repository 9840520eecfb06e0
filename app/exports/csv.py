"""The attendee list as CSV that opens right in Excel and LibreOffice.

UTF-8 with a byte order mark (without it Excel reads the accents as Windows-1252), `;` by
default (French Excel splits on it), RFC 4180 quoting and CRLF line ends.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from app.exports.rows import AttendeeRow, column_headers, local_time, status_labels

SEPARATORS = (";", ",")
BOM = "\ufeff"
#: Rows encoded per chunk handed to the response.
CHUNK_ROWS = 500
#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Keep a spreadsheet from running a value: prefix a `'` to formula-like text.

    Nothing is removed, so "+33 1 23 45 67 89" stays readable as "'+33 1 23 45 67 89".
    """
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[AttendeeRow], *, separator: str = ";") -> Iterator[bytes]:
    """Yield the CSV file in chunks of bytes: the BOM and header first, then the rows."""
    if separator not in SEPARATORS:
        raise ValueError(f"separator must be one of {SEPARATORS}, not {separator!r}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    labels = status_labels()

    def drain() -> bytes:
        chunk = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return chunk

    buffer.write(BOM)
    writer.writerow(column_headers())
    yield drain()
    pending = 0
    for row in rows:
        writer.writerow(
            (
                neutralise(row.family_name),
                neutralise(row.given_name),
                neutralise(row.email),
                neutralise(row.organisation),
                neutralise(row.job_title),
                labels.get(row.status, row.status),
                "" if row.waitlist_position is None else row.waitlist_position,
                local_time(row.registered_at),
                local_time(row.checked_in_at),
            )
        )
        pending += 1
        if pending == CHUNK_ROWS:
            yield drain()
            pending = 0
    if pending:
        yield drain()
