"""Staff accounts: creation, roles, passwords (argon2id) and authentication."""

import functools
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from app.database import run_in_transaction
from app.errors import DomainError
from app.extensions import db, login_manager
from app.models import StaffRole, StaffUser
from app.staff import audit

_hasher = PasswordHasher()  # argon2id with the library's current parameters


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so both cases take as long.

    Made at the first login, not at import: every process (each worker, each CLI
    command) would otherwise pay an argon2 hash and its 64 MiB on start-up.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
DEMO_EMAIL = "demo@accueil.localhost"


class InvalidAccount(DomainError):
    code = "invalid_account"


class AccountExists(InvalidAccount):
    code = "account_exists"


class PasswordTooShort(InvalidAccount):
    code = "password_too_short"


class WrongPassword(DomainError):
    code = "wrong_password"


class OwnAccount(DomainError):
    """An admin may not change their own role or switch their own account off."""

    code = "own_account"


class LastAdmin(DomainError):
    code = "last_admin"


class AccountNotFound(DomainError):
    code = "account_not_found"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def _account_state(user: StaffUser) -> dict:
    return {"email": user.email, "role": user.role, "active": user.active}


def create_user(
    email: str,
    role: str,
    password: str,
    *,
    replace: bool = False,
    actor: StaffUser | None = None,
) -> StaffUser:
    """Create a staff account (or reset it when `replace`), and return it.

    `actor` is the admin doing it, None on the command line; the audit log says which.
    """
    email = normalise_email(email)
    if role not in set(StaffRole):
        raise InvalidAccount(f"unknown role {role!r}; expected {', '.join(StaffRole)}")
    password_hash = _hash(password)

    def unit() -> StaffUser:
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is not None and not replace:
            raise AccountExists(f"an account already exists for {email}")
        before = None
        if user is None:
            user = StaffUser(email=email)
            db.session.add(user)
        else:
            before = _account_state(user)
        user.role = role
        user.password_hash = password_hash
        user.active = True
        db.session.flush()
        if before is None:
            after = _account_state(user)
            audit.record(actor, "account.create", target=email, before=None, after=after)
        else:
            changed_before, changed_after = audit.changes(before, _account_state(user))
            audit.record(
                actor,
                "account.password_reset",
                target=email,
                before=changed_before or None,
                after=changed_after or None,
            )
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
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    return user


def list_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.email)))


def get_user(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id) if 0 < user_id < 2**31 else None
    if user is None:
        raise AccountNotFound()
    return user


def _lock_user(user_id: int) -> StaffUser:
    query = select(StaffUser).where(StaffUser.id == user_id).with_for_update()
    user = db.session.scalar(query.execution_options(populate_existing=True))
    if user is None:
        raise AccountNotFound()
    return user


def update_user(user_id: int, *, role: str, active: bool, actor: StaffUser) -> StaffUser:
    """Change an account's role or switch it on or off; one active admin always remains."""
    if role not in set(StaffRole):
        raise InvalidAccount(f"unknown role {role!r}")

    def unit() -> StaffUser:
        user = _lock_user(user_id)
        before = _account_state(user)
        if (role, active) == (user.role, user.active):
            return user
        if user.id == actor.id:
            raise OwnAccount()
        if user.role == StaffRole.ADMIN and user.active and (role != StaffRole.ADMIN or not active):
            # Lock every admin row so two admins cannot demote each other at once.
            admins = select(StaffUser.id).where(
                StaffUser.role == StaffRole.ADMIN, StaffUser.active.is_(True)
            )
            remaining = len(db.session.scalars(admins.with_for_update()).all())
            if remaining <= 1:
                raise LastAdmin()
        user.role = role
        user.active = active
        audit.record(
            actor, "account.update", target=user.email, before=before, after=_account_state(user)
        )
        return user

    return run_in_transaction(unit)


def reset_password(user_id: int, password: str, *, actor: StaffUser | None) -> StaffUser:
    """Give an account a new password chosen by an admin; its open sessions end."""
    password_hash = _hash(password)

    def unit() -> StaffUser:
        user = _lock_user(user_id)
        user.password_hash = password_hash
        audit.record(actor, "account.password_reset", target=user.email, before=None, after=None)
        return user

    return run_in_transaction(unit)


def set_password(email: str, password: str) -> StaffUser:
    """Replace the password of the account with this address (the command line's way)."""
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    if user is None:
        raise AccountNotFound(f"no account for {normalise_email(email)}")
    return reset_password(user.id, password, actor=None)


def change_password(user: StaffUser, current: str, new: str) -> StaffUser:
    """Change one's own password after checking the current one."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise WrongPassword() from None
    password_hash = _hash(new)
    user_id = user.id

    def unit() -> StaffUser:
        account = _lock_user(user_id)
        account.password_hash = password_hash
        audit.record(
            account, "account.password_change", target=account.email, before=None, after=None
        )
        return account

    return run_in_transaction(unit)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """Load the session's account, if it is active and its password has not changed since."""
    number, _, token = user_id.partition(":")
    if not number.isdigit() or not 0 < int(number) < 2**31:
        return None
    user = db.session.get(StaffUser, int(number))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(token, user.session_token):
        return None
    return user
