"""An event's attendees from the back office: promoting ahead of the line, correcting.

Each is one unit of work: lock the event, decide, write the outbox and the audit
entry, commit once. Adding someone by hand (`add_by_hand`), cancelling (`cancel`) and
resending a ticket (`resend_ticket`) are app.registration.services', with the staff
member as `actor`.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth import Permission, has_permission
from app.database import run_in_transaction
from app.errors import DomainError
from app.events.services import lock_event, seat_counts
from app.extensions import db
from app.mail import services as mail
from app.models import APPLICANT_FIELDS, Registration, RegistrationStatus, StaffUser
from app.registration import seats
from app.registration.errors import (
    AlreadyRegistered,
    NoSeatLeft,
    NotAllowed,
)
from app.registration.services import event_id_of, reload_registration

#: What staff may correct on a registration.
DETAIL_FIELDS = (*APPLICANT_FIELDS, "locale")


class NotWaitlisted(DomainError):
    code = "not_waitlisted"


def promote(registration_id: int, actor: StaffUser, *, reason: str = "") -> Registration:
    """Give a seat to someone in line, ahead of their turn.

    The line is served first (a free seat goes to its head); if no seat is left
    for this person, an organiser or admin may go beyond the capacity with a reason.
    A seat kept free by the per-organisation limit is given without one: staff decide.
    """
    reason = (reason or "").strip()
    event_id = event_id_of(registration_id)

    def unit() -> Registration:
        event = lock_event(event_id)
        registration = reload_registration(registration_id)
        if registration.status != RegistrationStatus.WAITLISTED:
            raise NotWaitlisted()
        before = {
            "status": registration.status,
            "waitlist_position": registration.waitlist_position,
        }
        promoted = seats.fill_seats(event)
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
            mail.queue("promoted", registration)
        if reason:
            after["reason"] = reason
        audit.record(
            actor,
            "registration.promote",
            registration=registration,
            before=before,
            after=after,
        )
        return registration

    return run_in_transaction(unit)


def correct_details(registration_id: int, details: dict, actor: StaffUser) -> dict:
    """Correct a registrant's contact details; return what changed (new values).

    A new address of an active registration receives the ticket at once.
    """
    event_id = event_id_of(registration_id)
    values = {name: details[name] for name in DETAIL_FIELDS if name in details}

    def unit() -> dict:
        lock_event(event_id)
        registration = reload_registration(registration_id)
        before = audit.snapshot(registration, DETAIL_FIELDS)
        active = registration.status != RegistrationStatus.CANCELLED
        if active and values.get("email", registration.email) != registration.email:
            _check_address_free(event_id, values["email"], registration.id)
        for name, value in values.items():
            setattr(registration, name, value)
        db.session.flush()
        changed_before, changed_after = audit.changes(
            before, audit.snapshot(registration, DETAIL_FIELDS)
        )
        if not changed_after:
            return {}
        if "email" in changed_after and active:
            mail.queue("ticket_resent", registration)
        audit.record(
            actor,
            "registration.correct",
            registration=registration,
            before=changed_before,
            after=changed_after,
        )
        return changed_after

    try:
        return run_in_transaction(unit)
    except IntegrityError:
        raise AlreadyRegistered(email=values.get("email")) from None


def _check_address_free(event_id: int, email: str, registration_id: int) -> None:
    taken = db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == event_id,
            Registration.email == email,
            Registration.status != RegistrationStatus.CANCELLED,
            Registration.id != registration_id,
        )
    )
    if taken is not None:
        raise AlreadyRegistered(registration_id=taken)
