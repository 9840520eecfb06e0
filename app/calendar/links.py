"""Links that open a web calendar's "new event" form, filled in (no attendee, no ticket)."""

from urllib.parse import urlencode


def _details(event) -> str:
    return f"{event.organiser_name} — {event.organiser_email}"


def google_calendar_url(event) -> str:
    """Return the "Ajouter à Google Agenda" link of an event."""
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.starts_at:%Y%m%dT%H%M%SZ}/{event.ends_at:%Y%m%dT%H%M%SZ}",
        "ctz": event.timezone,
        "location": event.address,
        "details": _details(event),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(event) -> str:
    """Return the Outlook.com "new event" link of an event."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": event.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": event.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "location": event.address,
        "body": _details(event),
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
