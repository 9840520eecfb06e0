"""Queue messages in the outbox inside the caller's unit of work.

A message is rendered when it is queued, in the registrant's language, with the
calendar object it carries, so that it says what was true when the change was
made. It is delivered once the unit commits (app.mail.sender); nothing is
queued for a change that rolls back.
"""

import logging
import uuid
from datetime import timedelta
from email.headerregistry import Address

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select

from app.calendar.invites import registration_calendar
from app.database import after_commit
from app.extensions import db
from app.i18n import force_locale, locale_of
from app.mail import sender
from app.models import EventStatus, OutboxMessage, Registration, RegistrationStatus, utcnow
from app.urls import public_url

SUBJECTS = {
    "confirmation": _l("Inscription confirmée : %(title)s"),
    "waitlisted": _l("Liste d'attente : %(title)s"),
    "promoted": _l("Une place s'est libérée, inscription confirmée : %(title)s"),
    "cancelled": _l("Inscription annulée : %(title)s"),
    "ticket_resent": _l("Votre billet : %(title)s"),
    "event_changed": _l("Changement de date ou de lieu : %(title)s"),
    "event_cancelled": _l("Réunion annulée : %(title)s"),
    "reminder": _l("Rappel, c'est demain : %(title)s"),
}
#: A person in line holds no ticket: their subjects say so.
WAITLISTED_SUBJECTS = {
    "ticket_resent": _l("Votre inscription sur liste d'attente : %(title)s"),
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


#: At most this many messages to one address in an hour: beyond, a flood is absorbed, not mailed.
MAX_PER_RECIPIENT_PER_HOUR = 20
#: "Your ticket" again, at most once in this long per registration.
RESEND_INTERVAL = timedelta(minutes=10)

log = logging.getLogger(__name__)


def queue(kind: str, registration: Registration) -> OutboxMessage | None:
    """Render a message for a registrant, add it to the outbox, deliver it after the commit.

    Returns None, and queues nothing, when the registration has no address (a walk-in
    registered at the door without one) or the recipient's cap is reached (a resent
    ticket within RESEND_INTERVAL, or MAX_PER_RECIPIENT_PER_HOUR messages).
    """
    if not registration.email:
        return None
    if registration.id is None:
        db.session.flush()  # the calendar UID is built from the registration's id
    if _capped(kind, registration):
        log.warning("mail %s to registration %s not queued: cap reached", kind, registration.id)
        return None
    with force_locale(locale_of(registration.locale)):
        message = _render(kind, registration)
    db.session.add(message)
    after_commit(lambda: _deliver(message))
    return message


def queue_written(kind: str, registration: Registration, subject: str, body: str) -> OutboxMessage:
    """Queue a message staff wrote to a registrant, delivered after the commit.

    The subject and plain-text body go as typed; the greeting, the event's details, the
    management link and the footer are in the registrant's language. Not capped: each is a
    deliberate, audited act of staff, sent once per submitted form (app.staff.messages),
    where the hourly cap is meant for what the public can trigger.
    """
    text, html = render_written(registration, body, with_certificate=kind != "message")
    message = _outbox_message(kind, registration, subject, text, html)
    db.session.add(message)
    after_commit(lambda: _deliver(message))
    return message


def render_written(registration: Registration, body: str, *, with_certificate: bool):
    """Return the text and HTML parts of a staff message as this registrant reads them."""
    with force_locale(locale_of(registration.locale)):
        context = _context(registration) | {"body": body, "with_certificate": with_certificate}
        return (
            render_template("mail/written.txt", **context),
            render_template("mail/written.html", **context),
        )


def _context(registration: Registration) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "ticket_url": public_url("registration.ticket", code=registration.code),
        "manage_url": public_url("manage.page", secret=registration.manage_secret),
        "event_url": public_url("registration.event_page", slug=event.slug),
    }


def _outbox_message(kind, registration, subject, text, html, **more) -> OutboxMessage:
    event = registration.event
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >")
    return OutboxMessage(
        message_id=f"<{uuid.uuid4()}@{domain or 'accueil.localhost'}>",
        kind=kind,
        recipient=registration.email,
        reply_to=str(Address(event.organiser_name, addr_spec=event.organiser_email)),
        subject=subject[:255],
        body_text=text,
        body_html=html,
        registration=registration,
        created_at=utcnow(),
        **more,
    )


def _render(kind: str, registration: Registration) -> OutboxMessage:
    event = registration.event
    context = _context(registration)
    ticket_url = context["ticket_url"]
    calendar = None
    if kind in CALENDAR_KINDS:
        calendar = registration_calendar(registration, bump=kind in SEQUENCE_BUMPS)
        if calendar:
            registration.invite_sequence = calendar[1]
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return _outbox_message(
        kind,
        registration,
        str(_subject(kind, registration)) % {"title": event.title},
        render_template(f"mail/{kind}.txt", **context),
        render_template(f"mail/{kind}.html", **context),
        calendar=calendar[2].decode() if calendar else None,
        calendar_method=calendar[0] if calendar else None,
        ticket_url=ticket_url if confirmed and event.status != EventStatus.CANCELLED else None,
    )


def _subject(kind: str, registration: Registration):
    if registration.status == RegistrationStatus.WAITLISTED:
        return WAITLISTED_SUBJECTS.get(kind, SUBJECTS[kind])
    return SUBJECTS[kind]


def _capped(kind: str, registration: Registration) -> bool:
    now = utcnow()
    sent_to = select(func.count()).where(
        OutboxMessage.recipient == registration.email,
        OutboxMessage.created_at > now - timedelta(hours=1),
    )
    if db.session.scalar(sent_to) >= MAX_PER_RECIPIENT_PER_HOUR:
        return True
    if kind != "ticket_resent":
        return False
    resent = select(OutboxMessage.id).where(
        OutboxMessage.registration_id == registration.id,
        OutboxMessage.kind == "ticket_resent",
        OutboxMessage.created_at > now - RESEND_INTERVAL,
    )
    return db.session.scalar(resent.limit(1)) is not None


def _deliver(message: OutboxMessage) -> None:
    # The identity survives the commit's expiry: reading it costs no query.
    sender.deliver([inspect(message).identity[0]])
