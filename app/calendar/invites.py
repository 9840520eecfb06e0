"""A registration's calendar object: what it holds now, and what the next message carries."""

from urllib.parse import urlsplit

from flask import current_app

from app.calendar import ical
from app.models import EventStatus, Registration, RegistrationStatus
from app.urls import public_url


def calendar_domain() -> str:
    """Return the domain part of calendar UIDs: the host of BASE_URL."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "accueil.localhost"


def registration_calendar(
    registration: Registration, *, bump: bool = False
) -> tuple[str, int, bytes] | None:
    """Return (method, sequence, .ics) of a registration's calendar entry, or None.

    A confirmed registrant of a live event holds an invite (REQUEST); one who
    held an invite and no longer does (cancelled, or the event is) gets its
    CANCEL; anybody else has no calendar entry. With `bump` the SEQUENCE goes
    up (the entry changes); without, it is the last one e-mailed. The caller
    stores the sequence when it e-mails the result.
    """
    event = registration.event
    current = registration.invite_sequence
    holds_seat = registration.status == RegistrationStatus.CONFIRMED
    if holds_seat and event.status != EventStatus.CANCELLED:
        method, builder = "REQUEST", ical.build_invite
        sequence = 0 if current is None else current + bump
    elif current is not None:
        method, builder = "CANCEL", ical.build_cancel
        sequence = current + bump
    else:
        return None
    ics = builder(
        event,
        registration,
        sequence=sequence,
        event_url=public_url("registration.event_page", slug=event.slug),
        domain=calendar_domain(),
    )
    return method, sequence, ics
