"""QR codes of tickets: an inline SVG for the ticket page, a PNG for the e-mail.

Both encode the text they are given (the ticket URL ``{BASE_URL}/t/<code>``) and nothing else.
"""

import io
from xml.etree import ElementTree

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage

#: Q restores about 25 % of damaged codewords where M restores 15 %: tickets are scanned off
#: scratched or dimmed phone screens, under glare, and off folded or smudged printouts. For a
#: ticket URL of about 60 characters it costs one version (37 modules a side instead of 33),
#: which phones and zxing-cpp still read at a glance.
ERROR_CORRECTION = ERROR_CORRECT_Q

#: The quiet zone that the QR specification requires: 4 white modules on every side. Scanners
#: find the code by its contrast with this margin, so it is never trimmed.
BORDER = 4

#: qrcode's SVG unit: a box of 10 is 1 mm, so each module is one user unit of the viewBox
#: ("0 0 N N" for N modules, quiet zone included) and prints 1 mm wide by default.
_SVG_BOX_SIZE = 10


def _make(url: str, box_size: int) -> qrcode.QRCode:
    """Return the smallest QR code that holds the URL at our error correction."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=BORDER)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url: str, label: str | None = None) -> str:
    """Return the QR code of a URL as an ``<svg>`` element to put inline in an HTML page.

    Black modules in one ``<path>`` on a white rectangle (the quiet zone stays white on a dark
    page), a viewBox so that CSS can size it, no XML declaration, no ``id`` that two codes on one
    page would share. `label` is its accessible name (aria-label).
    """
    image = _make(url, _SVG_BOX_SIZE).make_image(image_factory=SvgPathFillImage)
    svg = image.get_image()
    svg.set("role", "img")
    if label:
        svg.set("aria-label", label)
    # Whole modules, no anti-aliased seams between neighbours.
    svg.set("shape-rendering", "crispEdges")
    image.path.attrib.pop("id", None)
    return ElementTree.tostring(svg, encoding="unicode")


def qr_png(url: str, box_size: int = 8) -> bytes:
    """Return the QR code of a URL as PNG bytes, ``box_size`` pixels per module."""
    image = _make(url, box_size).make_image(
        image_factory=PilImage, fill_color="black", back_color="white"
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
