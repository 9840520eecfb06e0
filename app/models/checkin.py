"""The door: every scan recorded, and the API tokens of hand-held scanners."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, exists, text
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, one_of, utcnow
from app.models.registrations import Registration

if TYPE_CHECKING:
    from app.models.staff import StaffUser


class ScanResult(enum.StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"
    OTHER_EVENT = "other_event"
    UNKNOWN = "unknown"
    MALFORMED = "malformed"
    #: The undo of an earlier check-in.
    UNDONE = "undone"


class Scan(db.Model):
    """One scan at the door, whatever its result: duplicates and undos stay auditable."""

    __tablename__ = "scan"
    __table_args__ = (
        CheckConstraint(one_of("result", ScanResult), name="result_known"),
        # A client's retry carries the same nonce: it is the same scan.
        Index(
            "uq_scan_event_nonce",
            "event_id",
            "nonce",
            unique=True,
            sqlite_where=text("nonce IS NOT NULL"),
            postgresql_where=text("nonce IS NOT NULL"),
        ),
        Index("ix_scan_event_created", "event_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: None when the scanned text matched no registration.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE")
    )
    #: What the scanner read (a URL or a bare code), cut to 300 characters.
    scanned: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[str] = mapped_column(String(24))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    api_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL")
    )
    #: The device or session it came from (the browser's own label and user agent).
    device: Mapped[str] = mapped_column(String(200), default="")
    nonce: Mapped[str | None] = mapped_column(String(64))
    #: When the scan happened (for an offline scan: the phone's time, kept as the check-in's).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When an offline scan reached the server; None for a scan made online.
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped["Registration | None"] = relationship()
    staff_user: Mapped["StaffUser | None"] = relationship()

    def __repr__(self) -> str:
        return f"<Scan {self.id} {self.result} registration={self.registration_id}>"


class CheckinConflict(db.Model):
    """Two phones let the same ticket in (one of them offline): both scans, for staff to check."""

    __tablename__ = "checkin_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    #: The first scan in time: the one the check-in keeps.
    first_scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    #: The later scan, which found the ticket already used.
    second_scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped["Registration"] = relationship()
    first_scan: Mapped[Scan] = relationship(foreign_keys=[first_scan_id])
    second_scan: Mapped[Scan] = relationship(foreign_keys=[second_scan_id])

    def __repr__(self) -> str:
        return f"<CheckinConflict {self.id} registration={self.registration_id}>"


class ApiToken(db.Model):
    """A bearer token for a scanner or another tool; only its hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    #: SHA-256 of the token (the token is 256 random bits: no slow hash needed).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters, to tell tokens apart in a list.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["StaffUser"] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… user={self.user_id}>"


# Whether the door recorded a conflict on a ticket: the API's `conflict` field. Declared here,
# after both tables, so that registrations.py needs nothing of the door.
Registration.has_conflict = column_property(
    exists().where(CheckinConflict.registration_id == Registration.id)
)
