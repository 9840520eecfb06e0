"""What the door reads: the last entry a staff member made, a ticket's state at the door."""

from sqlalchemy import select

from app.extensions import db
from app.models import Registration, RegistrationStatus, Scan, ScanResult, StaffUser


def last_scan(event_id: int, actor: StaffUser | None) -> Scan | None:
    """Return this person's last check-in or undo at this event's door, or None."""
    return db.session.scalar(
        select(Scan)
        .where(
            Scan.event_id == event_id,
            Scan.staff_user_id == (actor.id if actor else None),
            Scan.result.in_([ScanResult.CHECKED_IN, ScanResult.UNDONE]),
        )
        .order_by(Scan.id.desc())
        .limit(1)
    )


def undoable_entry(event_id: int, actor: StaffUser | None) -> Registration | None:
    """Return whom this person let in last, if that entry may still be undone."""
    last = last_scan(event_id, actor)
    if last is None or last.result != ScanResult.CHECKED_IN:
        return None
    registration = last.registration
    return registration if registration.checked_in_at is not None else None


def door_state(registration: Registration) -> str:
    """Say what a ticket means at the door, as one word: the scan result it would give."""
    if registration.status == RegistrationStatus.CANCELLED:
        return str(ScanResult.CANCELLED)
    if registration.status == RegistrationStatus.WAITLISTED:
        return str(ScanResult.WAITLISTED)
    if registration.checked_in_at is not None:
        return str(ScanResult.ALREADY_CHECKED_IN)
    return "admissible"


def registration_at(event_id: int, registration_id: int) -> Registration | None:
    """Return a registration of this event by its id, or None."""
    registration = db.session.get(Registration, registration_id)
    return registration if registration and registration.event_id == event_id else None
