"""A small PDF writer for laid-out lines: pages, rules, boxes and text in embedded fonts.

Glyphs are written by glyph id (Type0 fonts, Identity-H), each face embedded once as a subset.
What a reader extracts comes from two places: a ToUnicode map per font (glyph to character)
and, around every run whose glyphs do not map one to one and in order to its characters
(right-to-left, Arabic joining, Devanagari reordering, ligatures), an ActualText span holding
the run's text in reading order. pydyf writes the objects and the cross-reference table.
"""

import hashlib
import zlib
from datetime import UTC, datetime

import pydyf

from app.exports.fonts import Face
from app.exports.pdffonts import embed
from app.exports.typeset import Line, Run

A4 = (595.2756, 841.8898)
#: The file's first bytes (the second line tells transfer programs that the file is binary).
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
MM = 72 / 25.4
BLACK = (0, 0, 0)


def _num(value: float) -> bytes:
    return b"%.2f" % value


def _utf16(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


class Document:
    """Pages drawn one after the other, written out as soon as each is done.

    `drain()` returns the bytes ready so far (the header first, then each finished page), so
    a download starts at once and the pages need not be kept; `finish()` returns the rest:
    the fonts, known only at the end, and the cross-reference table. A page can show the
    total number of pages before it is known (`total_pages`), through a form XObject written
    at the end.
    """

    def __init__(self, title: str, *, lang: str = "fr-FR", size: tuple[float, float] = A4):
        self.title, self.lang, self.size = title, lang, size
        self.ops: list[bytes] = []
        #: Per face: its resource name and what each glyph used reads as.
        self.fonts: dict[Face, tuple[bytes, dict[int, str]]] = {}
        #: Per face: readings guessed from shaped clusters, used where no plain run says.
        self.guesses: dict[Face, dict[int, str]] = {}
        self.chunks: list[bytes] = [HEADER]
        self.offset = len(HEADER)
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        # Numbers known from the start, written at the end: pages, resources, total pages.
        self.catalog, self.page_tree, self.resources, self.total = 1, 2, 3, 4
        self.next_number = 5

    # --- drawing ---------------------------------------------------------------------------

    def new_page(self) -> None:
        """End the current page: write it out."""
        content = pydyf.Stream([zlib.compress(b"\n".join(self.ops), 6)],
                               {"Filter": "/FlateDecode"})  # fmt: skip
        self._add(content)
        width, height = self.size
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": b"%d 0 R" % self.page_tree,
                "MediaBox": pydyf.Array([0, 0, _num(width), _num(height)]),
                "Contents": content.reference,
                "Resources": b"%d 0 R" % self.resources,
            }
        )
        self.pages.append(self._add(page).number)
        self.ops = []

    def total_pages(self, x: float, y: float) -> None:
        """Show the number of pages here (its left end at x, baseline at y)."""
        self.ops.append(b"q 1 0 0 1 %.2f %.2f cm /Total Do Q" % (x, y))

    def rect(self, x, y, width, height, *, stroke=None, fill=None, line_width=0.5) -> None:
        ops = [b"q"]
        if fill:
            ops.append(b"%.3f %.3f %.3f rg" % fill)
        if stroke:
            ops.append(b"%.3f %.3f %.3f RG %.2f w" % (*stroke, line_width))
        paint = b"B" if fill and stroke else b"f" if fill else b"S"
        ops.append(b"%.2f %.2f %.2f %.2f re %s Q" % (x, y, width, height, paint))
        self.ops.append(b" ".join(ops))

    def lines(self, segments, *, colour=(0.5, 0.5, 0.5), line_width=0.5) -> None:
        """Stroke straight lines, given as (x1, y1, x2, y2), in one path."""
        path = b" ".join(b"%.2f %.2f m %.2f %.2f l" % segment for segment in segments)
        self.ops.append(b"q %.3f %.3f %.3f RG %.2f w %s S Q" % (*colour, line_width, path))

    def text(self, x: float, y: float, line: Line, size: float, colour=BLACK) -> None:
        """Write a line with its left end at x and its baseline at y."""
        ops = [b"BT %.3f %.3f %.3f rg" % colour]
        for run in line.runs:
            name = self._font(run)
            ops.append(b"/%s %.2f Tf" % (name, size))
            if not run.simple:
                ops.append(b"/Span <</ActualText %s>> BDC" % _utf16(run.text))
            if run.offsets is None:
                ops.append(b"1 0 0 1 %.2f %.2f Tm %s TJ" % (x, y, _show(run)))
            else:
                ops.append(_placed(run, x, y, size))
            if not run.simple:
                ops.append(b"EMC")
            x += run.width * size
        ops.append(b"ET")
        self.ops.append(b"\n".join(ops))

    def text_right(self, right: float, y: float, line: Line, size: float, colour=BLACK):
        self.text(right - line.width * size, y, line, size, colour)

    def text_centred(self, centre: float, y: float, line: Line, size: float, colour=BLACK):
        self.text(centre - line.width * size / 2, y, line, size, colour)

    def _font(self, run: Run) -> bytes:
        entry = self.fonts.get(run.face)
        if entry is None:
            entry = self.fonts[run.face] = (b"F%d" % (len(self.fonts) + 1), {})
        if run.seen_by is self:
            return entry[0]
        run.seen_by = self
        if run.simple:
            entry[1].update(zip(run.gids, run.text, strict=True))
            return entry[0]
        # A glyph drawn for a cluster of characters (a ligature, a letter with its marks)
        # reads as the cluster, unless a plain run shows which single character it is.
        guesses = self.guesses.setdefault(run.face, {})
        ends = sorted(set(run.clusters)) + [len(run.text)]
        for gid, cluster in zip(run.gids, run.clusters, strict=True):
            guesses.setdefault(gid, run.text[cluster : ends[ends.index(cluster) + 1]])
        return entry[0]

    # --- output ----------------------------------------------------------------------------

    def drain(self) -> bytes:
        """Return the bytes written since the last call."""
        data, self.chunks = b"".join(self.chunks), []
        return data

    def finish(self, total_text: Line | None = None, size: float = 8) -> bytes:
        """End the last page and return the rest of the file.

        `total_text` is the number of pages, laid out, for the pages that show it.
        """
        if self.ops or not self.pages:
            self.new_page()
        self._total(total_text, size)
        fonts = pydyf.Dictionary()
        for face, (name, readings) in self.fonts.items():
            readings = self.guesses.get(face, {}) | readings
            fonts[name.decode()] = embed(self._add, face, readings).reference
        resources = pydyf.Dictionary({"Font": fonts, "XObject": pydyf.Dictionary(
            {"Total": b"%d 0 R" % self.total})})  # fmt: skip
        self._add(resources, self.resources)
        kids = pydyf.Array([b"%d 0 R" % number for number in self.pages])
        tree = pydyf.Dictionary({"Type": "/Pages", "Kids": kids, "Count": len(self.pages)})
        self._add(tree, self.page_tree)
        catalog = pydyf.Dictionary(
            {
                "Type": "/Catalog",
                "Pages": b"%d 0 R" % self.page_tree,
                "Lang": pydyf.String(self.lang),
                "ViewerPreferences": pydyf.Dictionary({"DisplayDocTitle": "true"}),
            }
        )
        self._add(catalog, self.catalog)
        info = self._add(
            pydyf.Dictionary(
                {
                    "Title": pydyf.String(self.title),
                    "Creator": pydyf.String("Accueil"),
                    "Producer": pydyf.String(f"Accueil (pydyf {pydyf.__version__})"),
                    "CreationDate": pydyf.String(datetime.now(UTC).strftime("D:%Y%m%d%H%M%SZ")),
                }
            )
        )
        self._xref(info.number)
        return self.drain()

    def _add(self, obj, number: int | None = None):
        """Write an object now (its references must be written or reserved already)."""
        if number is None:
            number, self.next_number = self.next_number, self.next_number + 1
        obj.number = number
        data = b"%d 0 obj\n%s\nendobj\n" % (number, obj.data)
        self.offsets[number] = self.offset
        self.offset += len(data)
        self.chunks.append(data)
        return obj

    def _total(self, line: Line | None, size: float) -> None:
        ops, self.ops = self.ops, []
        if line is not None:
            self.text(0, 0, line, size)
        form = pydyf.Stream(
            [b"\n".join(self.ops)],
            {
                "Type": "/XObject",
                "Subtype": "/Form",
                "BBox": pydyf.Array([0, -size, _num(line.width * size if line else 1), size]),
                "Resources": b"%d 0 R" % self.resources,
            },
        )
        self.ops = ops
        self._add(form, self.total)

    def _xref(self, info: int) -> None:
        count = self.next_number
        table = [b"xref\n0 %d\n0000000000 65535 f \n" % count]
        for number in range(1, count):
            table.append(b"%010d 00000 n \n" % self.offsets[number])
        identifier = hashlib.md5(self.title.encode() + b"%d" % self.offset).hexdigest().encode()
        table.append(
            b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>]>>\n"
            % (count, self.catalog, info, identifier, identifier)
        )
        table.append(b"startxref\n%d\n%%%%EOF\n" % self.offset)
        self.chunks.extend(table)


def _show(run: Run) -> bytes:
    """Return the TJ operand of a run: glyph ids, and kerning where HarfBuzz moved a glyph.

    It depends on neither position nor size, so it is computed once per laid-out run.
    """
    if run.shown is None:
        face, parts, pending = run.face, [], []
        for gid, advance in zip(run.gids, run.advances, strict=True):
            pending.append(b"%04X" % gid)
            gap = face.advance(gid) - advance
            if gap:
                parts.append(b"<" + b"".join(pending) + b">")
                parts.append(b"%d" % round(gap * 1000 / face.upem))
                pending = []
        if pending:
            parts.append(b"<" + b"".join(pending) + b">")
        run.shown = b"[" + b" ".join(parts) + b"]"
    return run.shown


def _placed(run: Run, x: float, y: float, size: float) -> bytes:
    """Place each glyph of a run that has offsets (marks above or below their letter)."""
    ops, pen, scale = [], x, size / run.face.upem
    for gid, advance, (dx, dy) in zip(run.gids, run.advances, run.offsets, strict=True):
        ops.append(b"1 0 0 1 %.2f %.2f Tm <%04X> Tj" % (pen + dx * scale, y + dy * scale, gid))
        pen += advance * scale
    return b"\n".join(ops)
