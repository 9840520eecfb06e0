"""Reading the audit log: pages of it, one registration's entries, the filters' choices."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Event, Registration, StaffUser


def entries(
    *, event_id: int | None = None, actor_id: int | None = None, page: int = 1, per_page: int = 50
):
    """Return one page of the log, newest first, filtered by event and staff member."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if event_id is not None:
        query = query.where(AuditEntry.event_id == event_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


def registration_entries(registration: Registration) -> list[AuditEntry]:
    """Return the log entries about one registration, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.registration_id == registration.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return list(db.session.scalars(query))


def event_choices() -> list[Event]:
    """Return the events the log can be filtered by, the latest first."""
    return list(db.session.scalars(select(Event).order_by(Event.starts_at.desc())))


def actor_choices() -> list[StaffUser]:
    """Return the staff accounts the log can be filtered by."""
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.email)))
