"""How stored text and instants are written into pages: a description's paragraphs, the
`datetime` attribute of <time>, a registration's short reference."""

import re
from datetime import datetime

from markupsafe import Markup, escape

#: Windows (\r\n) and old Mac (\r) line endings, and Unicode's line and paragraph separators.
_LINE_ENDINGS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
#: A blank line (spaces allowed) separates two paragraphs.
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def normalise_newlines(text: str | None) -> str | None:
    """Return the text with every line ending written "\\n" (None stays None)."""
    if text is None:
        return None
    return _LINE_ENDINGS.sub("\n", text)


def paragraphs(text: str | None) -> Markup:
    """Return the text as HTML paragraphs: a blank line between two, a line break inside one.

    Whatever the line endings a browser or a database sent: "\\r\\n\\r\\n" separates two
    paragraphs as "\\n\\n" does.
    """
    blocks = _BLANK_LINE.split(normalise_newlines(text or "").strip())
    line_break = Markup("<br>\n")
    return Markup("").join(
        Markup("<p>{}</p>").format(line_break.join(escape(line) for line in block.split("\n")))
        for block in blocks
        if block.strip()
    )


def html_datetime(moment: datetime) -> str:
    """Return an instant for a `datetime` attribute: at most three fractional digits (HTML)."""
    return moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")


def spaced_reference(reference: str | None) -> str:
    """Write a short reference as people read it: "ABCD-EFGH"."""
    if not reference:
        return ""
    return f"{reference[:4]}-{reference[4:]}"


def init_app(app) -> None:
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.filters["html_datetime"] = html_datetime
    app.jinja_env.filters["reference"] = spaced_reference
