"""The attendee list as CSV that opens right in Excel and LibreOffice.

UTF-8 with a byte order mark (without it Excel reads the accents as Windows-1252), `;` by
default (French Excel splits on it), RFC 4180 quoting and CRLF line ends. Dates are ISO 8601
("2026-12-02 06:52"), which no spreadsheet reads day-first or month-first.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from app.exports.rows import (
    COLUMNS,
    FULL_COLUMNS,
    AttendeeRow,
    column_headers,
    local_time,
    status_labels,
)

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


def csv_chunks(
    rows: Iterable[AttendeeRow],
    *,
    separator: str = ";",
    columns: tuple[str, ...] = FULL_COLUMNS,
) -> Iterator[bytes]:
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

    kinds = [(key, COLUMNS[key].kind) for key in columns]
    buffer.write(BOM)
    writer.writerow(column_headers(columns))
    yield drain()
    pending = 0
    for row in rows:
        writer.writerow([_value(getattr(row, key), kind, labels) for key, kind in kinds])
        pending += 1
        if pending == CHUNK_ROWS:
            yield drain()
            pending = 0
    if pending:
        yield drain()


def _value(value, kind: str, labels: dict[str, str]):
    if kind == "datetime":
        return local_time(value)
    if kind == "status":
        return labels.get(value, value)
    if value is None:
        return ""
    return value if kind == "number" else neutralise(value)
