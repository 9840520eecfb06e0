"""The mail outbox: messages written with the change that causes them."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, one_of, utcnow
from app.models.registrations import Registration


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """A message written in the transaction that causes it, delivered after commit."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(one_of("status", OutboxStatus), name="status_known"),
        Index("ix_outbox_message_status_next", "status", "next_attempt_at"),
        # The per-recipient cap counts an address's messages of the last hour.
        Index("ix_outbox_message_recipient_created", "recipient", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable across retries, so that a resent message is recognised as the same.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    #: Where a reply goes: the event's organisers ("DINSIC et DITP <equipe@…>"), not the robot.
    reply_to: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    #: The iCalendar object joined to the message (invite, update or cancel), if any.
    calendar: Mapped[str | None] = mapped_column(Text)
    #: Its iTIP method: REQUEST or CANCEL.
    calendar_method: Mapped[str | None] = mapped_column(String(16))
    #: The ticket URL whose QR code is joined to the message, if any.
    ticket_url: Mapped[str | None] = mapped_column(String(300))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A sender that claimed the message holds it until then; a crashed sender's claim lapses.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
