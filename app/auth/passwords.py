"""Passwords: argon2id hashes, never the password itself."""

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import DomainError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200

_hasher = PasswordHasher()  # argon2id with the library's current parameters


class PasswordTooShort(DomainError):
    code = "password_too_short"


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password long enough (else PasswordTooShort)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Tell whether a password matches a hash; with no hash, take as long and say no."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so both cases take as long.

    Made at the first login, not at import: every process (each worker, each CLI
    command) would otherwise pay an argon2 hash and its 64 MiB on start-up.
    """
    return _hasher.hash(secrets.token_urlsafe(16))
