"""The attendee list of an event, streamed from the database in name order.

Order: family name, then given name, ignoring case, then the registration's id (so the
order is total and stable). SQLite sorts on `rows.name_key` (no case, no accents, "Œ" as
"oe", "Ł" as "l", "ß" as "ss", "Đ" as "d"), registered as an SQL function on the connection;
the PDF builder sorts on the same key in Python. PostgreSQL compares the lower-cased names
under its ICU root collation (`und-x-icu`), where accents are secondary: "Éluard" files
between "Ebert" and "Fabre" as with `name_key`, but two family names that differ only by an
accent ("Lefèvre", "Lefevre") are told apart before the given name is read. Without ICU,
PostgreSQL falls back to `lower()` in the database's own collation.
"""

from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, text, true
from sqlalchemy.orm import Session, joinedload

from app import audit
from app.database import run_in_transaction
from app.errors import DomainError
from app.exports.rows import AttendeeRow, EventHeading, name_key
from app.extensions import db
from app.i18n import event_dates
from app.models import Event, Registration, RegistrationStatus

#: The `status` filters an export accepts; `checked_in` means "came through the door".
STATUS_FILTERS = (*(status.value for status in RegistrationStatus), "checked_in")
#: Rows fetched per round trip; memory holds about this many rows at once.
BATCH_SIZE = 1000
ICU_COLLATION = "und-x-icu"
#: The name under which SQLite knows `rows.name_key`.
SQLITE_NAME_KEY = "accueil_name_key"

_COLUMNS = (
    Registration.code,
    Registration.family_name,
    Registration.given_name,
    Registration.email,
    Registration.organisation,
    Registration.job_title,
    Registration.status,
    Registration.waitlist_position,
    Registration.created_at,
    Registration.checked_in_at,
)


class UnknownStatusFilter(DomainError):
    code = "unknown_status_filter"


def attendee_rows(
    event: Event, status: str | None = None, *, batch_size: int = BATCH_SIZE
) -> Iterator[AttendeeRow]:
    """Yield the registrations of an event as plain rows, in name order.

    `status` is one of STATUS_FILTERS, or None for every registration. An unknown one raises
    UnknownStatusFilter at once, before anything is read. Rows come from a server-side cursor
    (PostgreSQL) `batch_size` at a time and no ORM object is kept, so memory stays flat
    whatever the number of rows. The iterator reads through the current session: a streamed
    response must keep the application context (`stream_with_context`).
    """
    query = select(*_COLUMNS).where(_status_filter(status), Registration.event_id == event.id)
    return _stream(query, event.tz, batch_size)


def attendee_count(event: Event, status: str | None = None) -> int:
    """Count the registrations an export with this filter writes (for the audit log)."""
    query = select(func.count()).where(_status_filter(status), Registration.event_id == event.id)
    return db.session.scalar(query) or 0


def event_heading(event: Event) -> EventHeading:
    """Return the title, French dates and place printed at the top of a sheet."""
    return EventHeading(
        title=event.title,
        dates=event_dates(event.local_start, event.local_end),
        place=event.address,
    )


def export_filename(event: Event, extension: str, day: date) -> str:
    """Name an export file: `<slug>-participants-<YYYY-MM-DD>.<extension>`."""
    return f"{event.slug}-participants-{day.isoformat()}.{extension}"


def _status_filter(status: str | None):
    if status is None:
        return true()
    if status == "checked_in":
        return Registration.checked_in_at.is_not(None)
    if status not in STATUS_FILTERS:
        raise UnknownStatusFilter(f"unknown status {status!r}", status=status)
    return Registration.status == status


def _stream(query: Select, zone: ZoneInfo, batch_size: int) -> Iterator[AttendeeRow]:
    session = db.session()
    query = query.order_by(*_name_order(session))
    result = session.execute(query, execution_options={"yield_per": batch_size})
    try:
        for code, family, given, email, org, job, status, position, created, checked in result:
            yield AttendeeRow(
                code=code,
                family_name=family,
                given_name=given,
                email=email,
                organisation=org,
                job_title=job,
                status=status,
                waitlist_position=position,
                registered_at=created.astimezone(zone),
                checked_in_at=checked.astimezone(zone) if checked else None,
            )
    finally:
        result.close()


def _name_order(session: Session) -> list:
    family, given = Registration.family_name, Registration.given_name
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # Per connection, and cheap: the pool may hand out a connection that never had it.
        connection.connection.driver_connection.create_function(
            SQLITE_NAME_KEY, 1, name_key, deterministic=True
        )
        key = getattr(func, SQLITE_NAME_KEY)
        return [key(family), key(given), family, given, Registration.id]
    if dialect == "postgresql" and _has_collation(session, ICU_COLLATION):
        # lower() first, so that case never outranks the given name; it is Unicode-aware
        # under an ICU collation, and its result compares under that collation.
        family_key = func.lower(family.collate(ICU_COLLATION))
        given_key = func.lower(given.collate(ICU_COLLATION))
        return [family_key, given_key, family, given, Registration.id]
    return [func.lower(family), func.lower(given), family, given, Registration.id]


def _has_collation(session: Session, name: str) -> bool:
    query = text("SELECT 1 FROM pg_collation WHERE collname = :name")
    return session.execute(query, {"name": name}).first() is not None


def record_export(event: Event, actor, export_format: str, status: str | None) -> int:
    """Write an export to the audit log (who, which event, format, rows); return the rows."""
    rows = attendee_count(event, status)
    event_id = event.id

    run_in_transaction(lambda: _audit_export(actor, event_id, export_format, status, rows))
    return rows


def _audit_export(actor, event_id: int, export_format: str, status: str | None, rows: int, **more):
    after = {"format": export_format, "status": status or "all", "rows": rows, **more}
    event = db.session.get(Event, event_id)
    audit.record(actor, f"export.{export_format}", event=event, before=None, after=after)


def registrations_page(
    event: Event, *, status: str | None, after: int, limit: int, actor
) -> list[Registration]:
    """Return up to `limit` registrations after id `after` (keyset paging), and audit it.

    The registrations come back detached, with their columns loaded.
    """
    condition = _status_filter(status)
    event_id = event.id

    def unit() -> list[Registration]:
        query = (
            select(Registration)
            .options(joinedload(Registration.checked_in_by))
            .where(Registration.event_id == event_id, Registration.id > after, condition)
            .order_by(Registration.id)
            .limit(limit)
        )
        page = list(db.session.scalars(query))
        _audit_export(actor, event_id, "json", status, len(page), after=after)
        for registration in page:
            db.session.expunge(registration)
        return page

    return run_in_transaction(unit)
