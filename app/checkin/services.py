"""Checking people in: one conditional write per scan, so a ticket gets in once.

However many phones scan the same ticket at once, the UPDATE that sets
checked_in_at only where it is still empty succeeds for exactly one of them;
the others read who got in and when. A retried scan with the same nonce finds
its first record and answers the same.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.checkin.queries import last_scan
from app.database import run_in_transaction
from app.errors import DomainError
from app.extensions import db
from app.models import (
    Event,
    Registration,
    RegistrationStatus,
    Scan,
    ScanResult,
    StaffUser,
    utcnow,
)
from app.registration import search as registration_search
from app.registration.services import add_by_hand
from app.tickets.codes import looks_like_code, parse_reference

TICKET_PATH = re.compile(r"/t/([A-Za-z0-9_-]+)/?$")
#: Control characters are dropped before a scan is stored (PostgreSQL refuses NUL).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_SCANNED = 300


@dataclass(frozen=True)
class ScanOutcome:
    result: ScanResult
    registration: Registration | None
    #: The first accepted scan: when, and by whom (for "already checked in").
    checked_in_at: datetime | None
    checked_in_by: str | None


class NothingToUndo(DomainError):
    code = "nothing_to_undo"


def parse_code(scanned: str) -> str | None:
    """Return the ticket code in a scanned text (the ticket URL or the bare code), or None."""
    text = scanned.strip()
    if "/" in text:
        match = TICKET_PATH.search(urlsplit(text).path)
        text = match.group(1) if match else ""
    return text if looks_like_code(text) else None


def _outcome(
    result: ScanResult, registration: Registration | None, actor_id=None, actor_email=None
) -> ScanOutcome:
    checked_in_at = checked_in_by = None
    if registration is not None and registration.checked_in_at is not None:
        checked_in_at = registration.checked_in_at
        if actor_id is not None and registration.checked_in_by_id == actor_id:
            checked_in_by = actor_email  # this very scan, or the same person's earlier one
        else:
            by = registration.checked_in_by
            checked_in_by = by.email if by is not None else None
    return ScanOutcome(result, registration, checked_in_at, checked_in_by)


def _target(event_id: int, scanned: str, registration_id: int | None):
    """The condition that finds what was scanned (a code, a short reference or a door
    search's id), or None when it reads as none of them."""
    if registration_id is not None:
        return Registration.id == registration_id
    code = parse_code(scanned)
    if code is not None:
        return Registration.code == code
    reference = parse_reference(scanned)
    if reference is not None:
        # Unique within the event only: another event's reference is simply unknown here.
        return (Registration.event_id == event_id) & (Registration.reference == reference)
    return None


def _admit_at_once(found, event_id: int, actor_id: int | None, now: datetime):
    """Check in what was scanned if it may get in and is not in yet, and return it; or None.

    One conditional UPDATE decides and returns the ticket: the usual scan (a valid ticket
    at its first scan) costs one statement. Whoever it does not let in is judged after.
    """
    if current_app.config.get("CHECKIN_GUARD_DISABLED", False):
        return None  # the test-only canary goes the check-then-update way (_admit)
    query = (
        update(Registration)
        .where(
            found,
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.checked_in_at.is_(None),
        )
        .values(checked_in_at=now, checked_in_by_id=actor_id)
        .returning(Registration)
    )
    options = {"synchronize_session": False, "populate_existing": True}
    return db.session.scalars(query, execution_options=options).one_or_none()


def _admit(registration: Registration, actor_id: int | None, now: datetime) -> bool:
    """Set the check-in time if it is still empty; tell whether this scan set it."""
    if current_app.config.get("CHECKIN_GUARD_DISABLED", False):
        # Test-only canary: check-then-update, the race the conditional write prevents.
        if registration.checked_in_at is not None:
            return False
        registration.checked_in_at = now
        registration.checked_in_by_id = actor_id
        db.session.flush()
        return True
    result = db.session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.checked_in_at.is_(None),
        )
        .values(checked_in_at=now, checked_in_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _judge(found, event_id: int) -> tuple[ScanResult | None, Registration | None]:
    """Say why a scan cannot get in, or (None, registration) when it is confirmed."""
    registration = db.session.scalar(select(Registration).where(found))
    if registration is None:
        return ScanResult.UNKNOWN, None
    if registration.event_id != event_id:
        return ScanResult.OTHER_EVENT, registration
    if registration.status == RegistrationStatus.CANCELLED:
        return ScanResult.CANCELLED, registration
    if registration.status == RegistrationStatus.WAITLISTED:
        return ScanResult.WAITLISTED, registration
    return None, registration


def _scan(event_id, scanned, registration_id, actor_id, now):
    """Let a scan in if it may be: return its result and whom it found."""
    found = _target(event_id, scanned, registration_id)
    if found is None:
        return ScanResult.MALFORMED, None
    registration = _admit_at_once(found, event_id, actor_id, now)
    if registration is not None:
        return ScanResult.CHECKED_IN, registration
    result, registration = _judge(found, event_id)
    if result is not None:
        return result, registration
    # Confirmed but not let in above: in already (or, rarely, undone since: try again).
    if registration.checked_in_at is None and _admit(registration, actor_id, now):
        db.session.refresh(registration)
        return ScanResult.CHECKED_IN, registration
    db.session.refresh(registration)
    return ScanResult.ALREADY_CHECKED_IN, registration


def check_in(
    event: Event,
    scanned: str,
    *,
    actor: StaffUser | None,
    registration_id: int | None = None,
    token_id: int | None = None,
    device: str = "",
    nonce: str | None = None,
) -> ScanOutcome:
    """Record one scan at the door and return what it means.

    `scanned` is what the scanner read or someone typed (the ticket URL, the code or the
    short reference, in any case, with or without its hyphen); a door search's one-tap
    admit gives the `registration_id` instead, since the door never sees ticket codes.
    """
    if registration_id is not None:
        scanned = f"#{registration_id}"
    event_id = event.id
    actor_id, actor_email = (actor.id, actor.email) if actor is not None else (None, None)

    def unit() -> ScanOutcome:
        if nonce:
            earlier = db.session.scalar(
                select(Scan).where(Scan.event_id == event_id, Scan.nonce == nonce)
            )
            if earlier is not None:
                return _outcome(ScanResult(earlier.result), earlier.registration)
        now = utcnow()
        result, registration = _scan(event_id, scanned, registration_id, actor_id, now)
        db.session.add(
            Scan(
                event_id=event_id,
                registration_id=registration.id if registration else None,
                scanned=CONTROL.sub("", scanned)[:MAX_SCANNED],
                result=result,
                staff_user_id=actor_id,
                api_token_id=token_id,
                device=CONTROL.sub("", device)[:200],
                nonce=nonce,
                created_at=now,
            )
        )
        return _outcome(result, registration, actor_id, actor_email)

    try:
        # The answer is read right after: what the unit loaded stays loaded.
        return run_in_transaction(unit, expire=False)
    except IntegrityError:
        # The same nonce arrived twice at once: the second run finds the first scan.
        return run_in_transaction(unit, expire=False)


def undo_last(
    event: Event,
    *,
    actor: StaffUser | None,
    device: str = "",
    registration_id: int | None = None,
) -> Registration:
    """Undo the last check-in this person made at this event's door; return whom it was.

    With a `registration_id` (the person the door's confirmation named), only if that
    last check-in was theirs: a stale screen never undoes someone else's entry.
    """
    event_id = event.id

    def unit() -> Registration:
        last = last_scan(event_id, actor)
        if last is None or last.result != ScanResult.CHECKED_IN:
            raise NothingToUndo()
        if registration_id is not None and last.registration_id != registration_id:
            raise NothingToUndo()
        registration = last.registration
        registration.checked_in_at = None
        registration.checked_in_by_id = None
        db.session.add(
            Scan(
                event_id=event_id,
                registration_id=registration.id,
                scanned="",
                result=ScanResult.UNDONE,
                staff_user_id=actor.id if actor else None,
                device=device[:200],
            )
        )
        return registration

    return run_in_transaction(unit)


def door_counts(event: Event) -> dict[str, int]:
    """Return the live counters of the door: checked in and confirmed."""
    query = select(
        func.count().filter(Registration.checked_in_at.is_not(None)),
        func.count(),
    ).where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    checked_in, confirmed = db.session.execute(query).one()
    return {"checked_in": checked_in, "confirmed": confirmed}


def search(event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Find registrations by name or organisation, accents and case aside."""
    return registration_search.find(event, query, limit=limit)


def walk_in(
    event: Event,
    applicant: dict,
    *,
    actor: StaffUser,
    device: str = "",
    over_capacity: bool = False,
    reason: str = "",
) -> ScanOutcome:
    """Register someone at the door and let them in at once: on a free seat, or beyond
    the capacity when an organiser or admin says so with a reason (audited).

    Raises NoSeatLeft, NotAllowed (a door-only account going beyond), ReasonRequired or
    AlreadyRegistered; nothing is stored then.
    """
    registration = add_by_hand(
        event.id, applicant, actor, walk_in=True, over_capacity=over_capacity, reason=reason
    )
    return check_in(event, registration.code, actor=actor, device=device or "walk-in")
