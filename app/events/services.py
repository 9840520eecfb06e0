"""Event rules: finding events (public or for staff), locking one, its seats and its
registration window."""

import enum
import functools
import re
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, select

from app.database import for_update
from app.errors import NotFound
from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, utcnow

#: What a slug may look like; anything else is unknown without asking the database.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


class EventNotFound(NotFound):
    code = "event_not_found"


class RegistrationState(enum.StrEnum):
    """Where an event stands for someone who wants to register now."""

    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"
    #: No seat left, but the waiting list takes registrations.
    WAITLIST = "waitlist"
    #: No seat left and no waiting list.
    FULL = "full"
    CANCELLED = "cancelled"
    PAST = "past"


def upcoming_events(now: datetime | None = None) -> list[Event]:
    """Return the published events that have not ended, soonest first."""
    now = now or utcnow()
    query = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
        .order_by(Event.starts_at)
    )
    return list(db.session.scalars(query))


def get_public_event(slug: str, *, lock: bool = False) -> Event:
    """Return the published or cancelled event with this slug, or raise EventNotFound.

    With `lock`, the event row stays locked until the end of the transaction:
    every change to an event's seats takes this lock first.
    """
    if not SLUG_PATTERN.match(slug):
        raise EventNotFound(slug=slug)
    query = select(Event).where(Event.slug == slug)
    event = db.session.scalar(for_update(query) if lock else query)
    if event is None or event.status == EventStatus.DRAFT:
        raise EventNotFound(slug=slug)
    return event


def get_event(slug: str) -> Event:
    """Return the event with this slug, whatever its status (staff), or raise EventNotFound."""
    if not SLUG_PATTERN.match(slug):
        raise EventNotFound(slug=slug)
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise EventNotFound(slug=slug)
    return event


def list_events() -> list[Event]:
    """Return every event, the latest first."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_at.desc())))


def lock_event(event_id: int) -> Event:
    """Load an event by id and lock its row until the end of the transaction."""
    query = for_update(select(Event).where(Event.id == event_id))
    event = db.session.scalar(query.execution_options(populate_existing=True))
    if event is None:
        raise EventNotFound(event_id=event_id)
    return event


class SeatCounts(NamedTuple):
    confirmed: int
    waiting: int


class Listed(NamedTuple):
    """An upcoming event as the home page lists it: where registration stands."""

    event: Event
    state: "RegistrationState"
    seats_left: int


def upcoming_listing(now: datetime | None = None) -> list[Listed]:
    """Return the upcoming events with their registration state and seats left (two queries)."""
    now = now or utcnow()
    events = upcoming_events(now)
    query = (
        select(Registration.event_id, func.count())
        .where(
            Registration.event_id.in_([event.id for event in events]),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.event_id)
    )
    confirmed = dict(db.session.execute(query).all()) if events else {}
    return [
        Listed(
            event,
            registration_state(event, confirmed.get(event.id, 0), now),
            max(0, event.capacity - confirmed.get(event.id, 0)),
        )
        for event in events
    ]


def get_public_event_and_counts(slug: str) -> tuple[Event, SeatCounts]:
    """Return a public event and its seat counts, read in one query (its page, at each visit)."""
    if not SLUG_PATTERN.match(slug):
        raise EventNotFound(slug=slug)
    row = db.session.execute(_event_and_counts(), {"slug": slug}).one_or_none()
    if row is None or row[0].status == EventStatus.DRAFT:
        raise EventNotFound(slug=slug)
    return row[0], SeatCounts(row[1], row[2])


@functools.cache
def _event_and_counts():
    """The event page's query, built once: building it cost as much as running it."""

    def count(status: RegistrationStatus):
        return (
            select(func.count())
            .where(Registration.event_id == Event.id, Registration.status == status)
            .scalar_subquery()
        )

    confirmed, waiting = count(RegistrationStatus.CONFIRMED), count(RegistrationStatus.WAITLISTED)
    return select(Event, confirmed, waiting).where(Event.slug == bindparam("slug"))


def seat_counts(event: Event) -> SeatCounts:
    """Count an event's confirmed and waiting registrations, in one query."""
    query = (
        select(Registration.status, func.count())
        .where(
            Registration.event_id == event.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .group_by(Registration.status)
    )
    counts = {status: count for status, count in db.session.execute(query)}
    return SeatCounts(
        counts.get(RegistrationStatus.CONFIRMED, 0), counts.get(RegistrationStatus.WAITLISTED, 0)
    )


def registration_state(
    event: Event, confirmed: int, now: datetime | None = None
) -> RegistrationState:
    """Tell whether registration is possible now, and if not, why."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.ends_at <= now:
        return RegistrationState.PAST
    if event.registration_opens_at and now < event.registration_opens_at:
        return RegistrationState.NOT_YET_OPEN
    closes_at = event.registration_closes_at or event.starts_at
    if now >= closes_at:
        return RegistrationState.CLOSED
    if confirmed >= event.capacity:
        return RegistrationState.WAITLIST if event.waitlist_enabled else RegistrationState.FULL
    return RegistrationState.OPEN
