"""Placement: the one rule that seats a newcomer or puts them in line.

The public form, staff adding someone by hand and walk-ins at the door all come
through `place`, inside a unit of work that holds the event's lock. What
differs between them is a `Channel`: the public form alone is bound by the
registration window, the e-mail domains and the per-organisation refusal; a
walk-in never joins the line. Staff may go beyond the capacity with an
`Override` (a role that allows it, and a reason).
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.events.services import RegistrationState, registration_state, seat_counts
from app.extensions import db
from app.folding import organisation_key
from app.mail import services as mail
from app.models import Event, EventStatus, Registration, RegistrationStatus
from app.registration import seats
from app.registration.errors import (
    EmailDomainNotAllowed,
    NoSeatLeft,
    NotAllowed,
    OrganisationLimitReached,
    ReasonRequired,
    RegistrationRefused,
)
from app.tickets.codes import new_code, new_reference


@dataclass(frozen=True)
class Channel:
    """How someone comes in, and so which rules apply."""

    #: The registration window, the e-mail domains and the organisation's refusal apply.
    public: bool
    #: Without a seat they may join the waiting list (a walk-in at the door may not).
    may_wait: bool


PUBLIC_FORM = Channel(public=True, may_wait=True)
BY_HAND = Channel(public=False, may_wait=True)
WALK_IN = Channel(public=False, may_wait=False)


@dataclass(frozen=True)
class Override:
    """Staff going beyond the capacity: whether their role allows it, and why."""

    allowed: bool
    reason: str


@dataclass(frozen=True)
class Placement:
    registration: Registration
    #: Confirmed beyond the capacity, through an Override.
    over_capacity: bool = False


def email_allowed(email: str, domains: list[str]) -> bool:
    """Tell whether an address belongs to one of the domains or their subdomains."""
    if not domains:
        return True
    host = email.rpartition("@")[2].lower()
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def place(
    event: Event,
    applicant: dict,
    channel: Channel,
    *,
    override: Override | None = None,
    reference: str | None = None,
) -> Placement:
    """Add a newcomer, confirmed or at the end of the line, and queue their message.

    `reference` is a short reference the caller knows to be free in the event (else one
    is drawn). A freed seat goes to the head of the line before any newcomer. Raises
    EmailDomainNotAllowed, RegistrationRefused, OrganisationLimitReached,
    NoSeatLeft, NotAllowed or ReasonRequired; nothing is added then.
    """
    if channel.public and not email_allowed(applicant["email"], event.email_domains):
        raise EmailDomainNotAllowed(event.email_domains)
    counts = seat_counts(event)
    if seats.fill_seats(event, counts):
        counts = seat_counts(event)
    _check_open(event, counts.confirmed, channel)
    has_seat = counts.confirmed < event.capacity
    has_room = seats.organisation_has_room(event, organisation_key(applicant["organisation"]))
    over_capacity = False
    if has_seat and has_room:
        status = RegistrationStatus.CONFIRMED
    elif override is not None:
        _check_override(override)
        status, over_capacity = RegistrationStatus.CONFIRMED, True
    elif channel.public and not has_room and not seats.may_wait_for_organisation(event):
        raise OrganisationLimitReached(event.per_organisation_limit)
    elif not channel.may_wait:
        raise NoSeatLeft()
    elif event.waitlist_enabled:
        status = RegistrationStatus.WAITLISTED
    else:
        raise RegistrationRefused(RegistrationState.FULL)
    waiting = status == RegistrationStatus.WAITLISTED
    registration = Registration(
        event=event,
        code=new_code(),
        reference=reference or free_reference(event),
        manage_secret=new_code(),
        status=status,
        waitlist_position=counts.waiting + 1 if waiting else None,
        **applicant,
    )
    db.session.add(registration)
    mail.queue("waitlisted" if waiting else "confirmation", registration)
    return Placement(registration, over_capacity)


def free_reference(event: Event) -> str:
    """Return a short reference that no registration of the event holds (under its lock)."""
    while True:
        reference = new_reference()
        taken = db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.reference == reference
            )
        )
        if taken is None:
            return reference


def _check_open(event: Event, confirmed: int, channel: Channel) -> None:
    if channel.public:
        state = registration_state(event, confirmed)
        if state not in (RegistrationState.OPEN, RegistrationState.WAITLIST):
            raise RegistrationRefused(state)
    elif event.status == EventStatus.CANCELLED:
        raise RegistrationRefused(RegistrationState.CANCELLED)


def _check_override(override: Override) -> None:
    if not override.allowed:
        raise NotAllowed()
    if not override.reason:
        raise ReasonRequired()
