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
_REFERENCE_SYMBOLS = frozenset(REFERENCE_ALPHABET)


def new_reference() -> str:
    """Return a random short reference, e.g. "K7MC4XRA" (shown "K7MC-4XRA")."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


#: What may stand between the two halves of a typed reference: a hyphen (or the dash a
#: phone's keyboard puts instead) or spaces.
_REFERENCE_SEPARATORS = re.compile(r"[\s\u002d\u2010-\u2015]")


def parse_reference(text: str) -> str | None:
    """Return the short reference in what someone typed ("k7mc-4xra", "K7MC4XRA"), or None.

    Case does not matter, nor the hyphen; nothing else is guessed: the alphabet has no
    look-alikes, so a typed "0" or "O" is simply not a reference.
    """
    compact = _REFERENCE_SEPARATORS.sub("", text).upper()
    if len(compact) != REFERENCE_LENGTH or not set(compact) <= _REFERENCE_SYMBOLS:
        return None
    return compact
