"""A registration's calendar object: what it holds now, and what the next message carries."""

from urllib.parse import urlsplit

from flask import current_app

from app.calendar import ical
from app.models import EventStatus, Registration, RegistrationStatus
from app.urls import public_url


def calendar_domain() -> str:
    """Return the domain part of calendar UIDs: the host of BASE_URL."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "accueil.localhost"


def invite_decision(registration: Registration, *, bump: bool = False) -> tuple[str, int] | None:
    """Return the (method, sequence) of a registration's calendar entry, or None.

    A confirmed registrant of a live event holds an invite (REQUEST); one who
    held an invite and no longer does (cancelled, or the event is) gets its
    CANCEL; anybody else has no calendar entry. With `bump` the SEQUENCE goes
    up (the entry changes); without, it is the last one e-mailed. Cheap: the
    mail decides it under the event's lock and builds the object later.
    """
    current = registration.invite_sequence
    holds_seat = registration.status == RegistrationStatus.CONFIRMED
    if holds_seat and registration.event.status != EventStatus.CANCELLED:
        return "REQUEST", 0 if current is None else current + bump
    if current is not None:
        return "CANCEL", current + bump
    return None


def build_registration_calendar(registration: Registration, method: str, sequence: int) -> bytes:
    """Return the .ics of a registration's entry as decided: its invite or its cancel."""
    event = registration.event
    builder = ical.build_invite if method == "REQUEST" else ical.build_cancel
    return builder(
        event,
        registration,
        sequence=sequence,
        event_url=public_url("registration.event_page", slug=event.slug),
        domain=calendar_domain(),
    )


def registration_calendar(
    registration: Registration, *, bump: bool = False
) -> tuple[str, int, bytes] | None:
    """Return (method, sequence, .ics) of a registration's calendar entry, or None.

    The caller stores the sequence when it e-mails the result (see `invite_decision`).
    """
    decision = invite_decision(registration, bump=bump)
    if decision is None:
        return None
    method, sequence = decision
    return method, sequence, build_registration_calendar(registration, method, sequence)
