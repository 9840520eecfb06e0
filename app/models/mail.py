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
    #: The subject and bodies, rendered by the sender before the first attempt (None until
    #: then) and stored, so that every retry sends the same message (app.mail.rendering).
    #: Staff messages and the desk's lists are queued with them already written.
    subject: Mapped[str | None] = mapped_column(String(255))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: The iCalendar object joined to the message (invite, update or cancel), if any;
    #: rendered with the bodies.
    calendar: Mapped[str | None] = mapped_column(Text)
    #: Its iTIP method, REQUEST or CANCEL, decided by the change that queued the message.
    calendar_method: Mapped[str | None] = mapped_column(String(16))
    #: The invite's SEQUENCE decided by the change (with calendar_method).
    invite_sequence: Mapped[int | None]
    #: What was true when the change was made, for a message rendered later: the
    #: registration's status, its place in line, and the registrant's language.
    status_at_change: Mapped[str | None] = mapped_column(String(16))
    position_at_change: Mapped[int | None]
    locale: Mapped[str | None] = mapped_column(String(8))
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
