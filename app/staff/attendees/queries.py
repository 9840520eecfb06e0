"""Reading an event's attendees: the list (searched, filtered, sorted, in pages), one
attendee, and a registration's history."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.description import headline
from app.audit.queries import registration_entries
from app.extensions import db
from app.labels import MAIL_STATUS, label
from app.mail import rendering
from app.models import AuditEntry, Event, OutboxMessage, Registration, RegistrationStatus
from app.registration import search
from app.registration.errors import RegistrationNotFound

SORTS = {
    "name": (func.lower(Registration.family_name), func.lower(Registration.given_name)),
    "organisation": (Registration.organisation_key,),
    "registered": (Registration.created_at,),
    "status": (Registration.status, Registration.waitlist_position),
}
PER_PAGE = 50


@dataclass
class AttendeeQuery:
    search: str = ""
    status: str = "all"
    sort: str = "name"
    descending: bool = False
    page: int = 1


def list_attendees(event: Event, query: AttendeeQuery, per_page: int = PER_PAGE):
    """Return one page of an event's registrations, searched, filtered and sorted."""
    statement = select(Registration).where(Registration.event_id == event.id)
    found = search.matching(query.search, with_email=True)
    if found is not None:
        statement = statement.where(found)
    if query.status in set(RegistrationStatus):
        statement = statement.where(Registration.status == query.status)
    elif query.status == "checked_in":
        statement = statement.where(Registration.checked_in_at.is_not(None))
    elif query.status == "not_checked_in":
        statement = statement.where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.checked_in_at.is_(None),
        )
    columns = SORTS.get(query.sort, SORTS["name"])
    order = [column.desc() if query.descending else column for column in columns]
    statement = statement.order_by(*order, Registration.id)
    return db.paginate(statement, page=query.page, per_page=per_page, error_out=False, count=True)


def get_attendee(event: Event, registration_id: int) -> Registration:
    """Return a registration of this event, or raise RegistrationNotFound."""
    registration = None
    if 0 < registration_id < 2**31:
        registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise RegistrationNotFound()
    return registration


@dataclass
class Step:
    at: datetime
    label: str
    #: Who did it: a staff address, "" for the registrant or the application.
    who: str = ""
    detail: str = ""
    entry: AuditEntry | None = None


def registration_history(registration: Registration) -> list[Step]:
    """Return a registration's steps, oldest first: made, messages sent, staff actions."""
    steps = [Step(registration.created_at, _("Inscription enregistrée"))]
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id)
        .order_by(OutboxMessage.id)
    )
    for message in messages:
        # A message not rendered yet says what its subject will be (app.mail.rendering).
        subject = _("E-mail « %(subject)s »", subject=rendering.subject_of(message))
        steps.append(Step(message.created_at, subject, detail=label(MAIL_STATUS, message.status)))
    entries = registration_entries(registration)
    for entry in entries:
        who = entry.actor_email or _("ligne de commande")
        steps.append(Step(entry.created_at, headline(entry), who=who, entry=entry))
    staff_cancelled = any(entry.action == "registration.cancel" for entry in entries)
    if registration.cancelled_at and not staff_cancelled:
        steps.append(Step(registration.cancelled_at, _("Annulée par la personne inscrite")))
    if registration.checked_in_at:
        who = registration.checked_in_by.email if registration.checked_in_by else ""
        steps.append(Step(registration.checked_in_at, _("Entrée enregistrée"), who=who))
    steps.sort(key=lambda step: step.at)
    return steps
