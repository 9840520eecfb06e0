"""Server-side QR decoding, for browsers without BarcodeDetector (Safari, Firefox)."""

import io
import warnings

import zxingcpp
from PIL import Image, UnidentifiedImageError

#: A camera frame, not a poster: anything larger is refused before decoding.
MAX_PIXELS = 4_000_000


class BadImage(Exception):
    pass


def decode_qr(data: bytes) -> str | None:
    """Return the text of the first QR code in an image (PNG, JPEG, WebP), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise BadImage("image too large")
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as problem:
        raise BadImage(str(problem)) from None
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return results[0].text if results else None
