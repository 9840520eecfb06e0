"""Registrations: one person's seat (or place in line) at one event."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.folding import SEARCH_KEY_LENGTH, organisation_key, search_key
from app.models.base import UTCDateTime, one_of, utcnow
from app.models.events import Event

if TYPE_CHECKING:
    from app.models.staff import StaffUser


#: What a person gives when registering (the form's fields), in the form's order.
APPLICANT_FIELDS = (
    "given_name",
    "family_name",
    "email",
    "organisation",
    "job_title",
    "phone",
    "accessibility_needs",
)


#: What the one search reads, folded into `search_key` (the staff list adds the e-mail).
SEARCHED_FIELDS = ("given_name", "family_name", "organisation")


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Registration(db.Model):
    __tablename__ = "registration"
    __table_args__ = (
        CheckConstraint(one_of("status", RegistrationStatus), name="status_known"),
        # At most one active registration per (event, e-mail); cancelled ones
        # stay for the record and let the person register again.
        Index(
            "uq_registration_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text("status <> 'cancelled'"),
            postgresql_where=text("status <> 'cancelled'"),
        ),
        # The short reference tells two registrations of one event apart.
        UniqueConstraint("event_id", "reference", name="uq_registration_event_reference"),
        Index("ix_registration_event_status", "event_id", "status"),
        Index("ix_registration_event_organisation", "event_id", "organisation_key"),
        # Trigrams on PostgreSQL, so that "%lef%" does not read every row; a plain index
        # elsewhere (the migration falls back to one when pg_trgm cannot be created).
        Index(
            "ix_registration_search_key",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
        Index("ix_registration_event_updated", "event_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: Random, URL-safe, at least 128 bits; the ticket's only identifier (the QR, the door).
    #: It never allows a change.
    code: Mapped[str] = mapped_column(String(43), unique=True)
    #: Short and readable ("K7MC4XRA", shown "K7MC-4XRA"), unique within the event: on the
    #: ticket and in every e-mail, for a phone call or the door. Not a secret.
    reference: Mapped[str] = mapped_column(String(8))
    #: The second secret, only in the registrant's e-mails: it cancels, corrects, resends
    #: and erases (/m/<secret>). Random like the code, and never shown to staff.
    manage_secret: Mapped[str] = mapped_column(String(43), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    #: Normalised (lower case, IDNA domain) so that uniqueness means one person. None only
    #: for a walk-in registered at the door without one: no message goes to them.
    email: Mapped[str | None] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200))
    #: The organisation's name folded (case, accents, "Ministère de l'…") for limits.
    organisation_key: Mapped[str] = mapped_column(String(200))
    #: Names and organisation folded for the one search (app.registration.search): no case,
    #: no accents, no punctuation inside a word. Follows the fields; empty once erased.
    search_key: Mapped[str] = mapped_column(String(SEARCH_KEY_LENGTH))
    job_title: Mapped[str] = mapped_column(String(150))
    phone: Mapped[str | None] = mapped_column(String(30))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    #: The language of the registrant's e-mails, invites and reminders ("fr", "en").
    locale: Mapped[str] = mapped_column(String(8), default="fr", server_default="fr")
    #: 1 for the head of the waiting list; None unless waitlisted.
    waitlist_position: Mapped[int | None]
    #: SEQUENCE of the last calendar invite e-mailed; None until the first invite.
    invite_sequence: Mapped[int | None]
    #: When the day-before reminder was queued (sent once, however often cron runs).
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Random key of the form that created it: a replayed POST finds it again.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    #: Last change of any column (Core UPDATEs included): the cursor of the door's offline copy.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
    checked_in_by: Mapped["StaffUser | None"] = relationship()

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status} event={self.event_id}>"

    @validates("given_name", "family_name", "organisation")
    def _fold_names(self, key: str, value: str) -> str:
        # The keys always follow the names, whoever sets or corrects them.
        if key == "organisation":
            self.organisation_key = organisation_key(value)
        names = {name: getattr(self, name) for name in SEARCHED_FIELDS} | {key: value}
        self.search_key = search_key(*names.values())
        return value

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
