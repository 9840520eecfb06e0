"""The data model: events, registrations, staff accounts and the mail outbox.

Instants are stored in UTC and always come back timezone-aware, on SQLite too.
Models hold data and small derived properties; rules live in the services.
"""

import enum
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.registration.organisations import organisation_key


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware instant, stored in UTC on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a timezone-aware column")
        value = value.astimezone(UTC)
        # SQLite has no time zones: store the UTC wall time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class OrganisationOverflow(enum.StrEnum):
    """What happens to a registrant whose organisation has reached its limit."""

    WAITLIST = "waitlist"
    REFUSE = "refuse"


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


def _in(column: str, enum_cls: type[enum.StrEnum]) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return f"{column} IN ({values})"


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(_in("status", EventStatus), name="status_known"),
        CheckConstraint(
            "per_organisation_limit IS NULL OR per_organisation_limit > 0",
            name="per_organisation_limit_positive",
        ),
        CheckConstraint(
            _in("organisation_overflow", OrganisationOverflow), name="organisation_overflow_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public identifier in URLs (`/e/<slug>`).
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: IANA zone the event is shown in (Europe/Paris).
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    #: Seats; the confirmed count never exceeds it.
    capacity: Mapped[int] = mapped_column(Integer)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Most confirmed seats one organisation may hold; None means no limit.
    per_organisation_limit: Mapped[int | None]
    #: Beyond the per-organisation limit: wait in line, or be refused.
    organisation_overflow: Mapped[str] = mapped_column(
        String(16), default=OrganisationOverflow.WAITLIST, server_default="waitlist"
    )
    #: Space-separated e-mail domains allowed to register (subdomains included); "" = any.
    allowed_email_domains: Mapped[str] = mapped_column(String(500), default="", server_default="")
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), default=EventStatus.DRAFT)
    organiser_name: Mapped[str] = mapped_column(String(200))
    organiser_email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="event", lazy="dynamic", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug!r} {self.starts_at:%Y-%m-%d}>"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.tz)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.tz)

    @property
    def email_domains(self) -> list[str]:
        return self.allowed_email_domains.split()

    @property
    def address(self) -> str:
        """The postal address on one line."""
        parts = [self.venue_name, self.street, f"{self.postcode} {self.city}"]
        return ", ".join(part for part in parts if part.strip())


class Registration(db.Model):
    __tablename__ = "registration"
    __table_args__ = (
        CheckConstraint(_in("status", RegistrationStatus), name="status_known"),
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
        Index("ix_registration_event_status", "event_id", "status"),
        Index("ix_registration_event_organisation", "event_id", "organisation_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    #: Random, URL-safe, at least 128 bits; the ticket's only identifier.
    code: Mapped[str] = mapped_column(String(43), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    #: Normalised (lower case, IDNA domain) so that uniqueness means one person.
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200))
    #: The organisation's name folded (case, accents, "Ministère de l'…") for limits.
    organisation_key: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(150))
    phone: Mapped[str | None] = mapped_column(String(30))
    accessibility_needs: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    #: 1 for the head of the waiting list; None unless waitlisted.
    waitlist_position: Mapped[int | None]
    #: Random key of the form that created it: a replayed POST finds it again.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship(back_populates="registrations")
    checked_in_by: Mapped["StaffUser | None"] = relationship()

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status} event={self.event_id}>"

    @validates("organisation")
    def _fold_organisation(self, _key: str, name: str) -> str:
        # The key always follows the name, whoever sets or corrects it.
        self.organisation_key = organisation_key(name)
        return name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class StaffRole(enum.StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    CHECKIN = "checkin"
    VIEWER = "viewer"


class StaffUser(db.Model):
    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(_in("role", StaffRole), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: argon2id hash; never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StaffUser {self.email!r} {self.role}>"

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """A message written in the transaction that causes it, delivered after commit."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(_in("status", OutboxStatus), name="status_known"),
        Index("ix_outbox_message_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable across retries, so that a resent message is recognised as the same.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


__all__ = [
    "Event",
    "EventStatus",
    "OrganisationOverflow",
    "OutboxMessage",
    "OutboxStatus",
    "Registration",
    "RegistrationStatus",
    "StaffRole",
    "StaffUser",
    "utcnow",
]
