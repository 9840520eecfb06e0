"""Seat rules, run inside a unit of work that holds the event's lock.

Nothing here commits or locks: callers (the services) take the event's lock
first, so the counts read here cannot change until their commit.
"""

from collections import Counter

from sqlalchemy import func, select

from app.events.services import confirmed_count
from app.extensions import db
from app.models import Event, OrganisationOverflow, Registration, RegistrationStatus


def waiting_line(event: Event) -> list[Registration]:
    """Return the waitlisted registrations, head of the line first."""
    query = (
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.waitlist_position, Registration.id)
    )
    return list(db.session.scalars(query))


def confirmed_by_organisation(event: Event) -> Counter:
    query = (
        select(Registration.organisation_key, func.count())
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.organisation_key)
    )
    return Counter({key: count for key, count in db.session.execute(query)})


def organisation_has_room(event: Event, key: str, counts: Counter | None = None) -> bool:
    if event.per_organisation_limit is None:
        return True
    counts = confirmed_by_organisation(event) if counts is None else counts
    return counts[key] < event.per_organisation_limit


def may_wait_for_organisation(event: Event) -> bool:
    return event.waitlist_enabled and event.organisation_overflow == OrganisationOverflow.WAITLIST


def fill_seats(event: Event) -> list[Registration]:
    """Promote from the head of the line into every free seat; return who was promoted.

    Someone whose organisation is at its limit keeps their place in line and
    the seat goes to the next person; the line is then numbered 1, 2, 3...
    """
    free = event.capacity - confirmed_count(event)
    line = waiting_line(event)
    promoted = []
    if free > 0 and line:
        counts = confirmed_by_organisation(event)
        for registration in line:
            if len(promoted) == free:
                break
            if not organisation_has_room(event, registration.organisation_key, counts):
                continue
            registration.status = RegistrationStatus.CONFIRMED
            registration.waitlist_position = None
            counts[registration.organisation_key] += 1
            promoted.append(registration)
    renumber([r for r in line if r.status == RegistrationStatus.WAITLISTED])
    return promoted


def renumber(line: list[Registration]) -> None:
    """Give the people in line the positions 1, 2, 3... in their current order."""
    for position, registration in enumerate(line, start=1):
        if registration.waitlist_position != position:
            registration.waitlist_position = position
