"""The font objects of a PDF: an embedded subset per face, its widths and ToUnicode map.

Type 0 fonts with Identity-H encoding: the codes in the pages are glyph ids. TrueType faces are
CIDFontType2 (CIDToGIDMap /Identity); CFF faces (Noto Sans CJK) are CIDFontType0 with their
bare CFF table (CIDFontType0C), made CID-keyed with CIDs equal to glyph ids by hb-subset.
"""

import hashlib
import struct

import pydyf

from app.exports.fonts import Face


def embed(add, face: Face, readings: dict[int, str]) -> pydyf.Dictionary:
    """Write a face's subset and its font objects with `add`; return the Type 0 font.

    `readings` says what each glyph used reads as (the ToUnicode map).
    """
    gids = sorted(readings)
    tag = "".join(chr(65 + byte % 26) for byte in hashlib.sha1(repr(gids).encode()).digest()[:6])
    base_name = f"/{tag}+{_postscript_name(face)}"
    font_file = pydyf.Stream([face.subset(gids)], compress=True)
    if face.is_cff:
        font_file.extra["Subtype"] = "/CIDFontType0C"
    else:
        font_file.extra["Length1"] = len(font_file.stream[0])
    add(font_file)
    x_min, y_min, x_max, y_max = _bbox(face)
    units = 1000 / face.upem
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": base_name,
            "Flags": 4,
            "FontBBox": pydyf.Array([round(v * units) for v in (x_min, y_min, x_max, y_max)]),
            "ItalicAngle": 0,
            "Ascent": round(face.ascender * units),
            "Descent": round(face.descender * units),
            "CapHeight": round(face.ascender * units),
            "StemV": 80,
            "FontFile3" if face.is_cff else "FontFile2": font_file.reference,
        }
    )
    add(descriptor)
    widths = pydyf.Array()
    for gid in gids:
        widths.extend([gid, pydyf.Array([round(face.advance(gid) * units)])])
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType0" if face.is_cff else "/CIDFontType2",
            "BaseFont": base_name,
            "CIDSystemInfo": pydyf.Dictionary(
                {
                    "Registry": pydyf.String("Adobe"),
                    "Ordering": pydyf.String("Identity"),
                    "Supplement": 0,
                }  # fmt: skip
            ),
            "FontDescriptor": descriptor.reference,
            "W": widths,
        }
    )
    if not face.is_cff:
        cid_font["CIDToGIDMap"] = "/Identity"
    add(cid_font)
    to_unicode = pydyf.Stream([_to_unicode(readings)], compress=True)
    add(to_unicode)
    font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": base_name,
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    add(font)
    return font


def _postscript_name(face: Face) -> str:
    name = face.hb_face.get_name(6) or face.key  # 6: the PostScript name
    return "".join(char for char in name if char.isalnum() or char == "-")[:60]


def _bbox(face: Face) -> tuple[int, int, int, int]:
    head = face.hb_face.reference_table("head").data
    return struct.unpack(">4h", head[36:44])


def _to_unicode(readings: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    entries = [(gid, text) for gid, text in sorted(readings.items()) if text]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        for gid, text in chunk:
            lines.append(b"<%04X> <%s>" % (gid, text.encode("utf-16-be").hex().upper().encode()))
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)
