"""QR codes of tickets, read back by a real decoder (zxing-cpp), the SVG rasterised by CairoSVG."""

import io
import re
from xml.etree import ElementTree

import cairosvg
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from app.tickets.codes import new_code
from app.tickets.qr import qr_png, qr_svg

SVG = "{http://www.w3.org/2000/svg}"
#: The quiet zone the QR specification requires, in modules (ISO/IEC 18004).
BORDER = 4

#: A realistic ticket URL: BASE_URL + /t/ + a 24-character code with both URL-safe signs.
TICKET_URL = "https://accueil.example.gouv.fr/t/-kX3v9Qp_2LmZ8aT0bWc7YdE"
#: A long BASE_URL with a sub-path and the longest code that codes.CODE_PATTERN accepts.
LONG_URL = (
    "https://rendez-vous.direction-interministerielle-du-numerique.example.gouv.fr"
    "/accueil/seances/t/" + "Zz09_-aB" * 5 + "Yx_"
)
URLS = [
    pytest.param(TICKET_URL, id="ticket"),
    pytest.param(f"https://accueil.example.gouv.fr/t/{new_code()}", id="fresh-code"),
    pytest.param(LONG_URL, id="long"),
]


def decode(image: Image.Image) -> zxingcpp.Barcode:
    """Return the one QR code that zxing-cpp finds in the image."""
    barcodes = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(barcodes) == 1, barcodes
    return barcodes[0]


def modules_a_side(barcode: zxingcpp.Barcode) -> int:
    """Return the symbol's width in modules, quiet zone excluded, from its decoded version."""
    return 17 + 4 * int(barcode.extra["Version"])


def open_png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def rasterise(svg: str, width: int) -> Image.Image:
    """Render the SVG with CairoSVG, as a browser would render it on a page."""
    return open_png(cairosvg.svg2png(bytestring=svg.encode(), output_width=width))


def assert_quiet_zone(image: Image.Image, module: int) -> None:
    """Check 4 white modules on every side, and a dark finder corner right inside them."""
    grey = image.convert("L")
    size, _ = grey.size
    zone = BORDER * module
    strips = [(0, 0, size, zone), (0, size - zone, size, size)]
    strips += [(0, 0, zone, size), (size - zone, 0, size, size)]
    for strip in strips:
        assert grey.crop(strip).getextrema() == (255, 255), strip
    # The three finder patterns start on the first module past the quiet zone: not a wider one.
    for x, y in [(zone, zone), (size - zone - 1, zone), (zone, size - zone - 1)]:
        assert grey.getpixel((x, y)) == 0, (x, y)


@pytest.mark.parametrize("url", URLS)
def test_png_decodes_to_the_exact_url(url):
    barcode = decode(open_png(qr_png(url)))

    assert barcode.text == url
    assert barcode.ec_level == "Q"


@pytest.mark.parametrize("box_size", [8, 3, 12])
@pytest.mark.parametrize("url", URLS)
def test_png_keeps_a_quiet_zone_of_four_modules(url, box_size):
    image = open_png(qr_png(url, box_size=box_size))
    barcode = decode(image)

    assert barcode.text == url
    assert image.size == ((modules_a_side(barcode) + 2 * BORDER) * box_size,) * 2
    assert_quiet_zone(image, box_size)


def test_png_is_black_on_white():
    image = open_png(qr_png(TICKET_URL)).convert("RGB")

    assert sorted(colour for _, colour in image.getcolors()) == [(0, 0, 0), (255, 255, 255)]


def test_png_survives_a_damaged_patch():
    """A ticket read off a cracked screen or a smudged printout still scans (level Q)."""
    box = 8
    image = open_png(qr_png(TICKET_URL, box_size=box)).convert("L")
    # 8 x 8 modules of pure data, away from the finder, timing and alignment patterns.
    left, top = (BORDER + 10) * box, (BORDER + 18) * box
    ImageDraw.Draw(image).rectangle((left, top, left + 8 * box - 1, top + 8 * box - 1), fill=0)

    assert decode(image).text == TICKET_URL


def test_svg_is_one_path_for_an_html_page():
    svg = qr_svg(TICKET_URL)
    root = ElementTree.fromstring(svg)

    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    side = modules_a_side(decode(rasterise(svg, 450))) + 2 * BORDER
    assert root.get("viewBox") == f"0 0 {side} {side}"
    assert [child.tag for child in root] == [f"{SVG}rect", f"{SVG}path"]
    background, path = root
    assert background.get("fill") == "white"
    assert (background.get("width"), background.get("height")) == ("100%", "100%")
    assert path.get("fill") == "#000000"
    # Two codes on one page must not share an id.
    assert "id=" not in svg


@pytest.mark.parametrize("url", URLS)
def test_svg_rasterised_decodes_to_the_exact_url(url):
    image = rasterise(qr_svg(url), 600)

    # Opaque: the quiet zone stays white on any page background.
    assert image.convert("RGBA").getextrema()[3] == (255, 255)
    barcode = decode(image)
    assert barcode.text == url
    assert barcode.ec_level == "Q"


@pytest.mark.parametrize("url", URLS)
def test_svg_keeps_a_quiet_zone_of_four_modules(url):
    svg = qr_svg(url)
    side = int(ElementTree.fromstring(svg).get("viewBox").split()[2])
    coordinates = [int(n) for n in re.findall(r"\d+", ElementTree.fromstring(svg)[1].get("d"))]

    assert (min(coordinates), max(coordinates)) == (BORDER, side - BORDER)
    assert_quiet_zone(rasterise(svg, side * 6), 6)


@pytest.mark.parametrize("url", URLS)
def test_svg_and_png_draw_the_same_symbol(url):
    png = open_png(qr_png(url, box_size=5)).convert("L")
    svg = rasterise(qr_svg(url), png.size[0]).convert("L")

    assert svg.size == png.size
    assert svg.point(lambda v: 255 if v > 127 else 0).tobytes() == png.tobytes()


def test_svg_scales_down_to_a_small_phone_screen():
    # About 2.7 pixels a module: the viewBox lets the page size it freely.
    assert decode(rasterise(qr_svg(TICKET_URL), 120)).text == TICKET_URL
