"""Queue messages in the outbox inside the caller's unit of work.

The unit holds the event's lock, so queueing records only what the change decided:
the kind, the registration's status and place in line, the registrant's language, the
invite's METHOD and SEQUENCE. Nothing is rendered here: the sender renders the message
from that record before the first attempt (app.mail.rendering), so that it says what
was true when the change was made. It is delivered once the unit commits
(app.mail.sender); nothing is queued for a change that rolls back.
"""

import logging
import uuid
from datetime import timedelta
from email.headerregistry import Address

from flask import current_app
from sqlalchemy import func, inspect, select

from app.calendar.invites import invite_decision
from app.database import after_commit
from app.extensions import db
from app.mail import sender
from app.mail.rendering import render_written
from app.models import EventStatus, OutboxMessage, Registration, RegistrationStatus, utcnow
from app.urls import public_url

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
    """Record a message for a registrant in the outbox, deliver it after the commit.

    What the change decided is recorded (see the module); the sender renders it later.
    Returns None, and queues nothing, when the registration has no address (a walk-in
    registered at the door without one) or the recipient's cap is reached (a resent
    ticket within RESEND_INTERVAL, or MAX_PER_RECIPIENT_PER_HOUR messages).
    """
    if not registration.email:
        return None
    if registration.id is None:
        db.session.flush()  # the record reads the stored defaults (the language)
    if _capped(kind, registration):
        log.warning("mail %s to registration %s not queued: cap reached", kind, registration.id)
        return None
    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    message = _outbox_message(
        kind,
        registration,
        status_at_change=registration.status,
        position_at_change=registration.waitlist_position,
        locale=registration.locale,
        # The QR code joined to the message: a seat held at the change, at a live event.
        ticket_url=(
            public_url("registration.ticket", code=registration.code)
            if confirmed and event.status != EventStatus.CANCELLED
            else None
        ),
        **_invite(kind, registration),
    )
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
    message = _outbox_message(
        kind, registration, subject=subject[:255], body_text=text, body_html=html
    )
    db.session.add(message)
    after_commit(lambda: _deliver(message))
    return message


def _outbox_message(kind: str, registration: Registration, **fields) -> OutboxMessage:
    event = registration.event
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >")
    return OutboxMessage(
        message_id=f"<{uuid.uuid4()}@{domain or 'accueil.localhost'}>",
        kind=kind,
        recipient=registration.email,
        reply_to=str(Address(event.organiser_name, addr_spec=event.organiser_email)),
        registration=registration,
        created_at=utcnow(),
        **fields,
    )


def _invite(kind: str, registration: Registration) -> dict:
    """Decide the calendar entry the message carries, and keep its SEQUENCE as e-mailed."""
    if kind not in CALENDAR_KINDS:
        return {}
    decision = invite_decision(registration, bump=kind in SEQUENCE_BUMPS)
    if decision is None:
        return {}
    method, sequence = decision
    registration.invite_sequence = sequence
    return {"calendar_method": method, "invite_sequence": sequence}


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
