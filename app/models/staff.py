"""Staff accounts and their roles."""

import enum
import hashlib
from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

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

    @property
    def session_token(self) -> str:
        """A digest of the password hash: a new password ends the other sessions."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:32]

    def get_id(self) -> str:
        # The token rides in the session cookie; `load_user` checks it on each request.
        return f"{self.id}:{self.session_token}"
