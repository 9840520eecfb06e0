"""The fonts of the printed sheets: which face draws a character, and its embedded subset.

Faces come from packages, never from the network:
- Noto Sans from PyPI's `fontpkg-noto-sans` (Latin with Polish and Vietnamese, Greek,
  Cyrillic): always installed with the application;
- the other scripts from Debian's `fonts-noto-core` (Arabic, Hebrew, Devanagari and every other
  Noto Sans script) and `fonts-noto-cjk` (Chinese, Japanese, Korean), which the install step and
  `.ci/run` install (see docs/deployment.md).

A character goes to the first face of `FALLBACK` that has it; if none has it, every other Noto
Sans face of the system is tried once (Thai, Tamil, Armenian...). Han characters take the
Japanese face when the text also holds kana, the Korean one with Hangul, else the Simplified
Chinese one, so each reads in its own glyph style.

Shaping, subsetting and metrics are HarfBuzz's (uharfbuzz): shaping follows each script's rules
(Arabic joining, Devanagari reordering, Vietnamese stacked marks) and the subsetter keeps glyph
ids (`RETAIN_GIDS`), so a glyph id shaped once is the code written in the page (Identity-H).
"""

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import fontpkg
import uharfbuzz as hb

log = logging.getLogger(__name__)

PRIMARY_FAMILY = "Noto Sans"
#: Where Debian's fonts-noto-core and fonts-noto-cjk put their files.
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
CJK_FILE = "NotoSansCJK-Regular.ttc"
#: Faces of NotoSansCJK-Regular.ttc, by the language whose glyph forms they draw.
CJK_FACES = {"ja": 0, "ko": 1, "zh": 2}
#: Tried in this order after Noto Sans: the scripts registrants write most after Latin.
FALLBACK = (
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
)
#: Drawn for a character that no face has (and logged): visible, never an empty cell.
REPLACEMENT = "\ufffd"
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


class MissingGlyphWarning(UserWarning):
    """No installed font draws a character: the sheet shows REPLACEMENT instead.

    The test suite turns warnings into errors, so such a character fails the tests loudly.
    """


@dataclass(eq=False)
class Face:
    """One font face: its HarfBuzz objects, the characters it has and its glyph widths."""

    key: str
    path: Path
    index: int = 0
    #: HarfBuzz glyph advances, in font units, by glyph id (filled as glyphs are used).
    advances: dict[int, int] = field(default_factory=dict)

    def __post_init__(self):
        self.blob = hb.Blob.from_file_path(str(self.path))
        self.hb_face = hb.Face(self.blob, self.index)
        self.upem = self.hb_face.upem
        self.hb_font = hb.Font(self.hb_face)
        self.covered = frozenset(self.hb_face.unicodes)
        self.is_cff = "CFF " in self.hb_face.table_tags
        extents = self.hb_font.get_font_extents("ltr")
        self.ascender, self.descender = extents.ascender, extents.descender

    def __repr__(self) -> str:
        return f"<Face {self.key}>"

    def advance(self, gid: int) -> int:
        width = self.advances.get(gid)
        if width is None:
            width = self.advances[gid] = self.hb_font.get_glyph_h_advance(gid)
        return width

    def subset(self, gids: Iterable[int]) -> bytes:
        """Return the face cut down to these glyphs, ids kept, variations pinned to default."""
        plan = hb.SubsetInput()
        plan.glyph_set.update(gids)
        plan.glyph_set.add(0)
        plan.flags = (
            hb.SubsetFlags.RETAIN_GIDS
            | hb.SubsetFlags.NO_HINTING
            | hb.SubsetFlags.CFF_IDENTITY_CHARSET
            | hb.SubsetFlags.DESUBROUTINIZE
        )
        # Only what a PDF viewer reads: outlines, metrics, names.
        for tag in ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "DSIG", "STAT", "MATH"):
            plan.drop_table_tag_set.add(_tag(tag))
        if self.hb_face.has_var_data:
            plan.pin_all_axes_to_default(self.hb_face)
        face = hb.subset(self.hb_face, plan)
        if face is None:
            raise RuntimeError(f"HarfBuzz could not subset {self.key}")
        if self.is_cff:
            # CIDFontType0C: the bare CFF table, CID-keyed, CIDs equal to glyph ids.
            return face.reference_table("CFF ").data
        return face.blob.data


def _tag(text: str) -> int:
    return int.from_bytes(text.encode("ascii"), "big")


@functools.cache
def primary() -> Face:
    """Return Noto Sans (from the fontpkg-noto-sans package), the face of Latin text."""
    return Face("NotoSans", Path(fontpkg.path(PRIMARY_FAMILY)))


@functools.cache
def _file(name: str, index: int = 0) -> Face | None:
    for directory in FONT_DIRS:
        path = directory / name
        if path.is_file():
            return Face(
                path.stem.replace("-Regular", "") + (f"-{index}" if index else ""), path, index
            )
    log.warning("font %s not found in %s: install fonts-noto-core and fonts-noto-cjk",
                name, ", ".join(map(str, FONT_DIRS)))  # fmt: skip
    return None


def cjk(language: str) -> Face | None:
    """Return the Noto Sans CJK face for `ja`, `ko` or `zh`."""
    return _file(CJK_FILE, CJK_FACES[language])


def cjk_language(text: str) -> str:
    """Guess which CJK glyph forms a text wants: Japanese with kana, Korean with Hangul."""
    if KANA.search(text):
        return "ja"
    if HANGUL.search(text):
        return "ko"
    return "zh"


def chain(text: str) -> list[Face]:
    """Return the faces tried in order for a text (missing files are left out)."""
    faces = [primary(), *(_file(name) for name in FALLBACK), cjk(cjk_language(text))]
    return [face for face in faces if face is not None]


@functools.cache
def _others() -> tuple[str, ...]:
    names = set()
    for directory in FONT_DIRS:
        if directory.is_dir():
            names.update(
                path.name
                for path in directory.glob("NotoSans*-Regular.ttf")
                if path.name not in FALLBACK and "Mono" not in path.name
            )
    return tuple(sorted(names))


@functools.cache
def last_resort(char: str) -> Face | None:
    """Return any other installed Noto Sans face that has the character, or None."""
    code = ord(char)
    for name in _others():
        face = _file(name)
        if face is not None and code in face.covered:
            return face
    return None
