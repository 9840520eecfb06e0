"""Public pages of events: the upcoming events, an event's .ics and the calendar feed.

An event's own page (`/e/<slug>`) is the registration form: see app.registration.views.
"""

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _

from app.calendar import ical
from app.calendar.invites import calendar_domain
from app.events import services
from app.urls import public_url

bp = Blueprint("events", __name__)


def ics_response(body: bytes, filename: str, disposition: str = "attachment") -> Response:
    """Answer with an iCalendar file."""
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.get("/")
def index():
    return render_template("events/index.html", listed=services.upcoming_listing())


@bp.get("/e/<slug>/event.ics")
def event_ics(slug: str):
    event = services.get_public_event(slug)
    event_url = public_url("registration.event_page", slug=event.slug)
    body = ical.build_public_event(event, event_url=event_url, domain=calendar_domain())
    return ics_response(body, f"{event.slug}.ics")


@bp.get("/calendar.ics")
def feed():
    upcoming = [
        (event, public_url("registration.event_page", slug=event.slug))
        for event in services.upcoming_events()
    ]
    body = ical.build_feed(upcoming, domain=calendar_domain(), name=_("Réunions d'information"))
    return ics_response(body, "reunions.ics", disposition="inline")
