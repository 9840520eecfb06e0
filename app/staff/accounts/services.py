"""Staff accounts: creation, roles and passwords, each change one audited unit of work.

Finding an account and logging in live in app.auth (the API's tokens and the login
page use them too).
"""

import secrets

from sqlalchemy import select

from app import audit
from app.auth.accounts import find_account, normalise_email
from app.auth.passwords import hash_password, verify_password
from app.auth.sessions import end_sessions
from app.database import run_in_transaction
from app.errors import DomainError, NotFound
from app.extensions import db
from app.models import StaffRole, StaffUser

DEMO_EMAIL = "demo@accueil.localhost"


class InvalidAccount(DomainError):
    code = "invalid_account"


class AccountExists(InvalidAccount):
    code = "account_exists"


class WrongPassword(DomainError):
    code = "wrong_password"


class OwnAccount(DomainError):
    """An admin may not change their own role or switch their own account off."""

    code = "own_account"


class LastAdmin(DomainError):
    code = "last_admin"


class AccountNotFound(NotFound):
    code = "account_not_found"


def _account_state(user: StaffUser) -> dict:
    return {"email": user.email, "role": user.role, "active": user.active}


def _check_role(role: str) -> None:
    if role not in set(StaffRole):
        raise InvalidAccount(f"unknown role {role!r}; expected {', '.join(StaffRole)}")


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
    _check_role(role)
    password_hash = hash_password(password)

    def unit() -> StaffUser:
        user = find_account(email)
        if user is not None and not replace:
            raise AccountExists(f"an account already exists for {email}")
        before = None if user is None else _account_state(user)
        if user is None:
            user = StaffUser(email=email)
            db.session.add(user)
        else:
            end_sessions(user.id)  # a reset password: whoever held the old one is out
        user.role, user.password_hash, user.active = role, password_hash, True
        db.session.flush()
        if before is None:
            action, before, after = "account.create", None, _account_state(user)
        else:
            action = "account.password_reset"
            before, after = audit.changes(before, _account_state(user))
        audit.record(actor, action, target=email, before=before or None, after=after or None)
        return user

    return run_in_transaction(unit)


def create_demo_user() -> tuple[StaffUser, str]:
    """Create or reset the demo admin with a fresh random password."""
    password = secrets.token_urlsafe(12)
    return create_user(DEMO_EMAIL, StaffRole.ADMIN, password, replace=True), password


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
    _check_role(role)

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
        if not active:
            end_sessions(user.id)
        audit.record(
            actor, "account.update", target=user.email, before=before, after=_account_state(user)
        )
        return user

    return run_in_transaction(unit)


def reset_password(user_id: int, password: str, *, actor: StaffUser | None) -> StaffUser:
    """Give an account a new password chosen by an admin; all its sessions end."""
    return _replace_password(user_id, password, actor, "account.password_reset")


def set_password(email: str, password: str) -> StaffUser:
    """Replace the password of the account with this address (the command line's way)."""
    user = find_account(email)
    if user is None:
        raise AccountNotFound(f"no account for {normalise_email(email)}")
    return reset_password(user.id, password, actor=None)


def change_password(user: StaffUser, current: str, new: str) -> StaffUser:
    """Change one's own password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    return _replace_password(
        user.id, new, None, "account.password_change", by_owner=True, keep=user.session_key
    )


def _replace_password(
    user_id: int,
    password: str,
    actor: StaffUser | None,
    action: str,
    *,
    by_owner: bool = False,
    keep: str | None = None,
) -> StaffUser:
    password_hash = hash_password(password)

    def unit() -> StaffUser:
        user = _lock_user(user_id)
        user.password_hash = password_hash
        end_sessions(user.id, keep=keep)
        audit.record(
            user if by_owner else actor, action, target=user.email, before=None, after=None
        )
        return user

    return run_in_transaction(unit)
