"""Absolute public URLs, built from BASE_URL (mail, QR codes), request or not."""

import re
from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint under the configured BASE_URL."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


#: Browsers drop tabs and newlines from URLs and read a backslash as a slash.
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\\]")


def local_path(target: str | None) -> str | None:
    """Return `target` if it is a path of this site (never another site), else None."""
    target = target or ""
    if not target.startswith("/") or target.startswith("//") or _UNSAFE_IN_PATH.search(target):
        return None
    return None if urlsplit(target).netloc else target
