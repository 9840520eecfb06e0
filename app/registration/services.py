"""Registering and cancelling: one unit of work that takes the event's lock, decides,
writes the outbox messages and commits once (retried as a whole on lock conflicts)."""

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from app.database import run_in_transaction
from app.errors import DomainError
from app.events.services import (
    RegistrationState,
    get_public_event,
    lock_event,
    registration_state,
    seat_counts,
)
from app.extensions import db
from app.mail import services as mail
from app.models import Event, OutboxMessage, Registration, RegistrationStatus, StaffUser, utcnow
from app.registration import seats
from app.registration.organisations import organisation_key
from app.registration.seats import CapacityBelowConfirmed  # noqa: F401 (set_capacity raises it)
from app.staff import audit
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


class EmailDomainNotAllowed(DomainError):
    code = "email_domain_not_allowed"

    def __init__(self, domains: list[str]):
        super().__init__(self.code, domains=domains)
        self.domains = domains


class OrganisationLimitReached(DomainError):
    code = "organisation_limit_reached"

    def __init__(self, limit: int):
        super().__init__(self.code, limit=limit)
        self.limit = limit


class TicketNotFound(DomainError):
    code = "ticket_not_found"


def email_allowed(email: str, domains: list[str]) -> bool:
    """Tell whether an address belongs to one of the domains or their subdomains."""
    if not domains:
        return True
    host = email.rpartition("@")[2].lower()
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def register(slug: str, applicant: dict, submission_key: str | None = None) -> Registration:
    """Register an applicant to the event `slug`, confirmed or in line; return the registration.

    A replayed submission (same `submission_key`) returns the registration it
    created. Raises EventNotFound, RegistrationRefused (not open, closed,
    full...), EmailDomainNotAllowed, OrganisationLimitReached, or
    AlreadyRegistered (after queueing the existing ticket again).
    """

    def unit() -> tuple[Registration, bool, list[OutboxMessage]]:
        event = get_public_event(slug, lock=True)
        # One query finds a replayed submission or an active registration of this address.
        same = Registration.email == applicant["email"]
        if submission_key:
            same = or_(same, Registration.submission_key == submission_key)
        found = db.session.scalars(
            select(Registration).where(Registration.event_id == event.id, same)
        ).all()
        for registration in found:
            if submission_key and registration.submission_key == submission_key:
                return registration, True, []
        for registration in found:
            if registration.status != RegistrationStatus.CANCELLED:
                return registration, False, [mail.queue("ticket_resent", registration)]
        if not email_allowed(applicant["email"], event.email_domains):
            raise EmailDomainNotAllowed(event.email_domains)
        # A free seat goes to the head of the line before any newcomer.
        counts = seat_counts(event)
        promoted = seats.fill_seats(event, counts)
        if promoted:
            counts = seat_counts(event)
        messages = [mail.queue("promoted", r) for r in promoted]
        state = registration_state(event, counts.confirmed)
        if state not in (RegistrationState.OPEN, RegistrationState.WAITLIST):
            raise RegistrationRefused(state)
        if not seats.organisation_has_room(event, organisation_key(applicant["organisation"])):
            if not seats.may_wait_for_organisation(event):
                raise OrganisationLimitReached(event.per_organisation_limit)
            state = RegistrationState.WAITLIST
        if state == RegistrationState.OPEN:
            status, position, kind = RegistrationStatus.CONFIRMED, None, "confirmation"
        else:
            position = counts.waiting + 1
            status, kind = RegistrationStatus.WAITLISTED, "waitlisted"
        registration = Registration(
            event=event,
            code=new_code(),
            submission_key=submission_key,
            status=status,
            waitlist_position=position,
            **applicant,
        )
        db.session.add(registration)
        messages.append(mail.queue(kind, registration))
        return registration, True, messages

    try:
        registration, created, messages = run_in_transaction(unit)
    except IntegrityError:
        # A concurrent request registered the same address first (possible only
        # without the lock): the second run finds it and resends that ticket.
        registration, created, messages = run_in_transaction(unit)
    mail.deliver_after_commit(messages)
    if not created:
        raise AlreadyRegistered(email=registration.email)
    return registration


def cancel(code: str, actor: StaffUser | None = None) -> tuple[Registration, list[Registration]]:
    """Cancel a registration and give its seat to the line; return it and who was promoted.

    Cancelling a cancelled registration changes nothing. A staff `actor` is
    written to the audit log; the registrant's own cancellation is not.
    """
    found = get_registration(code)
    event_id = found.event_id

    def unit():
        event = lock_event(event_id)
        registration = db.session.scalar(
            select(Registration)
            .where(Registration.id == found.id)
            .execution_options(populate_existing=True)
        )
        if registration.status == RegistrationStatus.CANCELLED:
            return registration, [], []
        position = registration.waitlist_position
        before = {"status": registration.status}
        if position is not None:
            before["waitlist_position"] = position
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = utcnow()
        registration.waitlist_position = None
        db.session.flush()
        if position is not None:
            seats.leave_line(event, position)
        promoted = seats.fill_seats(event)
        messages = [mail.queue("cancelled", registration)]
        messages += [mail.queue("promoted", r) for r in promoted]
        if actor is not None:
            after = {"status": registration.status}
            if promoted:
                after["promoted"] = [r.full_name for r in promoted]
            audit.record(
                actor,
                "registration.cancel",
                registration=registration,
                target=registration.full_name,
                before=before,
                after=after,
            )
        return registration, promoted, messages

    registration, promoted, messages = run_in_transaction(unit)
    mail.deliver_after_commit(messages)
    return registration, promoted


def set_capacity(event_id: int, capacity: int) -> list[Registration]:
    """Change an event's seats; raising fills them from the line, lowering below the
    confirmed count is refused (CapacityBelowConfirmed). Returns who was promoted."""

    def unit():
        event = lock_event(event_id)
        seats.check_capacity(event, capacity)
        event.capacity = capacity
        promoted = seats.fill_seats(event)
        return promoted, [mail.queue("promoted", r) for r in promoted]

    promoted, messages = run_in_transaction(unit)
    mail.deliver_after_commit(messages)
    return promoted


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
