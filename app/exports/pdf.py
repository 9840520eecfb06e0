"""Printed sheets, A4: the sign-in sheet (feuille d'émargement), name badges, the certificate.

Every script is printed (see `fonts` and `typeset`): Latin with Polish and Vietnamese, Greek,
Cyrillic, Arabic and Hebrew set right to left, Chinese, Japanese, Korean, Devanagari... A
character no installed font has is printed as a visible replacement mark and logged.

Names and organisations wrap at spaces and hyphens; a word wider than its column makes the
text smaller first, and is cut only if it still does not fit at the smallest size. Badges
shrink a text until it fits and never cut a word.

The layout is computed here, row by row, and written straight to the page (no general-purpose
table engine): a sheet of 10,000 names takes a few seconds, not minutes.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports.pdfdoc import A4, MM, Document
from app.exports.rows import AttendeeRow, EventHeading, sort_key
from app.exports.typeset import Line, fit, layout, widest_word, wrap, wrap_cutting

MARGIN = 15 * MM
BLUE = (0, 0, 0x91 / 255)  # #000091
BLACK = (0, 0, 0)
GREY = (0.9, 0.9, 0.92)
RULE = (0.5, 0.5, 0.5)
#: Row number, family name, given name, organisation, signature: the signature is widest.
SIGN_IN_WIDTHS = (11 * MM, 38 * MM, 32 * MM, 45 * MM, 54 * MM)
COLUMN_LEFTS = tuple(MARGIN + sum(SIGN_IN_WIDTHS[:n]) for n in range(len(SIGN_IN_WIDTHS)))
#: Space between a cell's edge and its text, left and right; above and below in a row.
PAD_X, PAD_Y = 6, 8
CELL_SIZE, CELL_SMALLEST, LEADING = 9.5, 7, 1.26
FOOTER_Y, FOOTER_SIZE = 9 * MM, 8
#: Stands for the page count while pages are written (replaced by the count, drawn at the end).
TOTAL_MARK = 987654321
#: The lowest a row may reach on a page.
FLOOR = MARGIN + 4 * MM
TOP_GAP, TABLE_GAP = 1 * MM, 3 * MM

#: Badges: ten per page, 2 × 5 labels of 90 × 54 mm, centred on the page.
BADGE_WIDTH, BADGE_HEIGHT = 90 * MM, 54 * MM
BADGE_LEFT = (A4[0] - 2 * BADGE_WIDTH) / 2
BADGE_TOP = A4[1] - (A4[1] - 5 * BADGE_HEIGHT) / 2
BADGE_PAD = 4 * MM
#: The part of a badge where the given and family names are printed, from its top edge.
NAME_AREA = (6 * MM, 30 * MM)


@dataclass(frozen=True, slots=True)
class Block:
    """Lines of one text at one size."""

    lines: list[Line]
    size: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


def sign_in_sheet_pdf(heading: EventHeading, rows: Iterable[AttendeeRow]) -> bytes:
    """Return the sign-in sheet of the given rows (see `sign_in_sheet_chunks`)."""
    return b"".join(sign_in_sheet_chunks(heading, rows))


def sign_in_sheet_chunks(heading: EventHeading, rows: Iterable[AttendeeRow]) -> Iterator[bytes]:
    """Yield the sign-in sheet of the given rows (the caller passes the confirmed ones).

    The file's first bytes come before any row is read, then each page as soon as it is
    laid out. Rows are sorted by family name then given name (`rows.sort_key`), whatever
    order they come in; the table's header row is repeated on every page, and each page
    says "page n / N".
    """
    document = Document(_("Feuille d'émargement") + f" – {heading.title}")
    yield document.drain()
    people = sorted(rows, key=sort_key)
    titles = zip(_sheet_headers(), SIGN_IN_WIDTHS, strict=True)
    header = [_cell(text, width) for text, width in titles]
    count = ngettext(
        "Feuille d'émargement : %(num)d participant confirmé",
        "Feuille d'émargement : %(num)d participants confirmés",
        len(people),
    )
    y = A4[1] - MARGIN
    for text, size, colour in (
        (heading.title, 15, BLUE),
        (heading.dates, 10.5, BLACK),
        (heading.place, 10.5, BLACK),
        (count, 10.5, BLACK),
    ):
        block = Block(wrap_cutting(text, size, A4[0] - 2 * MARGIN), size)
        y = _draw_block(document, block, MARGIN, y, colour) - TOP_GAP
    y = _draw_row(document, header, y - TABLE_GAP, fill=GREY)
    page, fresh = 1, True
    for number, person in enumerate(people, start=1):
        cells = [
            _cell(str(number), SIGN_IN_WIDTHS[0]),
            _cell(person.family_name, SIGN_IN_WIDTHS[1]),
            _cell(person.given_name, SIGN_IN_WIDTHS[2]),
            _cell(person.organisation, SIGN_IN_WIDTHS[3]),
        ]
        if y - _row_height(cells) < FLOOR and not fresh:
            _footer(document, heading.title, page)
            document.new_page()
            yield document.drain()
            page += 1
            y = _draw_row(document, header, A4[1] - MARGIN, fill=GREY)
        y, fresh = _draw_row(document, cells, y), False
    _footer(document, heading.title, page)
    yield document.finish(layout(str(page) + _page_label(page)[1]), FOOTER_SIZE)


def badges_pdf(heading: EventHeading, rows: Iterable[AttendeeRow]) -> bytes:
    """Return name badges (see `badges_chunks`)."""
    return b"".join(badges_chunks(heading, rows))


def badges_chunks(heading: EventHeading, rows: Iterable[AttendeeRow]) -> Iterator[bytes]:
    """Yield name badges, ten per A4 page (2 × 5 labels of 90 × 54 mm), in name order."""
    document = Document(f"{_('Badges')} – {heading.title}")
    yield document.drain()
    width = BADGE_WIDTH - 2 * BADGE_PAD
    title = _fitted(heading.title, 7, width, 2, 5)
    for index, person in enumerate(sorted(rows, key=sort_key)):
        slot = index % 10
        if index and slot == 0:
            document.new_page()
            yield document.drain()
        x = BADGE_LEFT + (slot % 2) * BADGE_WIDTH
        top = BADGE_TOP - (slot // 2) * BADGE_HEIGHT
        document.rect(x, top - BADGE_HEIGHT, BADGE_WIDTH, BADGE_HEIGHT, stroke=(0.83, 0.83, 0.83))
        centre = x + BADGE_WIDTH / 2
        y = top - NAME_AREA[0]
        for text, size, lines in ((person.given_name, 16, 1), (person.family_name, 20, 2)):
            y = _draw_centred(document, _fitted(text, size, width, lines, 8), centre, y)
        _draw_centred(document, _fitted(person.organisation, 10, width, 2, 6), centre, y - 2 * MM)
        bottom = top - BADGE_HEIGHT + 3 * MM + title.height
        _draw_centred(document, title, centre, bottom, BLUE)
    yield document.finish()


def certificate_pdf(
    heading: EventHeading, person: AttendeeRow, *, organiser: str, duration: str, issuer: str = ""
) -> bytes:
    """Return an attendance certificate (attestation de présence) for one person.

    `issuer` (the site's operator, app.operator) is printed at the foot when given.
    """
    document = Document(f"{_('Attestation de présence')} – {heading.title}")
    width = A4[0] - 2 * 25 * MM
    name = f"{person.given_name} {person.family_name}"
    blocks = [
        (_block(_("Attestation de présence"), 22, width, BLUE), 12 * MM),
        (_block(_("Nous attestons que"), 12, width), 4 * MM),
        (_block(name, 18, width), 2 * MM),
        (_block(person.organisation, 12, width), 6 * MM),
        (_block(_("a participé à la réunion"), 12, width), 4 * MM),
        (_block(heading.title, 14, width, BLUE), 4 * MM),
        (_block(heading.dates, 12, width), 2 * MM),
        (_block(heading.place, 12, width), 2 * MM),
        (_block(_("Durée : %(duration)s", duration=duration), 12, width), 14 * MM),
        (_block(_("Pour les organisateurs : %(name)s", name=organiser), 12, width), 6 * MM),
    ]
    if issuer:
        blocks.append((_block(_("Délivrée par : %(name)s", name=issuer), 9, width), 0))
    y = A4[1] - 40 * MM
    for (block, colour), gap in blocks:
        y = _draw_block(document, block, 25 * MM, y, colour) - gap
    return document.drain() + document.finish()


def _sheet_headers() -> list[str]:
    return ["N°", _("Nom"), _("Prénom"), _("Organisation"), _("Signature")]


def _cell(text: str, width: float) -> Block:
    """Lay a cell's text out: wrapped at spaces and hyphens, smaller if a word is too wide."""
    inner = width - 2 * PAD_X
    size = CELL_SIZE
    line = layout(text)
    if line.width * size <= inner:
        return Block([line], size)
    widest = widest_word(text)
    if widest * size > inner:
        size = max(CELL_SMALLEST, inner / widest)
    return Block(wrap_cutting(text, size, inner), size)


def _block(text: str, size: float, width: float, colour=(0, 0, 0)) -> tuple[Block, tuple]:
    return Block(wrap_cutting(text, size, width), size), colour


def _fitted(text: str, size: float, width: float, lines: int, smallest: float) -> Block:
    size = fit(text, size, width, lines, smallest)
    return Block(wrap(text, size, width), size)


def _row_height(cells: list[Block]) -> float:
    return max(cell.height for cell in cells) + 2 * PAD_Y


def _draw_row(document: Document, cells: list[Block], top: float, fill=None) -> float:
    height = _row_height(cells)
    bottom = top - height
    right = MARGIN + sum(SIGN_IN_WIDTHS)
    if fill:
        document.rect(MARGIN, bottom, right - MARGIN, height, fill=fill)
    rules = [
        (MARGIN, top, right, top),
        (MARGIN, bottom, right, bottom),
        (right, top, right, bottom),
    ]
    rules += [(x, top, x, bottom) for x in COLUMN_LEFTS]
    document.lines(rules, colour=RULE)
    for column, (x, width) in enumerate(zip(COLUMN_LEFTS, SIGN_IN_WIDTHS, strict=True)):
        if column < len(cells):
            cell = cells[column]
            y = top - (height - cell.height) / 2 - cell.size
            for line in cell.lines:
                if line.rtl:
                    document.text_right(x + width - PAD_X, y, line, cell.size)
                else:
                    document.text(x + PAD_X, y, line, cell.size)
                y -= cell.size * LEADING
    return bottom


def _draw_block(document: Document, block: Block, x: float, top: float, colour) -> float:
    y = top - block.size
    for line in block.lines:
        document.text(x, y, line, block.size, colour)
        y -= block.size * LEADING
    return top - block.height


def _draw_centred(document: Document, block: Block, centre: float, top: float, colour=(0, 0, 0)):
    y = top - block.size
    for line in block.lines:
        document.text_centred(centre, y, line, block.size, colour)
        y -= block.size * LEADING
    return top - block.height


def _page_label(number: int) -> tuple[str, str]:
    """Return what comes before and after the page count in "page n / N"."""
    text = _("page %(number)d / %(total)d", number=number, total=TOTAL_MARK)
    before, _mark, after = text.partition(str(TOTAL_MARK))
    # A space at either end would be dropped by the layout: keep it, unbreakable.
    return re.sub(" $", "\u00a0", before), re.sub("^ ", "\u00a0", after)


def _footer(document: Document, title: str, number: int) -> None:
    """Write the title and "page n / N", N being written once known (`Document.finish`)."""
    before = layout(_page_label(number)[0])
    x = A4[0] - MARGIN - 22 * MM
    document.text(x, FOOTER_Y, before, FOOTER_SIZE)
    document.total_pages(x + before.width * FOOTER_SIZE, FOOTER_Y)
    size = fit(title, FOOTER_SIZE, 120 * MM, 1, 5)
    document.text(MARGIN, FOOTER_Y, wrap_cutting(title, size, 120 * MM)[0], size)
