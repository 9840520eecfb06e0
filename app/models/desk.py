"""The building's security desk: where its list goes, what it was sent, and the files sent.

The desk gets the list of people expected at the cutoff, then addenda of the changes only;
`DeskEntry` remembers who the desk already knows as expected, so that an addendum lists only
what changed since. Files joined to a message live in `outbox_attachment`, beside the outbox.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.events import Event
from app.models.mail import OutboxMessage
from app.models.registrations import Registration


class DeskSetting(db.Model):
    """An event's desk: its addresses and cutoff (None: the day before at 12:00, Paris)."""

    __tablename__ = "desk_setting"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    #: Comma-separated e-mail addresses; "" sends nothing.
    recipients: Mapped[str] = mapped_column(Text, default="")
    cutoff_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(
        backref=backref("desk_setting", uselist=False, passive_deletes=True)
    )

    def __repr__(self) -> str:
        return f"<DeskSetting event={self.event_id} {self.recipients!r}>"

    @property
    def addresses(self) -> list[str]:
        return [address for address in self.recipients.split(",") if address]


class DeskSending(db.Model):
    """One sending to the desk: the list, an addendum, or a list or addendum sent again."""

    __tablename__ = "desk_sending"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    #: `list`, `addendum` or `resend`.
    kind: Mapped[str] = mapped_column(String(16))
    #: For a resend: the sending sent again.
    resent_id: Mapped[int | None] = mapped_column(ForeignKey("desk_sending.id"))
    recipients: Mapped[str] = mapped_column(Text)
    #: People expected (list) or people added (addendum).
    added: Mapped[int] = mapped_column(Integer, default=0)
    #: People no longer expected (addendum).
    removed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None for the command line and the worker.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: The outbox message of the first recipient, whose body and files a resend copies.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL")
    )

    message: Mapped[OutboxMessage | None] = relationship()

    def __repr__(self) -> str:
        return f"<DeskSending {self.id} {self.kind} event={self.event_id}>"


class DeskEntry(db.Model):
    """A person the desk knows as expected (sent in a list or an addendum, not withdrawn)."""

    __tablename__ = "desk_entry"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True
    )

    registration: Mapped[Registration] = relationship()

    def __repr__(self) -> str:
        return f"<DeskEntry event={self.event_id} registration={self.registration_id}>"


class OutboxAttachment(db.Model):
    """A file joined to an outbox message (the desk's PDF and spreadsheet)."""

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True
    )
    #: The desk sending it belongs to: the files go when the event's data is purged.
    sending_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_sending.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    #: "application/pdf"...
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    sending: Mapped[DeskSending | None] = relationship()
    message: Mapped[OutboxMessage] = relationship(
        backref=backref(
            "attachments",
            order_by="OutboxAttachment.id",
            cascade="all, delete-orphan",
            passive_deletes=True,
        )
    )

    def __repr__(self) -> str:
        return f"<OutboxAttachment {self.id} {self.filename!r}>"
