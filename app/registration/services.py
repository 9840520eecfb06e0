"""Registering: one unit of work that takes the seat, writes the mail, commits once."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.database import run_in_transaction
from app.errors import DomainError
from app.events.services import (
    RegistrationState,
    confirmed_count,
    get_public_event,
    registration_state,
)
from app.extensions import db
from app.mail import services as mail
from app.models import Event, OutboxMessage, Registration, RegistrationStatus, utcnow
from app.tickets.codes import looks_like_code, new_code


class RegistrationRefused(DomainError):
    """The event does not take registrations now; `code` says why."""

    def __init__(self, state: RegistrationState):
        super().__init__(state.value, state=state)
        self.code = state.value
        self.state = state


class AlreadyRegistered(DomainError):
    """This address holds an active registration; its ticket was sent again."""

    code = "already_registered"


class TicketNotFound(DomainError):
    code = "ticket_not_found"


def _active_registration(event: Event, email: str) -> Registration | None:
    query = select(Registration).where(
        Registration.event_id == event.id,
        Registration.email == email,
        Registration.status != RegistrationStatus.CANCELLED,
    )
    return db.session.scalar(query)


def register(slug: str, applicant: dict) -> Registration:
    """Register an applicant to the event `slug` and return the registration.

    Raises EventNotFound, RegistrationRefused (not open, closed, full...) or
    AlreadyRegistered (after queueing the existing ticket again).
    """

    def unit() -> tuple[Registration, bool, list[int]]:
        event = get_public_event(slug, lock=True)
        existing = _active_registration(event, applicant["email"])
        if existing is not None:
            message = mail.queue("ticket_resent", existing)
            return existing, False, [message]
        state = registration_state(event, confirmed_count(event))
        if state != RegistrationState.OPEN:
            raise RegistrationRefused(state)
        registration = Registration(
            event=event,
            code=new_code(),
            status=RegistrationStatus.CONFIRMED,
            **applicant,
        )
        db.session.add(registration)
        message = mail.queue("confirmation", registration)
        return registration, True, [message]

    try:
        registration, created, messages = run_in_transaction(unit)
    except IntegrityError:
        # A concurrent request registered the same address first: the second
        # run finds its registration and resends that ticket instead.
        registration, created, messages = run_in_transaction(unit)
    mail.deliver_after_commit(messages)
    if not created:
        raise AlreadyRegistered(email=registration.email)
    return registration


def get_registration(code: str) -> Registration:
    """Return the registration of a ticket code, or raise TicketNotFound."""
    if not looks_like_code(code):
        raise TicketNotFound()
    registration = db.session.scalar(select(Registration).where(Registration.code == code))
    if registration is None:
        raise TicketNotFound()
    return registration


def purge_expired(retention_days: int, now: datetime | None = None) -> int:
    """Delete the registrations (and their messages) of events ended `retention_days` ago.

    Returns how many registrations were deleted. The events stay, without personal data.
    """
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    expired = select(Registration.id).join(Event).where(Event.ends_at < cutoff)

    def unit() -> int:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.registration_id.in_(expired)))
        result = db.session.execute(delete(Registration).where(Registration.id.in_(expired)))
        return result.rowcount

    return run_in_transaction(unit)
