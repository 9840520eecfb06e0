"""Staff accounts: creation, password hashing (argon2id) and authentication."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.database import run_in_transaction
from app.errors import DomainError
from app.extensions import db, login_manager
from app.models import StaffRole, StaffUser

_hasher = PasswordHasher()  # argon2id with the library's current parameters
#: Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
MIN_PASSWORD_LENGTH = 12
DEMO_EMAIL = "demo@accueil.localhost"


class InvalidAccount(DomainError):
    code = "invalid_account"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, role: str, password: str, *, replace: bool = False) -> StaffUser:
    """Create a staff account (or reset it when `replace`), and return it."""
    email = normalise_email(email)
    if role not in set(StaffRole):
        raise InvalidAccount(f"unknown role {role!r}; expected {', '.join(StaffRole)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAccount(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    password_hash = _hasher.hash(password)

    def unit() -> StaffUser:
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is not None and not replace:
            raise InvalidAccount(f"an account already exists for {email}")
        if user is None:
            user = StaffUser(email=email)
            db.session.add(user)
        user.role = role
        user.password_hash = password_hash
        user.active = True
        return user

    return run_in_transaction(unit)


def create_demo_user() -> tuple[StaffUser, str]:
    """Create or reset the demo admin with a fresh random password."""
    password = secrets.token_urlsafe(12)
    return create_user(DEMO_EMAIL, StaffRole.ADMIN, password, replace=True), password


def authenticate(email: str, password: str) -> StaffUser | None:
    """Return the active account with these credentials, or None."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    return user


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    if not user_id.isdigit():
        return None
    return db.session.get(StaffUser, int(user_id))
