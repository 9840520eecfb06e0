"""Messages staff write to a segment of an event's registrants (by attendance)."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, one_of, utcnow
from app.models.events import Event
from app.models.staff import StaffUser


class Segment(enum.StrEnum):
    """Who a message goes to."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CHECKED_IN = "checked_in"
    #: Confirmed, but not checked in.
    NO_SHOW = "no_show"


class StaffMessage(db.Model):
    """One message written by staff, sent as one outbox row per recipient."""

    __tablename__ = "staff_message"
    __table_args__ = (CheckConstraint(one_of("segment", Segment), name="segment_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    segment: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    #: Plain text as typed; escaped wherever it is shown or mailed as HTML.
    body: Mapped[str] = mapped_column(Text)
    #: Each recipient's attendance certificate is joined (checked-in segment only).
    with_certificate: Mapped[bool] = mapped_column(default=False)
    #: Random per compose form: a second POST of the same form finds this message again.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: Outbox rows written (one per recipient with an address).
    recipients: Mapped[int] = mapped_column(default=0)
    #: Registrations of the segment without an e-mail address (a walk-in may have none).
    skipped: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    actor: Mapped[StaffUser | None] = relationship()

    def __repr__(self) -> str:
        return f"<StaffMessage {self.id} {self.segment} event={self.event_id}>"
