"""Ticket codes (random, URL-safe, no personal data) and short references people can read."""

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


#: A reference is read aloud, typed at a door or copied from paper: no symbols that look
#: alike (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V). 21 symbols, 8 of them: 21**8 (3.8e10) per event.
REFERENCE_ALPHABET = "ACEFGHJKMNPRTWXY34679"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """Return a random short reference, e.g. "K7MC4XRA" (shown "K7MC-4XRA")."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
