"""Staff accounts and their roles."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, one_of, utcnow


class StaffRole(enum.StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    CHECKIN = "checkin"
    VIEWER = "viewer"


class StaffUser(db.Model):
    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(one_of("role", StaffRole), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: argon2id hash; never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    #: The language of the back office for this account; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StaffUser {self.email!r} {self.role}>"

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    #: The key of the server-side session this account was loaded through (not a column):
    #: Flask-Login keeps it in the cookie, and each request finds the session by it.
    session_key = None

    def get_id(self) -> str | None:
        return self.session_key


class StaffSession(db.Model):
    """A staff login, kept on the server: logout, a new password or the time limits end it."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random key in the session cookie; the key itself is never stored.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Updated at most once a minute: the idle limit counts from here.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The browser it was opened from, to tell sessions apart in a list.
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[StaffUser] = relationship()

    def __repr__(self) -> str:
        return f"<StaffSession {self.id} user={self.user_id} revoked={self.revoked_at}>"
