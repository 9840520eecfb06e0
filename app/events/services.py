"""Event rules: what is public, the registration window, seats, the seed meeting."""

import enum
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.database import for_update, run_in_transaction
from app.errors import DomainError
from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, utcnow

#: What a slug may look like; anything else is unknown without asking the database.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


class EventNotFound(DomainError):
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


# The information meeting of the announcement (numerique.gouv.fr, 2 April 2019).
MEETING = {
    "title": "Réunion d'information : expérimenter l'intelligence artificielle "
    "dans l'administration (AMI IA)",
    "description": (
        "La DINSIC et la DITP organisent une réunion d'information à destination des "
        "administrations sur le deuxième appel à manifestation d'intérêt « Intelligence "
        "artificielle » : expérimenter l'IA dans les services publics.\n\n"
        "Les administrations d'État et les opérateurs peuvent proposer leurs projets "
        "jusqu'au 31 mai. Les lauréats bénéficieront d'un accompagnement de la DINSIC et "
        "de la DITP afin d'aboutir à un prototype fonctionnel, tout en anticipant et en "
        "préparant les transformations métier associées. Nouveauté de ce deuxième appel : "
        "les projets techniquement plus exploratoires pourront bénéficier d'un "
        "accompagnement spécifique, via un partenariat avec un institut de recherche ou "
        "une entreprise innovante.\n\n"
        "La réunion présente l'appel, les sept critères de sélection et le calendrier "
        "(audition par un jury début juillet, lauréats annoncés mi-juillet, accompagnement "
        "à partir de septembre), et répond à vos questions."
    ),
    "venue_name": "",
    "street": "20 avenue de Ségur",
    "postcode": "75007",
    "city": "Paris",
    "organiser_name": "DINSIC et DITP",
    "organiser_email": "equipe-ami-ia@data.gouv.fr",
    "timezone": "Europe/Paris",
}
DEFAULT_CAPACITY = 150


def next_meeting_date(today: date) -> date:
    """Return the next 16 April, today included."""
    candidate = date(today.year, 4, 16)
    return candidate if candidate >= today else date(today.year + 1, 4, 16)


def seed_meeting(
    day: date | None = None, capacity: int = DEFAULT_CAPACITY, slug: str | None = None
) -> tuple[Event, bool]:
    """Create the announced meeting, published and open; return it and whether it is new.

    An existing event with the same slug is returned untouched, so seeding twice
    is harmless.
    """
    zone = ZoneInfo(MEETING["timezone"])
    day = day or next_meeting_date(datetime.now(zone).date())
    slug = slug or f"reunion-information-ami-ia-{day.year}"
    starts_at = datetime.combine(day, time(14, 0), zone).astimezone(UTC)

    def create() -> tuple[Event, bool]:
        existing = db.session.scalar(select(Event).where(Event.slug == slug))
        if existing is not None:
            return existing, False
        event = Event(
            slug=slug,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            capacity=capacity,
            registration_opens_at=None,
            registration_closes_at=starts_at,
            status=EventStatus.PUBLISHED,
            **MEETING,
        )
        db.session.add(event)
        return event, True

    return run_in_transaction(create)
