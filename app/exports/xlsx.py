"""The attendee list as an Excel workbook, streamed: its first bytes leave at once.

A workbook is a zip of XML parts. The zip is written to a sink that the response drains
(`zipfile` writes an unseekable stream with data descriptors), and the sheet's XML is written
row by row, so the download starts with the first rows and memory stays flat however many
rows follow; nothing touches the disk. Strings are written inline (no shared-string table)
and every value typed by a registrant is a string cell: it stays text, never a formula, and
keeps every character ("+33 1 23 45 67 89" included; control characters as Excel's `_xHHHH_`).
Dates are real Excel dates in the event's local time (Excel has no time zones).
"""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import BinaryIO
from xml.sax.saxutils import escape

from app.exports.rows import COLUMNS, FULL_COLUMNS, AttendeeRow, column_headers, status_labels

SHEET_NAME = "Participants"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Rows written between two chunks handed to the response.
CHUNK_ROWS = 500
EPOCH = datetime(1899, 12, 30)
#: Characters XML 1.0 cannot hold, and those a parser would change (CR), as `_xHHHH_`.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"

_STATIC = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
        f'formatCode="{DATETIME_FORMAT}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>'
        "<diagonal/></border></borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="1" '
        'xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment '
        'vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" '
        'borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment '
        'horizontal="left"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
        'xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


class _Sink(io.RawIOBase):
    """An unseekable file that keeps what is written until it is drained."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def xlsx_chunks(
    rows: Iterable[AttendeeRow], *, columns: tuple[str, ...] = FULL_COLUMNS
) -> Iterator[bytes]:
    """Yield the workbook in chunks of bytes, the first before any row is read."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, xml in _STATIC.items():
            archive.writestr(name, _HEAD + xml)
        archive.writestr("xl/workbook.xml", _HEAD + _workbook(len(columns)))
        yield sink.drain()
        count = 0
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_sheet_start(columns).encode())
            labels = status_labels()
            kinds = [COLUMNS[key].kind for key in columns]
            lines = []
            for count, row in enumerate(rows, start=2):
                lines.append(_row(count, row, columns, kinds, labels))
                if len(lines) == CHUNK_ROWS:
                    sheet.write("".join(lines).encode())
                    lines = []
                    yield sink.drain()
            sheet.write("".join(lines).encode())
            last = max(count, 1)
            sheet.write(
                f'</sheetData><autoFilter ref="A1:{_column(len(columns))}{last}"/>'
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
                'footer="0.3"/></worksheet>'.encode()
            )
    yield sink.drain()


def write_xlsx(
    rows: Iterable[AttendeeRow], output: BinaryIO, *, columns: tuple[str, ...] = FULL_COLUMNS
) -> int:
    """Write the workbook to a binary file; return the number of attendee rows."""
    counted = [0]

    def counting():
        for row in rows:
            counted[0] += 1
            yield row

    for chunk in xlsx_chunks(counting(), columns=columns):
        output.write(chunk)
    return counted[0]


def _workbook(width: int) -> str:
    return (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets><sheet name="{SHEET_NAME}" '
        'sheetId="1" r:id="rId1"/></sheets><definedNames><definedName '
        f'name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{SHEET_NAME}!$A$1:'
        f"${_column(width)}$1</definedName></definedNames></workbook>"
    )


def _sheet_start(columns: tuple[str, ...]) -> str:
    widths = "".join(
        f'<col min="{n}" max="{n}" width="{COLUMNS[key].width}" customWidth="1"'
        + (' style="2"/>' if COLUMNS[key].kind == "datetime" else "/>")
        for n, key in enumerate(columns, start=1)
    )
    header = "".join(
        f'<c r="{_column(n)}1" s="1" t="inlineStr"><is><t>{_text(title)}</t></is></c>'
        for n, title in enumerate(column_headers(columns), start=1)
    )
    return (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
        f'<row r="1" ht="30" customHeight="1">{header}</row>'
    )


def _row(number: int, row: AttendeeRow, columns, kinds, labels) -> str:
    cells = []
    for index, (key, kind) in enumerate(zip(columns, kinds, strict=True), start=1):
        value = getattr(row, key)
        if value is None or value == "":
            continue
        ref = f"{_column(index)}{number}"
        if kind == "datetime":
            serial = (value.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
            cells.append(f'<c r="{ref}" s="2"><v>{serial:.10f}</v></c>')
        elif kind == "number":
            cells.append(f'<c r="{ref}"><v>{int(value)}</v></c>')
        else:
            text = labels.get(value, value) if kind == "status" else value
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">'
                         f"{_text(text)}</t></is></c>")  # fmt: skip
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text(value: str) -> str:
    return escape(_CONTROL.sub(lambda match: _escape_control(match.group()), value))


def _escape_control(char: str) -> str:
    return "_x005F_" if char == "_" else f"_x{ord(char):04X}_"


def _column(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
