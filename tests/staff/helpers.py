"""Helpers of the staff tests: accounts of each role, sessions, audit and outbox readers."""

import functools

from argon2 import PasswordHasher
from flask import g, has_app_context
from sqlalchemy import select

from app.extensions import db as _db
from app.models import AuditEntry, OutboxMessage, StaffUser

PASSWORD = "un mot de passe de test"


@functools.cache
def password_hash() -> str:
    """Hash once per run: argon2id is slow on purpose."""
    return PasswordHasher().hash(PASSWORD)


def make_staff(role: str, email: str | None = None, **overrides) -> StaffUser:
    user = StaffUser(
        email=email or f"{role}@numerique.gouv.fr",
        role=role,
        password_hash=password_hash(),
        **overrides,
    )
    _db.session.add(user)
    _db.session.commit()
    return user


def log_in(client, user: StaffUser) -> None:
    """Open a session as `user`, as Flask-Login would after a successful login."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    # The test's app context outlives each request: forget the user loaded before.
    if has_app_context():
        g.pop("_login_user", None)


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    _db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(_db.session.scalars(query))


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    _db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(_db.session.scalars(query))
