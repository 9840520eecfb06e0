"""Render a registrant's message from what its change recorded, outside that change's lock.

`app.mail.services.queue` runs inside the unit of work that holds the event's lock: it
records only what the change decided (kind, status and place in line, language, the
invite's METHOD and SEQUENCE). The sender renders the subject, the text and HTML bodies
and the calendar object just before the first attempt (`render_if_needed`), and stores
them, so that a retry sends the same message. The message says what was true at the
change: a person promoted since still reads "waitlisted, position 7" in the message that
told them so.
"""

import logging

from flask import render_template
from flask_babel import lazy_gettext as _l

from app.calendar.invites import build_registration_calendar
from app.database import run_in_transaction
from app.extensions import db
from app.i18n import force_locale, locale_of
from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus
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

log = logging.getLogger(__name__)


class AtChange:
    """A registration as its templates read it, with the status and place in line it had
    when the message was queued (the rest, names and links, as it is now)."""

    def __init__(self, registration: Registration, status: str, position: int | None):
        self._registration = registration
        self.status = status
        self.waitlist_position = position

    def __getattr__(self, name: str):
        return getattr(self._registration, name)


def render_if_needed(message: OutboxMessage) -> bool:
    """Render and store a message queued unrendered; return False if it must not be sent.

    A message queued with its bodies (staff messages, the desk's lists) is sent as it is.
    One whose registration no longer holds the recipient's address (erased by
    `flask data erase` or the registrant, or corrected by staff, who then queue a new one
    to the new address) is marked failed and not sent: its names and links would be
    another person's, or nobody's. The erasure deletes the person's messages right after,
    failed ones included; until then the row says why it did not leave.
    """
    if message.body_text is not None:
        return True
    registration = message.registration
    if registration is None or registration.email != message.recipient:
        log.warning("mail %s not sent: its registration was erased or readdressed", message.id)
        return _give_up(message.id)
    with force_locale(locale_of(message.locale)):
        rendered = render(message, registration)

    def unit() -> bool:
        stored = db.session.get(OutboxMessage, message.id, populate_existing=True)
        if stored is None:  # erased between the claim and now
            return False
        if stored.body_text is None:
            for name, value in rendered.items():
                setattr(stored, name, value)
        return True

    return run_in_transaction(unit)


def render(message: OutboxMessage, registration: Registration) -> dict:
    """Return the subject, bodies and calendar of a message, in the current locale."""
    event = registration.event
    status = message.status_at_change or registration.status
    reader = AtChange(registration, status, message.position_at_change)
    context = template_context(registration) | {"registration": reader}
    calendar = None
    if message.calendar_method:
        ics = build_registration_calendar(
            registration, message.calendar_method, message.invite_sequence or 0
        )
        calendar = ics.decode()
    return {
        "subject": subject_for(message.kind, status, event.title)[:255],
        "body_text": render_template(f"mail/{message.kind}.txt", **context),
        "body_html": render_template(f"mail/{message.kind}.html", **context),
        "calendar": calendar,
    }


def subject_of(message: OutboxMessage) -> str:
    """Return a message's subject: as stored, or as it will be rendered."""
    if message.subject is not None:
        return message.subject
    registration = message.registration
    if registration is None or message.kind not in SUBJECTS:
        return message.kind
    with force_locale(locale_of(message.locale)):
        status = message.status_at_change or registration.status
        return subject_for(message.kind, status, registration.event.title)


def subject_for(kind: str, status: str, title: str) -> str:
    subject = SUBJECTS[kind]
    if status == RegistrationStatus.WAITLISTED:
        subject = WAITLISTED_SUBJECTS.get(kind, subject)
    return str(subject) % {"title": title}


def template_context(registration: Registration) -> dict:
    """Return what every registrant's mail template reads: the event and their links."""
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "ticket_url": public_url("registration.ticket", code=registration.code),
        "manage_url": public_url("manage.page", secret=registration.manage_secret),
        "event_url": public_url("registration.event_page", slug=event.slug),
    }


def render_written(registration: Registration, body: str, *, with_certificate: bool):
    """Return the text and HTML parts of a staff message as this registrant reads them."""
    with force_locale(locale_of(registration.locale)):
        context = template_context(registration) | {
            "body": body,
            "with_certificate": with_certificate,
        }
        return (
            render_template("mail/written.txt", **context),
            render_template("mail/written.html", **context),
        )


def _give_up(message_id: int) -> bool:
    def unit() -> None:
        stored = db.session.get(OutboxMessage, message_id, populate_existing=True)
        if stored is None:
            return
        stored.status = OutboxStatus.FAILED
        stored.claimed_until = None
        stored.last_error = "not sent: the registration was erased or its address changed"

    run_in_transaction(unit)
    return False
