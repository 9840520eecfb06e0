"""Queue messages in the outbox inside the caller's transaction; deliver after commit."""

import logging
import uuid
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import select

from app.extensions import db
from app.mail.transports import transport_for
from app.models import OutboxMessage, OutboxStatus, Registration, utcnow
from app.urls import public_url

log = logging.getLogger(__name__)

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
#: Delay before the next attempt after n failures: 1, 2, 4... minutes, at most 1 hour.
MAX_BACKOFF = timedelta(hours=1)


def queue(kind: str, registration: Registration) -> OutboxMessage:
    """Render a message for a registrant and add it to the outbox (no commit)."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "ticket_url": public_url("registration.ticket", code=registration.code),
        "cancel_url": public_url("registration.confirm_cancel", code=registration.code),
        "event_url": public_url("events.show", slug=event.slug),
    }
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >")
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4()}@{domain or 'accueil.localhost'}>",
        kind=kind,
        recipient=registration.email,
        subject=SUBJECTS[kind].format(title=event.title),
        body_text=render_template(f"mail/{kind}.txt", **context),
        body_html=render_template(f"mail/{kind}.html", **context),
        registration=registration,
    )
    db.session.add(message)
    return message


def deliver_after_commit(messages: list[OutboxMessage]) -> None:
    """Try to deliver freshly committed messages now; failures stay queued."""
    if current_app.config["MAIL_SUPPRESS_SEND"]:
        return
    for message in messages:
        deliver(message)


def deliver(message: OutboxMessage) -> bool:
    """Send one pending message, record the outcome and commit it; return success."""
    transport = transport_for(current_app.config)
    try:
        transport.send(message, current_app.config["MAIL_DEFAULT_SENDER"])
    except Exception as error:  # any transport failure keeps the message queued
        log.warning("mail %s to %s not sent: %s", message.id, message.recipient, error)
        message.attempts += 1
        message.last_error = str(error)[:1000]
        message.next_attempt_at = utcnow() + min(
            MAX_BACKOFF, timedelta(minutes=2 ** (message.attempts - 1))
        )
        db.session.commit()
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.attempts += 1
    message.last_error = None
    db.session.commit()
    return True


def pending_messages() -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(OutboxMessage.id)
    )
    return list(db.session.scalars(query))
