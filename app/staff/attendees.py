"""An event's attendees from the back office: the special cases.

Adding by hand, promoting, resending a ticket and correcting details are each one
unit of work: lock the event, decide, write the outbox and the audit entry, commit
once. Cancelling goes through `app.registration.services.cancel(code, actor=...)`.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.database import run_in_transaction
from app.errors import DomainError
from app.events.services import RegistrationState, lock_event, seat_counts
from app.extensions import db
from app.mail import services as mail
from app.models import EventStatus, Registration, RegistrationStatus, StaffUser
from app.registration import seats
from app.registration.organisations import organisation_key
from app.registration.services import AlreadyRegistered, RegistrationRefused
from app.staff import audit
from app.staff.auth import Permission, has_permission
from app.staff.events import EventCancelled
from app.tickets.codes import new_code

#: What staff may correct on a registration.
DETAIL_FIELDS = (
    "given_name",
    "family_name",
    "email",
    "organisation",
    "job_title",
    "phone",
    "accessibility_needs",
)


class RegistrationNotFound(DomainError):
    code = "registration_not_found"


class NotWaitlisted(DomainError):
    code = "not_waitlisted"


class NoSeatLeft(DomainError):
    """Every seat is taken: going beyond the capacity needs a reason."""

    code = "no_seat_left"


class ReasonRequired(DomainError):
    code = "reason_required"


class NotAllowed(DomainError):
    code = "not_allowed"


class RegistrationCancelled(DomainError):
    code = "registration_cancelled"


def _event_id_of(registration_id: int) -> int:
    event_id = db.session.scalar(
        select(Registration.event_id).where(Registration.id == registration_id)
    )
    if event_id is None:
        raise RegistrationNotFound()
    return event_id


def _reload(registration_id: int) -> Registration:
    query = select(Registration).where(Registration.id == registration_id)
    registration = db.session.scalar(query.execution_options(populate_existing=True))
    if registration is None:
        raise RegistrationNotFound()
    return registration


def add_by_hand(
    event_id: int,
    applicant: dict,
    actor: StaffUser,
    *,
    over_capacity: bool = False,
    reason: str = "",
    seat_only: bool = False,
) -> Registration:
    """Register someone on their behalf, whatever the registration window says.

    A free seat confirms them; without one they join the line, unless an organiser
    or admin goes beyond the capacity (`over_capacity`) and gives a `reason`. The
    e-mail domain restriction is the public form's and does not apply here. With
    `seat_only` (a walk-in at the door), no free seat means NoSeatLeft, not the line.
    """
    reason = (reason or "").strip()

    def unit():
        event = lock_event(event_id)
        if event.status == EventStatus.CANCELLED:
            raise EventCancelled()
        existing = db.session.scalar(
            select(Registration).where(
                Registration.event_id == event.id,
                Registration.email == applicant["email"],
                Registration.status != RegistrationStatus.CANCELLED,
            )
        )
        if existing is not None:
            raise AlreadyRegistered(registration_id=existing.id)
        # A free seat goes to the head of the line before anyone added by hand.
        promoted = seats.fill_seats(event)
        messages = [mail.queue("promoted", r) for r in promoted]
        counts = seat_counts(event)
        has_seat = counts.confirmed < event.capacity
        has_room = seats.organisation_has_room(event, organisation_key(applicant["organisation"]))
        bypass = False
        if has_seat and has_room:
            status, position, kind = RegistrationStatus.CONFIRMED, None, "confirmation"
        elif over_capacity:
            if not has_permission(actor, Permission.MANAGE_EVENTS):
                raise NotAllowed()
            if not reason:
                raise ReasonRequired()
            status, position, kind = RegistrationStatus.CONFIRMED, None, "confirmation"
            bypass = True
        elif seat_only:
            raise NoSeatLeft()
        elif event.waitlist_enabled:
            status, kind = RegistrationStatus.WAITLISTED, "waitlisted"
            position = counts.waiting + 1
        else:
            raise RegistrationRefused(RegistrationState.FULL)
        registration = Registration(
            event=event, code=new_code(), status=status, waitlist_position=position, **applicant
        )
        db.session.add(registration)
        db.session.flush()
        messages.append(mail.queue(kind, registration))
        after = audit.snapshot(registration, audit.REGISTRATION_FIELDS)
        if bypass:
            after |= {"over_capacity": True, "reason": reason}
        audit.record(
            actor,
            "registration.add",
            registration=registration,
            target=registration.full_name,
            before=None,
            after=after,
        )
        return registration, messages

    try:
        registration, messages = run_in_transaction(unit)
    except IntegrityError:
        # The same address registered meanwhile (the unique index on active ones).
        raise AlreadyRegistered(email=applicant["email"]) from None
    mail.deliver_after_commit(messages)
    return registration


def promote(registration_id: int, actor: StaffUser, *, reason: str = "") -> Registration:
    """Give a seat to someone in line, ahead of their turn.

    The line is served first (a free seat goes to its head); if no seat is left
    for this person, an organiser or admin may go beyond the capacity with a reason.
    A seat kept free by the per-organisation limit is given without one: staff decide.
    """
    reason = (reason or "").strip()
    event_id = _event_id_of(registration_id)

    def unit():
        event = lock_event(event_id)
        registration = _reload(registration_id)
        if registration.status != RegistrationStatus.WAITLISTED:
            raise NotWaitlisted()
        position = registration.waitlist_position
        before = {"status": registration.status, "waitlist_position": position}
        promoted = seats.fill_seats(event)
        messages = [mail.queue("promoted", r) for r in promoted]
        after = {"status": RegistrationStatus.CONFIRMED, "waitlist_position": None}
        if registration not in promoted:
            if seat_counts(event).confirmed >= event.capacity:
                if not reason:
                    raise NoSeatLeft()
                if not has_permission(actor, Permission.MANAGE_EVENTS):
                    raise NotAllowed()
                after |= {"over_capacity": True}
            place = registration.waitlist_position  # fill_seats may have moved it up
            registration.status = RegistrationStatus.CONFIRMED
            registration.waitlist_position = None
            db.session.flush()
            seats.leave_line(event, place)
            messages.append(mail.queue("promoted", registration))
        if reason:
            after["reason"] = reason
        audit.record(
            actor,
            "registration.promote",
            registration=registration,
            target=registration.full_name,
            before=before,
            after=after,
        )
        return registration, messages

    registration, messages = run_in_transaction(unit)
    mail.deliver_after_commit(messages)
    return registration


def resend_ticket(registration_id: int, actor: StaffUser) -> Registration:
    """Send the ticket again to the registrant's address."""

    def unit():
        registration = _reload(registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationCancelled()
        message = mail.queue("ticket_resent", registration)
        audit.record(
            actor,
            "registration.resend_ticket",
            registration=registration,
            target=registration.full_name,
            before=None,
            after={"email": registration.email},
        )
        return registration, [message]

    registration, messages = run_in_transaction(unit)
    mail.deliver_after_commit(messages)
    return registration


def correct_details(registration_id: int, details: dict, actor: StaffUser) -> dict:
    """Correct a registrant's contact details; return what changed (new values).

    A new address of an active registration receives the ticket at once.
    """
    event_id = _event_id_of(registration_id)
    values = {name: details[name] for name in DETAIL_FIELDS if name in details}

    def unit():
        lock_event(event_id)
        registration = _reload(registration_id)
        before = audit.snapshot(registration, DETAIL_FIELDS)
        active = registration.status != RegistrationStatus.CANCELLED
        if active and values.get("email", registration.email) != registration.email:
            taken = db.session.scalar(
                select(Registration.id).where(
                    Registration.event_id == event_id,
                    Registration.email == values["email"],
                    Registration.status != RegistrationStatus.CANCELLED,
                    Registration.id != registration.id,
                )
            )
            if taken is not None:
                raise AlreadyRegistered(registration_id=taken)
        for name, value in values.items():
            setattr(registration, name, value)
        db.session.flush()
        changed_before, changed_after = audit.changes(
            before, audit.snapshot(registration, DETAIL_FIELDS)
        )
        if not changed_after:
            return {}, []
        messages = []
        if "email" in changed_after and active:
            messages.append(mail.queue("ticket_resent", registration))
        audit.record(
            actor,
            "registration.correct",
            registration=registration,
            target=registration.full_name,
            before=changed_before,
            after=changed_after,
        )
        return changed_after, messages

    try:
        changed, messages = run_in_transaction(unit)
    except IntegrityError:
        raise AlreadyRegistered(email=values.get("email")) from None
    mail.deliver_after_commit(messages)
    return changed
