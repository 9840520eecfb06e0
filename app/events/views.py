"""Public event pages: the list of upcoming events and an event's page."""

from flask import Blueprint, abort, render_template

from app.events import services
from app.registration.forms import RegistrationForm

bp = Blueprint("events", __name__)


@bp.get("/")
def index():
    return render_template("events/index.html", events=services.upcoming_events())


@bp.get("/e/<slug>")
def show(slug: str):
    return render_event_page(slug, RegistrationForm())


def render_event_page(slug: str, form: RegistrationForm, status: int = 200, notice=None):
    """Render an event's page with the registration form (also after a refused POST)."""
    try:
        event = services.get_public_event(slug)
    except services.EventNotFound:
        abort(404)
    counts = services.seat_counts(event)
    page = render_template(
        "events/show.html",
        event=event,
        form=form,
        state=services.registration_state(event, counts.confirmed),
        seats_left=max(0, event.capacity - counts.confirmed),
        waiting=counts.waiting,
        notice=notice,
    )
    return page, status
