"""Ticket codes: random, URL-safe, no personal data."""

import re
import secrets

#: 18 random bytes: 144 bits, 24 URL-safe characters.
CODE_BYTES = 18
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,43}$")


def new_code() -> str:
    """Return a fresh ticket code."""
    return secrets.token_urlsafe(CODE_BYTES)


def looks_like_code(text: str) -> bool:
    """Tell whether a string has the shape of a ticket code (not whether it exists)."""
    return bool(CODE_PATTERN.match(text))
