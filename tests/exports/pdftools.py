"""Read our PDFs with poppler's own tools (pdftotext, pdftoppm, pdffonts) and qpdf."""

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata

import pytest
from PIL import Image

#: Strong right-to-left letters (Hebrew, Arabic): such text may come back in either direction.
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: apt-get install poppler-utils qpdf (see .ci/run)")
    return path


def run(name: str, data: bytes, *arguments: str, check: bool = True):
    """Run a tool on the PDF, written to a temporary file; return the finished process."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        command = [tool(name), *(file.name if a == "{}" else a for a in arguments)]
        return subprocess.run(command, capture_output=True, check=check)


def pdftotext(data: bytes, *options: str) -> str:
    """Return the PDF's text as poppler extracts it in content order (-raw), NFKC-normalised."""
    done = run("pdftotext", data, "-raw", *options, "-enc", "UTF-8", "{}", "-")
    return unicodedata.normalize("NFKC", done.stdout.decode("utf-8"))


def pages(data: bytes) -> list[str]:
    """Return the text of each page."""
    return pdftotext(data).split("\f")[:-1]


def compact(text: str) -> str:
    """Drop spacing, hyphens and bidi controls: what differs between a name and its read-back
    once wrapped (pdftotext joins a line ending in a hyphen to the next)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def reads_back(name: str, text: str) -> bool:
    """Tell whether a name is in the text; right-to-left names in either direction."""
    name, text = compact(name), compact(text)
    return name in text or bool(RTL.search(name)) and name[::-1] in text


def fonts(data: bytes) -> list[list[str]]:
    """Return pdffonts' table rows (name, type, encoding, emb, sub, uni, ...)."""
    lines = run("pdffonts", data, "{}").stdout.decode().splitlines()[2:]
    return [line.split() for line in lines]


def check(data: bytes) -> None:
    """Fail unless qpdf finds the file sound."""
    done = run("qpdf", data, "--check", "{}", check=False)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()


def render(data: bytes, page: int, dpi: int = 72) -> Image.Image:
    """Render one page (1-based) to a greyscale image, one pixel per point at 72 dpi."""
    done = run("pdftoppm", data, "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "{}")
    return Image.open(io.BytesIO(done.stdout)).convert("L")
