"""iCalendar builders (RFC 5545, iTIP RFC 5546): the personal invite, its cancellation, the public
event and the feed.

Pure functions: they read the attributes of an event (`slug, title, description, starts_at,
ends_at, timezone, venue_name, street, postcode, city, latitude, longitude, organiser_name,
organiser_email, status`, and for the public event and feed `calendar_sequence, updated_at`) and
of a registration (`id, given_name, family_name, email`) and return the .ics as UTF-8 bytes, CRLF
line endings, lines folded at 75 octets by icalendar.

Calendars are shared with assistants and colleagues, so nothing here reads the registration's
ticket code: the ticket, its URL and the cancel link stay in the e-mail body.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress, vDuration

from app.calendar.timezones import vtimezone
from app.i18n import event_dates

PRODID = "-//Accueil//Réunions d'information//FR"

#: The reminder pop-up: the e-mail reminder already goes out the day before, so the calendar
#: rings when it is time to leave for the venue (the sessions are held in person).
ALARM_BEFORE = timedelta(hours=2)

#: How often a subscribed client should fetch the feed again (RFC 7986, and Outlook's name).
FEED_REFRESH = timedelta(hours=12)


def registration_uid(registration, event, domain: str) -> str:
    """Return the UID of a registration's invite: the same for its updates and its cancel."""
    return f"registration-{registration.id}.{event.slug}@{domain}"


def event_uid(event, domain: str) -> str:
    """Return the UID of an event in the public download and in the feed."""
    return f"event-{event.slug}@{domain}"


def build_invite(
    event,
    registration,
    *,
    sequence: int,
    event_url: str,
    domain: str,
    dtstamp: datetime | None = None,
) -> bytes:
    """Return the personal invite (METHOD:REQUEST) of a registration."""
    vevent = _vevent(event, registration_uid(registration, event, domain), event_url, dtstamp)
    vevent.add("sequence", sequence)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    vevent.add("organizer", _organizer(event))
    vevent.add("attendee", _attendee(registration))
    vevent.add("description", _description(event, event_url))
    vevent.add_component(_alarm(event))
    return _calendar("REQUEST", [event], [vevent]).to_ical()


def build_cancel(
    event,
    registration,
    *,
    sequence: int,
    event_url: str,
    domain: str,
    dtstamp: datetime | None = None,
) -> bytes:
    """Return the cancellation (METHOD:CANCEL) of a registration's invite.

    The ATTENDEE is the invite's, PARTSTAT=ACCEPTED included: RFC 5546 asks no participation
    status of a CANCEL, and Outlook ignores it there (it resets the response itself and matches
    on UID and SEQUENCE). TRANSP:TRANSPARENT frees the slot, as Outlook's own cancellations do.
    """
    vevent = _vevent(event, registration_uid(registration, event, domain), event_url, dtstamp)
    vevent.add("sequence", sequence)
    vevent.add("status", "CANCELLED")
    vevent.add("transp", "TRANSPARENT")
    vevent.add("organizer", _organizer(event))
    vevent.add("attendee", _attendee(registration))
    return _calendar("CANCEL", [event], [vevent]).to_ical()


def build_public_event(
    event, *, event_url: str, domain: str, dtstamp: datetime | None = None
) -> bytes:
    """Return an event for anyone to add to a calendar (METHOD:PUBLISH, no attendee)."""
    vevent = _public_vevent(event, event_url, domain, dtstamp)
    vevent.add_component(_alarm(event))
    return _calendar("PUBLISH", [event], [vevent]).to_ical()


def build_feed(
    events_with_urls: Iterable[tuple[object, str]],
    *,
    domain: str,
    name: str,
    dtstamp: datetime | None = None,
) -> bytes:
    """Return a calendar of events to subscribe to (METHOD:PUBLISH, no attendee, no alarm).

    Subscribed calendars are for browsing, so their events carry no alarm: a reminder for every
    session would ring for people who do not attend.
    """
    pairs = list(events_with_urls)
    vevents = [_public_vevent(event, url, domain, dtstamp) for event, url in pairs]
    calendar = _calendar("PUBLISH", [event for event, _url in pairs], vevents)
    # The name as RFC 7986 says and as Outlook, Apple and Google read it, and the same for
    # the refresh interval.
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    return calendar.to_ical()


def _calendar(method: str, events: list, vevents: list[Event]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    for zone_name, (first, last) in sorted(_zone_years(events).items()):
        calendar.add_component(vtimezone(zone_name, first, last))
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar


def _zone_years(events: list) -> dict[str, tuple[int, int]]:
    """Return, for each zone used, the first and last year of its events (local time)."""
    years: dict[str, tuple[int, int]] = {}
    for event in events:
        zone = ZoneInfo(event.timezone)
        first = event.starts_at.astimezone(zone).year
        last = event.ends_at.astimezone(zone).year
        known = years.get(event.timezone, (first, last))
        years[event.timezone] = (min(known[0], first), max(known[1], last))
    return years


def _vevent(event, uid: str, event_url: str, dtstamp: datetime | None) -> Event:
    zone = ZoneInfo(event.timezone)
    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", _utc(dtstamp or datetime.now(UTC)))
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    vevent.add("location", _address(event))
    if event.latitude is not None and event.longitude is not None:
        vevent.add("geo", (event.latitude, event.longitude))
    vevent.add("url", event_url)
    vevent.add("class", "PUBLIC")
    return vevent


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("dtstamp must be timezone-aware")
    return moment.astimezone(UTC)


def _public_vevent(event, event_url: str, domain: str, dtstamp: datetime | None) -> Event:
    vevent = _vevent(event, event_uid(event, domain), event_url, dtstamp)
    # A subscribed calendar replaces its copy only for a higher SEQUENCE (RFC 5546 §2.1.4):
    # it goes up with every change of time or place, and with a cancellation.
    vevent.add("sequence", event.calendar_sequence or 0)
    if event.updated_at is not None:
        vevent.add("last-modified", _utc(event.updated_at))
    vevent.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    # RFC 5546 asks an ORGANIZER of every PUBLISH: who to write to about the session.
    vevent.add("organizer", _organizer(event))
    vevent.add("description", _description(event, event_url))
    return vevent


def _organizer(event) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{event.organiser_email}")
    organizer.params["cn"] = _common_name(event.organiser_name)
    return organizer


def _attendee(registration) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = _common_name(f"{registration.given_name} {registration.family_name}")
    attendee.params["cutype"] = "INDIVIDUAL"
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "ACCEPTED"
    attendee.params["rsvp"] = "FALSE"
    return attendee


def _common_name(name: str) -> str:
    """Return a name fit for a CN parameter.

    A parameter value cannot hold a double quote; icalendar would escape it as ^' (RFC 6868),
    which Outlook shows as is, so it becomes an apostrophe. Line breaks become spaces.
    """
    return " ".join(name.replace('"', "'").split())


def _address(event) -> str:
    """Return the full address on one line: venue, street, postcode and city."""
    parts = [event.venue_name, event.street, f"{event.postcode} {event.city}"]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def _description(event, event_url: str) -> str:
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    lines = [
        _(
            "Quand : %(dates)s (heure locale, %(zone)s)",
            dates=event_dates(start, end),
            zone=zone.key,
        ),
        _("Où : %(address)s", address=_address(event)),
        _(
            "Contact : %(name)s <%(email)s>",
            name=event.organiser_name,
            email=event.organiser_email,
        ),
        _("Page de l'événement : %(url)s", url=event_url),
    ]
    if event.description and event.description.strip():
        lines += ["", event.description.strip()]
    return "\n".join(lines)


def _alarm(event) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", _("Rappel : %(title)s", title=event.title))
    return alarm
