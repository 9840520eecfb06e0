"""Events: an information session, its place, seats and registration window."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, one_of, utcnow

if TYPE_CHECKING:
    from app.models.registrations import Registration


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class OrganisationOverflow(enum.StrEnum):
    """What happens to a registrant whose organisation has reached its limit."""

    WAITLIST = "waitlist"
    REFUSE = "refuse"


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(one_of("status", EventStatus), name="status_known"),
        CheckConstraint(
            "per_organisation_limit IS NULL OR per_organisation_limit > 0",
            name="per_organisation_limit_positive",
        ),
        CheckConstraint(
            one_of("organisation_overflow", OrganisationOverflow),
            name="organisation_overflow_known",
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
    #: SEQUENCE of the public event.ics and feed entry: raised on each change of time or place.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="event", lazy="dynamic", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug!r} {self.starts_at:%Y-%m-%d}>"

    @property
    def has_started(self) -> bool:
        return utcnow() >= self.starts_at

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
