"""The event page: rendered once per event version, language and registration state, then
filled in at every request with what is live.

Almost all of the page is the same for every visitor: the layout, the event's facts and
description, the form's fields and labels. Rendering them (WTForms through the field
macros, a few dozen translated strings, the links) is most of a request's time, so that
part is rendered once with markers where the live parts go and kept in a small
per-application cache. Each request then reads the event and its counts (one query) and
fills in the markers: the badge and the seats left, the people waiting, and the visitor's
own CSRF token and submission key. CSRF is checked on the POST as before; no token is
cached.

The key holds every column of the event's row, so any change to the event (staff page,
CLI, SQL) shows at once, with the language and the registration state (open, waiting
list, full, closed...: it changes what the page offers). Pages answering a POST (a refused
form, its errors, a notice), carrying a query string or a flashed message are rendered
whole, as before.
"""

import threading
from collections import OrderedDict

from flask import current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.calendar.links import google_calendar_url, outlook_calendar_url
from app.events.services import RegistrationState, SeatCounts
from app.i18n import current_locale
from app.models import Event
from app.registration.forms import RegistrationForm, new_submission_key
from app.urls import public_url

#: The live parts, by name: where each goes in the page is marked by its comment.
LIVE = ("seats_badge", "places", "waiting", "form_keys")
MARKERS = {name: Markup(f"<!--live:{name}-->") for name in LIVE}
#: Pages kept per application: a few events × two languages × a state or two.
MAX_PAGES = 256


class PageCache:
    """A bounded mapping that forgets the least recently used page first."""

    def __init__(self, size: int = MAX_PAGES):
        self.size = size
        self._pages: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page: str) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


def page_cache() -> PageCache:
    """Return the running application's cache of event pages."""
    return current_app.extensions.setdefault("accueil_event_pages", PageCache())


def render_event_page(
    event: Event,
    counts: SeatCounts,
    state: RegistrationState,
    form: RegistrationForm | None = None,
    notice=None,
) -> str:
    """Return the event page's HTML for this request.

    `form` is a submitted form shown again (its answers, its errors), None for a blank one.
    """
    if form is None and notice is None and _cacheable():
        return _from_cache(event, counts, state)
    form = form or RegistrationForm()
    live = live_parts(event, counts, state, _form_keys(form.csrf_token, form.submission_key))
    return render_template("events/show.html", live=live, **_context(event, state, form, notice))


def _from_cache(event: Event, counts: SeatCounts, state: RegistrationState) -> str:
    key = (_version(event), current_locale(), state)
    cache = page_cache()
    page = cache.get(key)
    if page is None:
        context = _context(event, state, RegistrationForm())
        page = render_template("events/show.html", live=MARKERS, **context)
        cache.put(key, page)
    # The same hidden inputs as the form's, without building the form.
    csrf_token = _hidden("csrf_token", generate_csrf())
    keys = _form_keys(csrf_token, _hidden("submission_key", new_submission_key()))
    for name, part in live_parts(event, counts, state, keys).items():
        page = page.replace(MARKERS[name], part, 1)
    return page


def live_parts(event: Event, counts: SeatCounts, state: RegistrationState, form_keys) -> dict:
    """Render what changes between requests: seats, the line, this visitor's form keys."""
    macros = current_app.jinja_env.get_template("events/_live.html").module
    seats_left = max(0, event.capacity - counts.confirmed)
    return {
        "seats_badge": macros.badge(state, seats_left),
        "places": macros.places(event, state, seats_left),
        "waiting": macros.waiting_line(counts.waiting),
        "form_keys": form_keys,
    }


def _form_keys(csrf_token, submission_key) -> Markup:
    return Markup(f"{csrf_token}\n        {submission_key}")


def _hidden(name: str, value: str) -> Markup:
    """A hidden input as WTForms writes it."""
    return Markup('<input id="{0}" name="{0}" type="hidden" value="{1}">').format(name, value)


def _cacheable() -> bool:
    return request.method == "GET" and not request.query_string and "_flashes" not in session


def _version(event: Event) -> tuple:
    """The event as stored: every column of its row."""
    return tuple(getattr(event, column.key) for column in Event.__mapper__.column_attrs)


def _context(event: Event, state: RegistrationState, form, notice=None) -> dict:
    return {
        "event": event,
        "form": form,
        "state": state,
        "notice": notice,
        "event_url": public_url("registration.event_page", slug=event.slug),
        "google_url": google_calendar_url(event),
        "outlook_url": outlook_calendar_url(event),
        "retention_days": current_app.config["RETENTION_DAYS"],
    }
