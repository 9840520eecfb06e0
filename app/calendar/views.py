"""Calendar downloads: a ticket's invite, an event's .ics, and the feed of upcoming events."""

from flask import Blueprint, Response, abort

from app.calendar import ical
from app.calendar.invites import calendar_domain, registration_calendar
from app.events import services as events
from app.registration import services as registrations
from app.urls import public_url

bp = Blueprint("calendar", __name__)
FEED_NAME = "Réunions d'information"


def ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/t/<code>/invite.ics")
def invite(code: str):
    try:
        registration = registrations.get_registration(code)
    except registrations.TicketNotFound:
        abort(404)
    calendar = registration_calendar(registration)
    if calendar is None:  # in line, or never invited: no calendar entry yet
        abort(404)
    return ics_response(calendar[2], "invite.ics")


@bp.get("/e/<slug>/event.ics")
def event(slug: str):
    try:
        found = events.get_public_event(slug)
    except events.EventNotFound:
        abort(404)
    body = ical.build_public_event(
        found, event_url=public_url("events.show", slug=found.slug), domain=calendar_domain()
    )
    return ics_response(body, f"{found.slug}.ics")


@bp.get("/calendar.ics")
def feed():
    upcoming = [(e, public_url("events.show", slug=e.slug)) for e in events.upcoming_events()]
    body = ical.build_feed(upcoming, domain=calendar_domain(), name=FEED_NAME)
    response = ics_response(body, "reunions.ics")
    response.headers["Content-Disposition"] = 'inline; filename="reunions.ics"'
    return response
