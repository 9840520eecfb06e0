"""Finding staff accounts: by address, by login, and the session's account on each request."""

from sqlalchemy import select

from app.auth.passwords import verify_password
from app.database import run_in_transaction
from app.extensions import db
from app.models import StaffUser


def normalise_email(email: str) -> str:
    """Return a login address as stored: trimmed, lower case."""
    return email.strip().lower()


def find_account(email: str) -> StaffUser | None:
    """Return the account with this address (any state), or None."""
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> StaffUser | None:
    """Return the active account with these credentials, or None."""
    user = find_account(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    return user


def remember_locale(user: StaffUser, locale: str) -> None:
    """Keep the language an account chose for the back office, on every device."""
    user_id = user.id

    def unit() -> None:
        db.session.get(StaffUser, user_id).locale = locale

    run_in_transaction(unit)
