"""The audit log: who did what to which record, when, and how it was before and after."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.events import Event
    from app.models.registrations import Registration
    from app.models.staff import StaffUser


class AuditEntry(db.Model):
    """One staff action, written in the unit of work that performs it."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_created_at", "created_at"),
        Index("ix_audit_entry_event_created", "event_id", "created_at"),
        Index("ix_audit_entry_actor_created", "actor_id", "created_at"),
        Index("ix_audit_entry_registration", "registration_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None for the command line; kept (SET NULL) should an account ever be deleted.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    #: The actor's address at the time, so the entry still reads after a change of address.
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    #: Dotted and stable: "event.update", "registration.cancel"...
    action: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    #: Entries about a registration hold personal data: they go when it is purged (CASCADE).
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE")
    )
    #: What the action was about, in words ("Camille Martin", "staff account a@b.fr").
    target: Mapped[str] = mapped_column(String(300))
    #: The changed values before and after (JSON objects; None when there is no such state).
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped["StaffUser | None"] = relationship()
    event: Mapped["Event | None"] = relationship()
    registration: Mapped["Registration | None"] = relationship(passive_deletes=True)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} by={self.actor_id}>"
