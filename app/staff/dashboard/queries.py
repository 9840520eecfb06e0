"""Figures for the dashboards: seats, line, door, cancellations, registrations per day."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, utcnow

#: The chart shows at most this many days (the most recent ones).
MAX_DAYS = 60


@dataclass
class Figures:
    capacity: int = 0
    confirmed: int = 0
    waiting: int = 0
    checked_in: int = 0
    cancelled: int = 0

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.confirmed)


def staff_events(now=None) -> tuple[list[Event], list[Event]]:
    """Return (upcoming, past) events of every status; upcoming soonest first."""
    now = now or utcnow()
    upcoming = select(Event).where(Event.ends_at > now).order_by(Event.starts_at)
    past = select(Event).where(Event.ends_at <= now).order_by(Event.starts_at.desc()).limit(10)
    return list(db.session.scalars(upcoming)), list(db.session.scalars(past))


def figures(events: list[Event]) -> dict[int, Figures]:
    """Count each event's registrations by status, and its check-ins, in one query."""
    result = {event.id: Figures(capacity=event.capacity) for event in events}
    if not events:
        return result
    query = (
        select(
            Registration.event_id,
            Registration.status,
            func.count(),
            func.count(Registration.checked_in_at),
        )
        .where(Registration.event_id.in_(result))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, count, checked_in in db.session.execute(query):
        item = result[event_id]
        item.checked_in += checked_in
        if status == RegistrationStatus.CONFIRMED:
            item.confirmed = count
        elif status == RegistrationStatus.WAITLISTED:
            item.waiting = count
        elif status == RegistrationStatus.CANCELLED:
            item.cancelled = count
    return result


def total(items: list[Figures]) -> Figures:
    summed = Figures()
    for item in items:
        for name in ("capacity", "confirmed", "waiting", "checked_in", "cancelled"):
            setattr(summed, name, getattr(summed, name) + getattr(item, name))
    return summed


def registrations_per_day(
    event_ids: list[int], zone: ZoneInfo, max_days: int = MAX_DAYS
) -> list[tuple[date, int]]:
    """Count registrations made each day (local days of `zone`), gaps filled with 0.

    Every registration counts on the day it was made, even if cancelled since.
    """
    if not event_ids:
        return []
    query = select(Registration.created_at).where(Registration.event_id.in_(event_ids))
    days = Counter(moment.astimezone(zone).date() for moment in db.session.scalars(query))
    if not days:
        return []
    first, last = min(days), max(days)
    first = max(first, last - timedelta(days=max_days - 1))
    return [
        (first + timedelta(days=n), days[first + timedelta(days=n)])
        for n in range((last - first).days + 1)
    ]


def top_organisations(event_ids: list[int], limit: int = 10) -> list[tuple[str, int]]:
    """Return the organisations with the most active registrants, in their commonest spelling.

    Spellings are grouped by the folded key ("Ministère de l'Intérieur" and
    "MINISTERE INTERIEUR" are one organisation).
    """
    if not event_ids:
        return []
    query = (
        select(Registration.organisation_key, Registration.organisation, func.count())
        .where(
            Registration.event_id.in_(event_ids),
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .group_by(Registration.organisation_key, Registration.organisation)
    )
    totals: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for key, spelling, count in db.session.execute(query):
        totals[key] += count
        spellings[key][spelling] += count
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    # Most common spelling; ties go to the alphabetically first, so the page is stable.
    return [
        (min(spellings[key].items(), key=lambda s: (-s[1], s[0]))[0], count)
        for key, count in ranked
    ]


def dashboard_event_ids(upcoming: list[Event]) -> list[int]:
    """The events the main dashboard's chart and ranking cover: upcoming, not cancelled."""
    return [event.id for event in upcoming if event.status != EventStatus.CANCELLED]
