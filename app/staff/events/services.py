"""Running events from the back office: create, edit, duplicate, publish, cancel.

Each function is one unit of work: it locks the event, applies the rule, writes
the outbox messages and the audit entry, and commits once; mail leaves after.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.database import run_in_transaction
from app.desk import services as desk
from app.errors import DomainError
from app.events.services import SLUG_PATTERN, EventNotFound, lock_event
from app.extensions import db
from app.mail import services as mail
from app.models import (
    Event,
    EventStatus,
    OrganisationOverflow,
    Registration,
    RegistrationStatus,
    StaffUser,
)
from app.registration import seats
from app.staff.events import slugs

#: Fields a staff member edits; status changes have their own actions.
EDITABLE_FIELDS = tuple(name for name in audit.EVENT_FIELDS if name != "status")
#: A change to one of these sends every registrant the "event_changed" message.
DATE_AND_PLACE_FIELDS = ("starts_at", "ends_at", "venue_name", "street", "postcode", "city")
_YEAR_SUFFIX = re.compile(r"-\d{4}(?:-\d{2}-\d{2})?$")
#: Slugs that would hide behind a staff URL (/staff/events/new).
RESERVED_SLUGS = {"new"}


class SlugTaken(DomainError):
    code = "slug_taken"


class EventCancelled(DomainError):
    """A cancelled event stays as it is: it can be duplicated, not edited or published."""

    code = "event_cancelled"


class InvalidEvent(DomainError):
    """A rule on the event's values failed; `field` names the form field to blame."""

    def __init__(self, code: str, field: str):
        super().__init__(code, field=field)
        self.code = code
        self.field = field


@dataclass
class EventUpdate:
    event: Event
    promoted: list[Registration] = field(default_factory=list)
    #: How many registrants were sent the "event_changed" message.
    notified: int = 0
    changed: dict = field(default_factory=dict)


def check_values(values: dict) -> None:
    """Check the rules that tie an event's values together; raise InvalidEvent."""
    if values.get("slug") and not SLUG_PATTERN.match(values["slug"]):
        raise InvalidEvent("bad_slug", "slug")
    if values.get("slug") in RESERVED_SLUGS:
        raise InvalidEvent("slug_taken", "slug")
    if values["timezone"] not in available_timezones():
        raise InvalidEvent("unknown_timezone", "timezone")
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if ends_at <= starts_at:
        raise InvalidEvent("ends_before_start", "ends_at")
    if values["capacity"] < 0:
        raise InvalidEvent("capacity_negative", "capacity")
    limit = values.get("per_organisation_limit")
    if limit is not None and limit <= 0:
        raise InvalidEvent("limit_not_positive", "per_organisation_limit")
    if values.get("organisation_overflow") not in set(OrganisationOverflow):
        raise InvalidEvent("unknown_overflow", "organisation_overflow")
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens is not None and closes is not None and opens >= closes:
        raise InvalidEvent("window_inverted", "registration_closes_at")
    if closes is not None and closes > ends_at:
        raise InvalidEvent("window_after_end", "registration_closes_at")
    if opens is not None and opens >= ends_at:
        raise InvalidEvent("window_after_end", "registration_opens_at")


def _slug_free(slug: str, except_id: int | None = None) -> bool:
    query = select(Event.id).where(Event.slug == slug)
    if except_id is not None:
        query = query.where(Event.id != except_id)
    return db.session.scalar(query) is None


def _active_registrations(event: Event) -> list[Registration]:
    query = (
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .order_by(Registration.id)
    )
    return list(db.session.scalars(query))


def _commit_event(unit):
    """Run a unit that writes an event; a slug taken meanwhile is SlugTaken, not a 500."""
    try:
        return run_in_transaction(unit)
    except IntegrityError as error:
        if "slug" not in str(error.orig):
            raise
        raise SlugTaken() from None


def create_event(values: dict, actor: StaffUser | None) -> Event:
    """Create an event as a draft from checked values; return it.

    Without a slug, one is made from the title (the first free of "title", "title-2"…).
    """
    check_values(values)

    def unit() -> Event:
        slug = values.get("slug")
        if not slug:
            slug = slugs.first_free(slugs.suggest(values["title"]), _slug_free, RESERVED_SLUGS)
        elif not _slug_free(slug):
            raise SlugTaken()
        event = Event(**{name: values.get(name) for name in EDITABLE_FIELDS} | {"slug": slug})
        event.status = EventStatus.DRAFT
        db.session.add(event)
        db.session.flush()
        after = audit.snapshot(event, audit.EVENT_FIELDS) | desk.apply_form_values(event, values)
        audit.record(actor, "event.create", event=event, before=None, after=after)
        return event

    return _commit_event(unit)


def update_event(event_id: int, values: dict, actor: StaffUser | None) -> EventUpdate:
    """Apply edited values to an event.

    A capacity below the confirmed count is refused (CapacityBelowConfirmed); more
    seats go to the head of the line. A new date or place is told to every registrant.
    The slug changes only while the event is a draft (its links are not out yet); left
    empty, it stays as it is.
    """
    if "slug" in values and not values["slug"]:
        values = {name: value for name, value in values.items() if name != "slug"}
    check_values(values)

    def unit():
        event = lock_event(event_id)
        if event.status == EventStatus.CANCELLED:
            raise EventCancelled()
        if "slug" in values and values["slug"] != event.slug:
            if event.status != EventStatus.DRAFT:
                raise InvalidEvent("slug_locked", "slug")
            if not _slug_free(values["slug"], except_id=event.id):
                raise SlugTaken()
        seats.check_capacity(event, values["capacity"])
        before = audit.snapshot(event, EDITABLE_FIELDS)
        for name in EDITABLE_FIELDS:
            if name in values:
                setattr(event, name, values[name])
        db.session.flush()
        changed_before, changed_after = audit.changes(
            before, audit.snapshot(event, EDITABLE_FIELDS)
        )
        changed_after |= desk.apply_form_values(event, values)
        if not changed_after:
            return EventUpdate(event)
        notified = 0
        if any(name in changed_after for name in DATE_AND_PLACE_FIELDS):
            event.calendar_sequence += 1
            for registration in _active_registrations(event):
                mail.queue("event_changed", registration)
                notified += 1
        promoted = seats.fill_seats(event)
        audit.record(
            actor,
            "event.update",
            event=event,
            before=changed_before,
            after=changed_after,
        )
        return EventUpdate(event, promoted, notified, changed_after)

    return _commit_event(unit)


def shift_days(moment: datetime | None, zone: ZoneInfo, days: int) -> datetime | None:
    """Move an instant by whole days of wall-clock time (14:00 stays 14:00 across DST)."""
    if moment is None:
        return None
    local = moment.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=zone).astimezone(UTC)


def _free_slug(source_slug: str, day: date) -> str:
    base = _YEAR_SUFFIX.sub("", source_slug)[: 80 - 14].rstrip("-")
    return slugs.first_free(f"{base}-{day.isoformat()}", _slug_free)


def duplicate_event(
    event_id: int, day: date, actor: StaffUser | None, slug: str | None = None
) -> Event:
    """Create a draft copy of an event on another day, window shifted alike; return it.

    Registrations are not copied. Without `slug`, one is made from the source's and the day.
    """
    if slug is not None and not SLUG_PATTERN.match(slug):
        raise InvalidEvent("bad_slug", "slug")
    if slug in RESERVED_SLUGS:
        raise InvalidEvent("slug_taken", "slug")

    def unit() -> Event:
        source = db.session.get(Event, event_id)
        if source is None:
            raise EventNotFound(event_id=event_id)
        days = (day - source.local_start.date()).days
        values = {name: getattr(source, name) for name in EDITABLE_FIELDS}
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            values[name] = shift_days(values[name], source.tz, days)
        if slug is None:
            values["slug"] = _free_slug(source.slug, day)
        elif not _slug_free(slug):
            raise SlugTaken()
        else:
            values["slug"] = slug
        copy = Event(**values, status=EventStatus.DRAFT)
        db.session.add(copy)
        db.session.flush()
        after = audit.snapshot(copy, audit.EVENT_FIELDS) | {"source": source.slug}
        audit.record(actor, "event.duplicate", event=copy, before=None, after=after)
        return copy

    return _commit_event(unit)


def _set_status(event_id: int, status: EventStatus, action: str, actor) -> Event:
    def unit() -> Event:
        event = lock_event(event_id)
        if event.status == EventStatus.CANCELLED:
            raise EventCancelled()
        if event.status == status:
            return event
        before = {"status": event.status}
        event.status = status
        audit.record(actor, action, event=event, before=before, after={"status": status})
        return event

    return run_in_transaction(unit)


def publish_event(event_id: int, actor: StaffUser | None) -> Event:
    """Make a draft public: its page and form appear on the site."""
    return _set_status(event_id, EventStatus.PUBLISHED, "event.publish", actor)


def unpublish_event(event_id: int, actor: StaffUser | None) -> Event:
    """Take an event back to draft: its page disappears; tickets already sent stay valid."""
    return _set_status(event_id, EventStatus.DRAFT, "event.unpublish", actor)


def cancel_event(event_id: int, actor: StaffUser | None) -> int:
    """Cancel an event and tell every registrant; return how many were told.

    Registrations are left as they are (the record of who had a seat). Cancelling
    twice tells nobody twice.
    """

    def unit():
        event = lock_event(event_id)
        if event.status == EventStatus.CANCELLED:
            return 0
        before = {"status": event.status}
        event.status = EventStatus.CANCELLED
        event.calendar_sequence += 1
        told = _active_registrations(event)
        for registration in told:
            mail.queue("event_cancelled", registration)
        after = {"status": event.status, "notified": len(told)}
        audit.record(actor, "event.cancel", event=event, before=before, after=after)
        return len(told)

    return run_in_transaction(unit)
