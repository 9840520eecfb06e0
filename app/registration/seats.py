"""Seat rules, run inside a unit of work that holds the event's lock.

Nothing here commits or locks: callers (the services) take the event's lock
first, so the counts read here cannot change until their commit. Whoever gets a
freed seat is sent the "promoted" message from here, with the unit's commit.
"""

from collections import Counter

from sqlalchemy import func, select, update

from app.errors import DomainError
from app.events.services import SeatCounts, seat_counts
from app.extensions import db
from app.mail import services as mail
from app.models import Event, OrganisationOverflow, Registration, RegistrationStatus, utcnow


class CapacityBelowConfirmed(DomainError):
    """Fewer seats than confirmed people: refused, nobody loses a confirmed seat."""

    code = "capacity_below_confirmed"

    def __init__(self, confirmed: int):
        super().__init__(self.code, confirmed=confirmed)
        self.confirmed = confirmed


def check_capacity(event: Event, capacity: int) -> None:
    """Refuse a capacity below the confirmed count (raises CapacityBelowConfirmed)."""
    confirmed = seat_counts(event).confirmed
    if capacity < confirmed:
        raise CapacityBelowConfirmed(confirmed)


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


def fill_seats(event: Event, counts: SeatCounts | None = None) -> list[Registration]:
    """Promote from the head of the line into every free seat; return who was promoted.

    Someone whose organisation is at its limit keeps their place in line and
    the seat goes to the next person; the line is then numbered 1, 2, 3...
    Each person promoted is sent their ticket (the "promoted" message).
    """
    counts = counts or seat_counts(event)
    free = event.capacity - counts.confirmed
    if free <= 0 or counts.waiting == 0:
        return []
    line = waiting_line(event)
    by_organisation = confirmed_by_organisation(event)
    promoted = []
    for registration in line:
        if len(promoted) == free:
            break
        if not organisation_has_room(event, registration.organisation_key, by_organisation):
            continue
        registration.status = RegistrationStatus.CONFIRMED
        registration.waitlist_position = None
        by_organisation[registration.organisation_key] += 1
        promoted.append(registration)
    if promoted == line[: len(promoted)]:
        # The usual case, the head of the line moved in: everyone else moves up at once.
        db.session.flush()
        _move_up(event, after=0, by=len(promoted))
    else:
        remaining = [r for r in line if r.status == RegistrationStatus.WAITLISTED]
        for position, registration in enumerate(remaining, start=1):
            registration.waitlist_position = position
    for registration in promoted:
        mail.queue("promoted", registration)
    return promoted


def leave(event: Event, registration: Registration) -> None:
    """Cancel a registration: its seat is free, or the line closes the gap it leaves.

    The caller fills the freed seat (`fill_seats`) once it has said what it had to.
    """
    position = registration.waitlist_position
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    registration.waitlist_position = None
    db.session.flush()
    if position is not None:
        leave_line(event, position)


def leave_line(event: Event, position: int) -> None:
    """Close the gap left by whoever stood at `position`: everyone behind moves up."""
    _move_up(event, after=position, by=1)


def _move_up(event: Event, *, after: int, by: int) -> None:
    db.session.execute(
        update(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.waitlist_position > after,
        )
        .values(waitlist_position=Registration.waitlist_position - by)
        .execution_options(synchronize_session="fetch")
    )
