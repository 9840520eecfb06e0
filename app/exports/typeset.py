"""Lines of text ready to print: font fallback, right-to-left order, shaping, wrapping.

`layout(text)` turns a string into a `Line`: runs of glyphs, each in one face and one
direction, in visual order (left to right on the page), with their widths in em. Right-to-left
text goes through the Unicode bidirectional algorithm (python-bidi's UAX #9 implementation),
then each run is shaped by HarfBuzz in its own direction. `wrap` breaks a text into lines at
spaces and hyphens only; `fit` finds the largest size at which it fits without cutting a word.
Lines are cached by text, so a name or an organisation that comes back is laid out once.
"""

import functools
import logging
import re
import unicodedata
import warnings
from array import array
from dataclasses import dataclass

import uharfbuzz as hb
from bidi import algorithm as bidi

from app.exports import fonts
from app.exports.fonts import Face, MissingGlyphWarning

log = logging.getLogger(__name__)

#: Strong right-to-left characters and the controls that start right-to-left text.
RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u202b\u202e\u2067"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
#: Where a line may break: after spaces and after hyphens.
BREAKS = re.compile(r"[^ \-\u2010]*(?:[\-\u2010]+| +|$)")
#: Spacing that becomes one space (no-break spaces stay: French typography uses them).
SPACING = re.compile(r"[ \t\r\n\f\v]+")
FEATURES = {"kern": True, "liga": True}


@dataclass(slots=True)
class Run:
    face: Face
    #: The run's text in logical (reading) order.
    text: str
    #: Index of the run's first character in the line's text.
    start: int
    gids: array
    #: Advances in font units (kerning included).
    advances: array
    #: (x, y) offsets in font units, or None when every glyph sits at its pen position.
    offsets: list[tuple[int, int]] | None
    #: Clusters: for each glyph, the index (in `text`) of the first character it draws.
    clusters: array
    #: Glyphs map one to one, in order, to the characters: no ActualText needed.
    simple: bool
    #: The PDF writer's cache: its glyph operand, and the document that noted its glyphs.
    shown: bytes | None = None
    seen_by: object = None

    @property
    def width(self) -> float:
        """Width in em."""
        return sum(self.advances) / self.face.upem


@dataclass(slots=True)
class Line:
    text: str
    #: In visual order.
    runs: list[Run]
    #: Width in em (multiply by the font size for points).
    width: float
    #: The text reads right to left (its first strong character is): align it right.
    rtl: bool = False

    def char_widths(self) -> list[float]:
        """Return each character's share of the width in em, in logical order."""
        widths = [0.0] * len(self.text)
        for run in self.runs:
            for cluster, advance in zip(run.clusters, run.advances, strict=True):
                widths[run.start + cluster] += advance / run.face.upem
        return widths


@functools.lru_cache(maxsize=4096)
def layout(text: str) -> Line:
    """Lay a single line of text out: faces, direction, glyphs."""
    text = unicodedata.normalize("NFC", SPACING.sub(" ", text).strip(" "))
    text, pieces = _by_face(text)
    rtl = bool(RTL.search(text))
    if rtl:
        pieces = _visual_order(text, pieces)
        rtl = bidi.get_base_level(text) == 1
    else:
        pieces = [(face, start, end, False) for face, start, end in pieces]
    runs = [_shape(face, text, start, end, right) for face, start, end, right in pieces]
    return Line(text, runs, sum(run.width for run in runs), rtl)


def wrap(text: str, size: float, width: float) -> list[Line]:
    """Break a text into lines no wider than `width` points, at spaces and hyphens.

    A word wider than the line stays whole on its own line (see `fit`), unless `cut` words
    are asked for by `wrap_cutting`.
    """
    line = layout(text)
    if line.width * size <= width:
        return [line]
    pieces = _lines(line, size, width)
    return [layout(piece) for piece in pieces]


def widest_word(text: str) -> float:
    """Return the width in em of the widest unbreakable part of a text."""
    line = layout(text)
    widths = line.char_widths()
    widest = position = 0
    for word in BREAKS.findall(line.text):
        stripped = len(word.rstrip(" "))
        widest = max(widest, sum(widths[position : position + stripped]))
        position += len(word)
    return widest


def fit(text: str, size: float, width: float, lines: int, smallest: float) -> float:
    """Return the largest size, from `size` down to `smallest`, at which the text fits in
    `lines` lines of `width` points without cutting a word."""
    widest = widest_word(text)
    if widest:
        size = min(size, width / widest)
        # A word wider than the line at the smallest size gets smaller still: never cut.
        smallest = min(smallest, size)
    while size > smallest and len(wrap(text, size, width)) > lines:
        size = max(smallest, size - 0.5)
    return size


def wrap_cutting(text: str, size: float, width: float) -> list[Line]:
    """Wrap at spaces and hyphens, and cut a word only if it cannot fit a line on its own."""
    result = []
    for line in wrap(text, size, width):
        if line.width * size <= width:
            result.append(line)
            continue
        widths, piece, used = line.char_widths(), "", 0.0
        for char, share in zip(line.text, widths, strict=True):
            if piece and (used + share) * size > width and share:
                result.append(layout(piece))
                piece, used = "", 0.0
            piece += char
            used += share
        result.append(layout(piece))
    return result


def _lines(line: Line, size: float, width: float) -> list[str]:
    widths = line.char_widths()
    result, current, used, position = [], "", 0.0, 0
    for word in BREAKS.findall(line.text):
        if not word:
            continue
        word_width = sum(widths[position : position + len(word.rstrip(" "))])
        if current and (used + word_width) * size > width:
            result.append(current.rstrip(" "))
            current, used = "", 0.0
        current += word
        used += sum(widths[position : position + len(word)])
        position += len(word)
    if current.strip(" "):
        result.append(current.rstrip(" "))
    return result


def _by_face(text: str) -> tuple[str, list[tuple[Face, int, int]]]:
    """Split a text into (face, start, end) pieces; replace what no face has."""
    first = fonts.primary()
    if first.covered.issuperset(map(ord, text)):
        return text, [(first, 0, len(text))]
    chain = fonts.chain(text)
    chars, faces = list(text), []
    current = None
    for index, char in enumerate(chars):
        code = ord(char)
        category = unicodedata.category(char)
        follows = category[0] in "MZP" or category in ("Cf", "Nd")
        if follows and current is not None and code in current.covered:
            faces.append(current)
            continue
        face = next((face for face in chain if code in face.covered), None)
        face = face or fonts.last_resort(char)
        if face is None:
            _missing(char, text)
            chars[index], face = fonts.REPLACEMENT, first
        faces.append(face)
        current = face
    pieces, start = [], 0
    for index in range(1, len(chars) + 1):
        if index == len(chars) or faces[index] is not faces[start]:
            pieces.append((faces[start], start, index))
            start = index
    return "".join(chars), pieces


def _missing(char: str, text: str) -> None:
    message = f"no installed font draws U+{ord(char):04X} {unicodedata.name(char, '?')} in {text!r}"
    log.warning("%s: printed as %s", message, fonts.REPLACEMENT)
    warnings.warn(message, MissingGlyphWarning, stacklevel=4)


def _levels(text: str) -> list[int]:
    storage = bidi.get_empty_storage()
    storage["base_level"] = bidi.get_base_level(text)
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    bidi.get_embedding_levels(text, storage)
    bidi.explicit_embed_and_overrides(storage)
    bidi.resolve_weak_types(storage)
    bidi.resolve_neutral_types(storage, False)
    bidi.resolve_implicit_levels(storage, False)
    return [char["level"] for char in storage["chars"]]


def _visual_order(text: str, pieces: list) -> list[tuple[Face, int, int, bool]]:
    """Cut pieces where the bidi level changes, then order them as UAX #9 rule L2 says."""
    levels = _levels(text)
    runs = []
    for face, start, end in pieces:
        cut = start
        for index in range(start + 1, end + 1):
            if index == end or levels[index] != levels[cut]:
                runs.append((levels[cut], face, cut, index))
                cut = index
    highest = max(level for level, *_ in runs)
    lowest_odd = min((level for level, *_ in runs if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(runs):
            if runs[index][0] >= level:
                end = index
                while end < len(runs) and runs[end][0] >= level:
                    end += 1
                runs[index:end] = runs[index:end][::-1]
                index = end
            else:
                index += 1
    return [(face, start, end, bool(level % 2)) for level, face, start, end in runs]


def _shape(face: Face, text: str, start: int, end: int, rtl: bool) -> Run:
    piece = text[start:end]
    buffer = hb.Buffer()
    buffer.add_str(piece)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(face.hb_font, buffer, FEATURES)
    # Compact arrays: a sheet holds thousands of laid-out names at once.
    gids, clusters, advances = array("I"), array("I"), array("i")
    offsets, moved = [], False
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        gids.append(info.codepoint)
        clusters.append(info.cluster)
        advances.append(position.x_advance)
        offset = position.x_offset, position.y_offset
        offsets.append(offset)
        moved = moved or offset != (0, 0)
    simple = not rtl and clusters == list(range(len(piece)))
    return Run(
        face=face,
        text=piece,
        start=start,
        gids=gids,
        advances=advances,
        offsets=offsets if moved else None,
        clusters=clusters,
        simple=simple,
    )
