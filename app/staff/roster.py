"""An event's attendee list for staff: searched, filtered, sorted, in pages."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Event, Registration, RegistrationStatus
from app.staff.attendees import RegistrationNotFound

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
    for term in query.search.split()[:10]:
        statement = statement.where(
            or_(
                *(
                    column.icontains(term, autoescape=True)
                    for column in (
                        Registration.given_name,
                        Registration.family_name,
                        Registration.email,
                        Registration.organisation,
                    )
                )
            )
        )
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
