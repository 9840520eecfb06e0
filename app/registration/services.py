"""Registering and cancelling: each one unit of work that takes the event's lock, decides,
writes the outbox messages and commits once (retried as a whole on lock conflicts).

Who gets a seat and who waits is decided in one place, `placement.place`, for the
public form, staff adding someone by hand and walk-ins alike.
"""

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth import Permission, has_permission
from app.database import run_in_transaction
from app.events.services import get_public_event, lock_event
from app.extensions import db
from app.mail import services as mail
from app.models import (
    APPLICANT_FIELDS,
    Registration,
    RegistrationStatus,
    StaffUser,
)
from app.registration import placement, seats
from app.registration.errors import (
    AlreadyRegistered,
    EventStarted,
    RegistrationCancelled,
    RegistrationNotFound,
    ResendTooSoon,
    TicketNotFound,
)
from app.tickets.codes import looks_like_code, new_reference


def register(slug: str, applicant: dict, submission_key: str | None = None) -> Registration:
    """Register an applicant to the event `slug`, confirmed or in line; return the registration.

    A replayed submission (same `submission_key`) returns the registration it
    created. Raises EventNotFound, RegistrationRefused (not open, closed,
    full...), EmailDomainNotAllowed, OrganisationLimitReached, or
    AlreadyRegistered (after queueing the existing ticket again).
    """

    def unit() -> tuple[Registration, bool]:
        event = get_public_event(slug, lock=True)
        # One query finds a replayed submission or an active registration of this
        # address, and tells whether the new short reference is free: each condition
        # is one of the unique indexes, whatever the number of registrations.
        reference = new_reference()
        active = Registration.status != RegistrationStatus.CANCELLED
        same = or_(
            and_(Registration.email == applicant["email"], active),
            Registration.reference == reference,
        )
        if submission_key:
            same = or_(same, Registration.submission_key == submission_key)
        found = db.session.scalars(
            select(Registration).where(Registration.event_id == event.id, same)
        ).all()
        for registration in found:
            if submission_key and registration.submission_key == submission_key:
                return registration, True
        for registration in found:
            mine = registration.email == applicant["email"]
            if mine and registration.status != RegistrationStatus.CANCELLED:
                mail.queue("ticket_resent", registration)
                return registration, False
        if any(registration.reference == reference for registration in found):
            reference = None  # taken: place() draws another
        newcomer = applicant | {"submission_key": submission_key}
        placed = placement.place(event, newcomer, placement.PUBLIC_FORM, reference=reference)
        return placed.registration, True

    try:
        # The view reads the ticket's code right after: it stays loaded.
        registration, created = run_in_transaction(unit, expire=False)
    except IntegrityError:
        # A concurrent request registered the same address first (possible only
        # without the lock): the second run finds it and resends that ticket.
        registration, created = run_in_transaction(unit, expire=False)
    if not created:
        raise AlreadyRegistered(email=registration.email)
    return registration


def add_by_hand(
    event_id: int,
    applicant: dict,
    actor: StaffUser,
    *,
    over_capacity: bool = False,
    reason: str = "",
    walk_in: bool = False,
) -> Registration:
    """Register someone on their behalf, whatever the registration window says.

    A free seat confirms them; without one they join the line, unless an organiser
    or admin goes beyond the capacity (`over_capacity`) and gives a `reason`. The
    e-mail domain restriction is the public form's and does not apply here. A
    `walk_in` at the door gets a seat or NoSeatLeft, never the line.
    """
    channel = placement.WALK_IN if walk_in else placement.BY_HAND
    override = None
    if over_capacity:
        allowed = has_permission(actor, Permission.MANAGE_EVENTS)
        override = placement.Override(allowed, (reason or "").strip())

    def unit() -> Registration:
        event = lock_event(event_id)
        # A walk-in may come without an address: nothing to compare then.
        existing = applicant.get("email") and db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.email == applicant["email"],
                Registration.status != RegistrationStatus.CANCELLED,
            )
        )
        if existing:
            raise AlreadyRegistered(registration_id=existing)
        placed = placement.place(event, applicant, channel, override=override)
        registration = placed.registration
        db.session.flush()
        after = audit.snapshot(registration, audit.REGISTRATION_FIELDS)
        if placed.over_capacity:
            after |= {"over_capacity": True, "reason": override.reason}
        audit.record(
            actor,
            "registration.walk_in" if walk_in else "registration.add",
            registration=registration,
            before=None,
            after=after,
        )
        return registration

    try:
        return run_in_transaction(unit)
    except IntegrityError:
        # The same address registered meanwhile (the unique index on active ones).
        raise AlreadyRegistered(email=applicant["email"]) from None


def cancel(
    registration_id: int, actor: StaffUser | None = None
) -> tuple[Registration, list[Registration]]:
    """Cancel a registration and give its seat to the line; return it and who was promoted.

    Cancelling a cancelled registration changes nothing. A staff `actor` is written to the
    audit log; the registrant's own cancellation (through their management link) is not.
    Once the meeting has begun, registrants no longer cancel (EventStarted) and a seat
    freed by staff goes to nobody: a "a seat is free" message would come too late.
    """
    event_id = event_id_of(registration_id)

    def unit():
        event = lock_event(event_id)
        registration = reload_registration(registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration, []
        if event.has_started and actor is None:
            raise EventStarted()
        before = {"status": registration.status}
        if registration.waitlist_position is not None:
            before["waitlist_position"] = registration.waitlist_position
        seats.leave(event, registration)
        mail.queue("cancelled", registration)
        promoted = [] if event.has_started else seats.fill_seats(event)
        if actor is not None:
            after = {"status": registration.status}
            if promoted:
                after["promoted"] = [r.full_name for r in promoted]
            audit.record(
                actor,
                "registration.cancel",
                registration=registration,
                before=before,
                after=after,
            )
        return registration, promoted

    return run_in_transaction(unit)


def get_registration(code: str) -> Registration:
    """Return the registration of a ticket code, or raise TicketNotFound.

    The ticket code shows a ticket and lets the door in; it never changes anything.
    """
    return _find(Registration.code, code)


def get_managed(secret: str) -> Registration:
    """Return the registration of a management secret, or raise TicketNotFound."""
    return _find(Registration.manage_secret, secret)


def _find(column, secret: str) -> Registration:
    if not looks_like_code(secret):
        raise TicketNotFound()
    registration = db.session.scalar(select(Registration).where(column == secret))
    if registration is None:
        raise TicketNotFound()
    return registration


def event_id_of(registration_id: int) -> int:
    event_id = db.session.scalar(
        select(Registration.event_id).where(Registration.id == registration_id)
    )
    if event_id is None:
        raise RegistrationNotFound()
    return event_id


def reload_registration(registration_id: int) -> Registration:
    """Read a registration again inside a unit of work, as the database has it now."""
    query = select(Registration).where(Registration.id == registration_id)
    registration = db.session.scalar(query.execution_options(populate_existing=True))
    if registration is None:
        raise RegistrationNotFound()
    return registration


def resend_ticket(registration_id: int, actor: StaffUser | None = None) -> Registration:
    """Send the ticket (and the management link) again to the registrant's own address.

    At most once in RESEND_INTERVAL per registration (ResendTooSoon): the button is a
    way to find one's ticket, not a way to flood someone's inbox.
    """

    def unit() -> Registration:
        registration = reload_registration(registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationCancelled()
        if mail.queue("ticket_resent", registration) is None:
            raise ResendTooSoon()
        if actor is not None:
            after = {"email": registration.email}
            audit.record(
                actor,
                "registration.resend_ticket",
                registration=registration,
                before=None,
                after=after,
            )
        return registration

    return run_in_transaction(unit)


#: What a registrant may correct themselves; the address stays (it receives the link).
OWN_DETAILS = tuple(name for name in APPLICANT_FIELDS if name != "email")


def correct_own_details(registration_id: int, details: dict) -> bool:
    """Let the registrant correct their own details (not their address); tell if any changed."""

    def unit() -> bool:
        registration = reload_registration(registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationCancelled()
        changed = False
        for name in OWN_DETAILS:
            if name in details and getattr(registration, name) != details[name]:
                setattr(registration, name, details[name])
                changed = True
        return changed

    return run_in_transaction(unit)
