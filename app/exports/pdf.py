"""Printed sheets: the sign-in sheet (feuille d'émargement) and name badges, A4.

Text is set in Noto Sans from the `fontpkg-noto-sans` package, embedded (subset) in the
PDF: it covers Latin with every accent and Vietnamese, Greek and Cyrillic. The package ships
a variable font; ReportLab embeds its default instance, Regular (no bold here). Names are
normalised to NFC, since ReportLab places glyphs without shaping and a separate combining
accent would not sit on its letter.
"""

import functools
import io
import unicodedata
from collections.abc import Iterable
from xml.sax.saxutils import escape

import fontpkg
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from app.exports.rows import AttendeeRow, EventHeading, sort_key

FONT = "AccueilNotoSans"
FONT_FAMILY = "Noto Sans"
MARGIN = 15 * mm
#: Row number, family name, given name, organisation, signature: the signature is widest.
SIGN_IN_WIDTHS = (11 * mm, 38 * mm, 32 * mm, 45 * mm, 54 * mm)
#: Left plus right padding of a table cell (ReportLab's default: 6 points each side).
CELL_PADDING = 12
GREY = colors.Color(0.9, 0.9, 0.92)
BLUE = colors.Color(0, 0, 0x91 / 255)  # #000091


@functools.cache
def font_name() -> str:
    """Register the Unicode font once per process and return its ReportLab name."""
    pdfmetrics.registerFont(TTFont(FONT, str(fontpkg.path(FONT_FAMILY))))
    return FONT


def sign_in_sheet_pdf(heading: EventHeading, rows: Iterable[AttendeeRow]) -> bytes:
    """Return the sign-in sheet of the given rows (the caller passes the confirmed ones).

    Rows are sorted by family name then given name (`rows.sort_key`), whatever order they
    come in; the table's header row is repeated on every page, and each page says
    "page n / N".
    """
    font = font_name()
    people = sorted(rows, key=sort_key)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12)
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=19, textColor=BLUE)
    line = ParagraphStyle("line", fontName=font, fontSize=10.5, leading=14)

    header = ["N°", _("Nom"), _("Prénom"), _("Organisation"), _("Signature")]
    data = [header]
    family_width, given_width, organisation_width = SIGN_IN_WIDTHS[1:4]
    for number, person in enumerate(people, start=1):
        data.append(
            [
                str(number),
                _cell(person.family_name, family_width, cell),
                _cell(person.given_name, given_width, cell),
                _cell(person.organisation, organisation_width, cell),
                "",
            ]
        )
    table = LongTable(data, colWidths=SIGN_IN_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("BACKGROUND", (0, 0), (-1, 0), GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                # Room to sign: every attendee row is at least about 10 mm high.
                ("TOPPADDING", (0, 1), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 8),
            ]
        )
    )
    count = len(people)
    story = [
        Paragraph(_text(heading.title), title),
        Paragraph(_text(heading.dates), line),
        Paragraph(_text(heading.place), line),
        Spacer(1, 4 * mm),
        Paragraph(
            _text(
                ngettext(
                    "Feuille d'émargement : %(num)d participant confirmé",
                    "Feuille d'émargement : %(num)d participants confirmés",
                    count,
                )
            ),
            line,
        ),
        Spacer(1, 3 * mm),
        table,
    ]
    return _build(story, heading.title, _("Feuille d'émargement"))


def badges_pdf(heading: EventHeading, rows: Iterable[AttendeeRow]) -> bytes:
    """Return name badges, ten per A4 page (2 × 5 labels of 90 × 54 mm), in name order."""
    font = font_name()
    width, height = 90 * mm, 54 * mm
    left = (A4[0] - 2 * width) / 2
    top = A4[1] - (A4[1] - 5 * height) / 2
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font)
    sheet.setTitle(f"{_('Badges')} – {heading.title}")
    people = sorted(rows, key=sort_key)
    for index, person in enumerate(people):
        slot = index % 10
        if index and slot == 0:
            sheet.showPage()
        x = left + (slot % 2) * width
        y = top - (slot // 2 + 1) * height
        sheet.setStrokeColor(colors.lightgrey)
        sheet.rect(x, y, width, height)
        centre = x + width / 2
        lines = (
            (_nfc(person.given_name), 16, 34 * mm),
            (_nfc(person.family_name), 20, 24 * mm),
            (_nfc(person.organisation), 10, 14 * mm),
            (_nfc(heading.title), 7, 5 * mm),
        )
        for text, size, baseline in lines:
            size = _fit(text, font, size, width - 8 * mm)
            text = _fit_text(text, width - 8 * mm, size)
            sheet.setFont(font, size)
            sheet.setFillColor(BLUE if baseline == 5 * mm else colors.black)
            sheet.drawCentredString(centre, y + baseline, text)
    sheet.save()
    return buffer.getvalue()


class _NumberedCanvas(canvas.Canvas):
    """A canvas that holds its pages until the end, to write "page n / N" on each."""

    footer_title = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.setFont(font_name(), 8)
        self.setFillColor(colors.black)
        self.drawString(MARGIN, 9 * mm, _fit_text(self.footer_title, 120 * mm))
        label = _("page %(number)d / %(total)d", number=self._pageNumber, total=total)
        self.drawRightString(A4[0] - MARGIN, 9 * mm, label)


def _build(story: list, title: str, subject: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{subject} – {title}",
        author="Accueil",
        lang="fr-FR",
        # Without it, every page would also reference Helvetica, a font not embedded.
        initialFontName=font_name(),
    )
    canvas_class = type("SheetCanvas", (_NumberedCanvas,), {"footer_title": title})
    document.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Paragraph:
    """Return the text as is when it fits on one line, else a Paragraph that wraps it.

    Plain strings are several times faster to lay out; most names fit.
    """
    text = _nfc(text)
    if pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= width - CELL_PADDING:
        return text
    return Paragraph(escape(text), style)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _text(text: str) -> str:
    """Make text safe for a Paragraph, whose input is markup."""
    return escape(_nfc(text))


def _fit(text: str, font: str, size: float, width: float, smallest: float = 7) -> float:
    """Shrink a font size until the text fits the width (or the smallest size is reached)."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _fit_text(text: str, width: float, size: float = 8) -> str:
    """Cut text with an ellipsis so that it fits the width at this size."""
    text = _nfc(text)
    if pdfmetrics.stringWidth(text, font_name(), size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font_name(), size) > width:
        text = text[:-1]
    return text + "…"
