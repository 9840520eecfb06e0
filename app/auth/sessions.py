"""Staff sessions, kept on the server: a random key in the cookie, its hash in the database.

Logging out, a new password or switching an account off ends sessions at once; a session
also ends after STAFF_SESSION_IDLE without a request, and STAFF_SESSION_LIFETIME after
login whatever happens (long enough for a door shift).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.database import run_in_transaction
from app.extensions import db
from app.models import StaffSession, StaffUser, utcnow

#: A session's last request is written down at most this often (a write, not on every request).
TOUCH_EVERY = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open_session(user: StaffUser, user_agent: str = "") -> str:
    """Open a session for an account; return its key (for the cookie) and attach it to `user`."""
    key = secrets.token_urlsafe(32)
    user_id = user.id

    def unit() -> None:
        record = StaffSession(key_hash=_digest(key), user_id=user_id, user_agent=user_agent[:200])
        db.session.add(record)

    run_in_transaction(unit)
    user.session_key = key
    return key


def load_user(key: str) -> StaffUser | None:
    """Return the account of a live session (Flask-Login's user loader), or None."""
    if not key or len(key) > 100:
        return None
    record = db.session.scalar(select(StaffSession).where(StaffSession.key_hash == _digest(key)))
    now = utcnow()
    if record is None or not _live(record, now) or not record.user.active:
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        _touch(record.id, now)
    user = record.user
    user.session_key = key
    return user


def _live(record: StaffSession, now: datetime) -> bool:
    config = current_app.config
    return (
        record.revoked_at is None
        and now - record.last_seen_at < config["STAFF_SESSION_IDLE"]
        and now - record.created_at < config["STAFF_SESSION_LIFETIME"]
    )


def _touch(session_id: int, now: datetime) -> None:
    def unit() -> None:
        db.session.execute(
            update(StaffSession).where(StaffSession.id == session_id).values(last_seen_at=now)
        )

    run_in_transaction(unit)


def end_session(key: str | None) -> None:
    """End one session (logging out): its cookie no longer opens anything."""
    if key:
        run_in_transaction(lambda: _revoke(StaffSession.key_hash == _digest(key)))


def end_sessions(user_id: int, *, keep: str | None = None) -> None:
    """End every session of an account, but the one whose key is `keep` (inside a unit)."""
    condition = StaffSession.user_id == user_id
    if keep:
        condition &= StaffSession.key_hash != _digest(keep)
    _revoke(condition)


def _revoke(condition) -> None:
    db.session.execute(
        update(StaffSession)
        .where(condition, StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
