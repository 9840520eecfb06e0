"""Forgetting people, everywhere their data lands: registrations, the outbox and the files
of the development transport, door scans, the audit log.

`erase_person` answers a request (the registrant's own page, or `flask data erase`);
`purge_expired` runs after the retention period (`flask data purge`). Seats an erased
person held go to the line as for any cancellation. The audit log keeps that an erasure
happened, and nothing about whom.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from app import audit
from app.database import run_in_transaction
from app.events.services import lock_event
from app.extensions import db
from app.mail.transports import forget_files
from app.models import (
    AuditEntry,
    Event,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Scan,
    utcnow,
)
from app.registration import seats
from app.tickets.codes import new_code

#: What an erased person's fields read afterwards.
ERASED = "—"
#: Audit values that are about the event's seats, not about a person: they stay.
IMPERSONAL_KEYS = {"status", "waitlist_position", "over_capacity"}


def erase_person(email: str, *, requested_by: str = "registrant") -> int:
    """Erase one person (by address) from every event; return how many registrations.

    `requested_by` says, for the audit log, who asked: "registrant" or "operator".
    """
    email = email.strip().lower()
    found = db.session.execute(
        select(Registration.id, Registration.event_id).where(Registration.email == email)
    ).all()
    for registration_id, event_id in found:
        run_in_transaction(lambda r=registration_id, e=event_id: _erase(r, e, requested_by))
    ids = {registration_id for registration_id, _ in found}
    message_ids = run_in_transaction(lambda: _forget_messages(ids, email))
    forget_files(message_ids, mentioning=email.encode())
    _compact()
    return len(found)


def _erase(registration_id: int, event_id: int, requested_by: str) -> None:
    event = lock_event(event_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    names = {registration.full_name, registration.email}
    if registration.status != RegistrationStatus.CANCELLED:
        seats.leave(event, registration)
        seats.fill_seats(event)
    _anonymise(registration)
    _scrub_audit(event_id, registration_id, names)
    db.session.execute(
        update(Scan).where(Scan.registration_id == registration_id).values(scanned="")
    )
    audit.record(
        None,
        "registration.erase",
        event=event,
        target=ERASED,
        before=None,
        after={"requested_by": requested_by},
    )


def _anonymise(registration: Registration) -> None:
    registration.given_name = registration.family_name = ERASED
    registration.organisation = registration.job_title = ERASED
    registration.email = f"effacee-{registration.id}@invalid"
    registration.phone = registration.accessibility_needs = None
    registration.submission_key = None
    # Old links stop working: the ticket and the management page are gone with the person.
    registration.code, registration.manage_secret = new_code(), new_code()


def _scrub_audit(event_id: int, registration_id: int, names: set[str]) -> None:
    """Drop personal values from the event's entries: the person's own, and their name
    wherever another entry quotes it (a freed seat "given to" them)."""
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event_id))
    for entry in entries:
        if entry.registration_id == registration_id:
            entry.target = ERASED
            entry.before = _impersonal(entry.before)
            entry.after = _impersonal(entry.after)
        else:
            entry.before = _without(entry.before, names)
            entry.after = _without(entry.after, names)


def _impersonal(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {key: value for key, value in values.items() if key in IMPERSONAL_KEYS}


def _without(values: dict | None, names: set[str]):
    if values is None:
        return None
    return {key: _scrubbed(value, names) for key, value in values.items()}


def _scrubbed(value, names: set[str]):
    if isinstance(value, list):
        return [_scrubbed(item, names) for item in value]
    return ERASED if value in names else value


def _forget_messages(registration_ids: set[int], email: str) -> set[int]:
    condition = OutboxMessage.recipient == email
    if registration_ids:
        condition = or_(condition, OutboxMessage.registration_id.in_(registration_ids))
    message_ids = set(db.session.scalars(select(OutboxMessage.id).where(condition)))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))
    return message_ids


def purge_expired(retention_days: int, now: datetime | None = None) -> int:
    """Delete the registrations of events ended `retention_days` ago, with their messages
    (and files), scans (unmatched ones included) and audit entries; return how many.

    The events stay, without personal data.
    """
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    ended = select(Event.id).where(Event.ends_at < cutoff)
    expired = select(Registration.id).where(Registration.event_id.in_(ended))

    def unit() -> tuple[int, set[int]]:
        messages = select(OutboxMessage.id).where(OutboxMessage.registration_id.in_(expired))
        message_ids = set(db.session.scalars(messages))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))
        db.session.execute(delete(Scan).where(Scan.event_id.in_(ended)))
        result = db.session.execute(delete(Registration).where(Registration.id.in_(expired)))
        return result.rowcount, message_ids

    deleted, message_ids = run_in_transaction(unit)
    forget_files(message_ids)
    _compact()
    return deleted


def _compact() -> None:
    """On SQLite, fold the write-ahead log into the file: no old page of it stays behind."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
