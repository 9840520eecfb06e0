"""Queue messages in the outbox inside the caller's transaction.

A message is rendered when it is queued, with the calendar object it carries, so
that it says what was true when the change was made; the sender delivers it after
the commit (app.mail.sender). Nothing is queued for a change that rolls back.
"""

import uuid

from flask import current_app, render_template
from sqlalchemy import inspect

from app.calendar.invites import registration_calendar
from app.extensions import db
from app.mail import sender
from app.models import EventStatus, OutboxMessage, Registration, RegistrationStatus, utcnow
from app.urls import public_url

SUBJECTS = {
    "confirmation": "Inscription confirmée : {title}",
    "waitlisted": "Liste d'attente : {title}",
    "promoted": "Une place s'est libérée, inscription confirmée : {title}",
    "cancelled": "Inscription annulée : {title}",
    "ticket_resent": "Votre billet : {title}",
    "event_changed": "Changement de date ou de lieu : {title}",
    "event_cancelled": "Réunion annulée : {title}",
    "reminder": "Rappel, c'est demain : {title}",
}

#: Kinds that carry the registrant's calendar entry (invite, update or cancel).
CALENDAR_KINDS = {
    "confirmation",
    "promoted",
    "ticket_resent",
    "event_changed",
    "cancelled",
    "event_cancelled",
}
#: Kinds that change the calendar entry: the invite's SEQUENCE goes up.
SEQUENCE_BUMPS = {"event_changed", "cancelled", "event_cancelled"}


def queue(kind: str, registration: Registration) -> OutboxMessage:
    """Render a message for a registrant and add it to the outbox (no commit)."""
    if registration.id is None:
        db.session.flush()  # the calendar UID is built from the registration's id
    event = registration.event
    ticket_url = public_url("registration.ticket", code=registration.code)
    context = {
        "registration": registration,
        "event": event,
        "ticket_url": ticket_url,
        "cancel_url": public_url("registration.confirm_cancel", code=registration.code),
        "event_url": public_url("events.show", slug=event.slug),
    }
    calendar = None
    if kind in CALENDAR_KINDS:
        calendar = registration_calendar(registration, bump=kind in SEQUENCE_BUMPS)
        if calendar:
            registration.invite_sequence = calendar[1]
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >")
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4()}@{domain or 'accueil.localhost'}>",
        kind=kind,
        recipient=registration.email,
        subject=SUBJECTS[kind].format(title=event.title),
        body_text=render_template(f"mail/{kind}.txt", **context),
        body_html=render_template(f"mail/{kind}.html", **context),
        calendar=calendar[2].decode() if calendar else None,
        calendar_method=calendar[0] if calendar else None,
        ticket_url=ticket_url if confirmed and event.status != EventStatus.CANCELLED else None,
        registration=registration,
        created_at=utcnow(),
    )
    db.session.add(message)
    return message


def deliver_after_commit(messages: list[OutboxMessage]) -> None:
    """Try to deliver freshly committed messages now; what fails stays queued."""
    # The identity survives the commit's expiry: reading it costs no query.
    sender.deliver([inspect(message).identity[0] for message in messages])
