"""Write to a segment of an event's registrants: count, preview, send once.

Sending is one unit of work: the message's row (its submission key is unique), one outbox
row per recipient rendered in the recipient's language, and the audit entry, committed
together; delivery follows the commit. A second POST of the same form, even at the same
instant from another process, finds the message already sent and sends nothing.
Certificates joined to a message to those who came are made by the sender, per recipient,
after the commit (app.exports.certificates), never inside this unit.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.database import run_in_transaction
from app.errors import DomainError, NotFound
from app.events.services import get_event
from app.exports.certificates import CERTIFICATE_KIND
from app.extensions import db
from app.mail import services as mail
from app.models import (
    Event,
    Registration,
    RegistrationStatus,
    Segment,
    StaffMessage,
    StaffUser,
    utcnow,
)

CONFIRMED = Registration.status == RegistrationStatus.CONFIRMED
#: Which registrations each segment holds.
SEGMENT_RULES = {
    Segment.CONFIRMED: CONFIRMED,
    Segment.WAITLISTED: Registration.status == RegistrationStatus.WAITLISTED,
    Segment.CHECKED_IN: and_(CONFIRMED, Registration.checked_in_at.is_not(None)),
    Segment.NO_SHOW: and_(CONFIRMED, Registration.checked_in_at.is_(None)),
}
#: A walk-in may have been let in without an address: nothing can be mailed to them.
NO_ADDRESS = or_(Registration.email.is_(None), Registration.email == "")


class CertificateNotAvailable(DomainError):
    """Certificates go to those who came (checked-in segment), once the event has ended."""

    code = "certificate_not_available"


class MessageNotFound(NotFound):
    pass


class NobodyToWrite(DomainError):
    """The segment holds nobody with an e-mail address."""

    code = "nobody_to_write"


@dataclass(frozen=True)
class Draft:
    segment: str
    subject: str
    body: str
    with_certificate: bool = False


@dataclass(frozen=True)
class Reach:
    """How many of a segment get the message, and how many have no address."""

    recipients: int
    skipped: int


@dataclass(frozen=True)
class Preview:
    reach: Reach
    #: The first recipient, as whom the preview is rendered.
    sample: Registration
    text: str
    html: str


def segment_reach(event: Event) -> dict[str, Reach]:
    """Return each segment's recipient and no-address counts, in one query."""
    columns = []
    for rule in SEGMENT_RULES.values():
        columns += [
            func.count().filter(and_(rule, ~NO_ADDRESS)),
            func.count().filter(and_(rule, NO_ADDRESS)),
        ]
    counts = db.session.execute(select(*columns).where(Registration.event_id == event.id)).one()
    return {
        segment: Reach(counts[2 * n], counts[2 * n + 1]) for n, segment in enumerate(SEGMENT_RULES)
    }


def check_draft(event: Event, draft: Draft) -> None:
    """Raise CertificateNotAvailable for a certificate the segment or the date rules out."""
    if draft.with_certificate and (draft.segment != Segment.CHECKED_IN or event.ends_at > utcnow()):
        raise CertificateNotAvailable()


def _recipients(event: Event, segment: str):
    query = select(Registration).where(
        Registration.event_id == event.id, SEGMENT_RULES[Segment(segment)], ~NO_ADDRESS
    )
    return db.session.scalars(query.order_by(Registration.id))


def preview(event: Event, draft: Draft) -> Preview:
    """Return the message as its first recipient will read it, with the segment's counts."""
    check_draft(event, draft)
    reach = segment_reach(event)[draft.segment]
    sample = _recipients(event, draft.segment).first()
    if sample is None:
        raise NobodyToWrite()
    text, html = mail.render_written(sample, draft.body, with_certificate=draft.with_certificate)
    return Preview(reach, sample, text, html)


def send_message(slug: str, draft: Draft, submission_key: str, actor: StaffUser) -> StaffMessage:
    """Send the draft to its segment once per submission key; return the message's row."""

    def unit() -> StaffMessage:
        sent = db.session.scalar(
            select(StaffMessage).where(StaffMessage.submission_key == submission_key)
        )
        if sent is not None:
            return sent
        event = get_event(slug)
        check_draft(event, draft)
        message = StaffMessage(
            event=event,
            actor=actor,
            submission_key=submission_key,
            **vars(draft),
        )
        db.session.add(message)
        db.session.flush()  # a concurrent twin waits here on the unique key, then fails
        _queue_all(event, message)
        if not message.recipients:
            raise NobodyToWrite()
        _audit(actor, event, message)
        return message

    try:
        return run_in_transaction(unit)
    except IntegrityError:
        # The same form, sent at the same instant by another process, won: find its message.
        return run_in_transaction(unit)


def _queue_all(event: Event, message: StaffMessage) -> None:
    kind = CERTIFICATE_KIND if message.with_certificate else "message"
    message.recipients = 0
    message.skipped = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, SEGMENT_RULES[Segment(message.segment)], NO_ADDRESS
        )
    )
    for registration in _recipients(event, message.segment):
        mail.queue_written(kind, registration, message.subject, message.body)
        message.recipients += 1


def _audit(actor: StaffUser, event: Event, message: StaffMessage) -> None:
    audit.record(
        actor,
        "message.send",
        event=event,
        before=None,
        after={
            "segment": message.segment,
            "subject": message.subject,
            "sent": message.recipients,
            "skipped": message.skipped,
            "certificate": message.with_certificate,
        },
    )


def sent_messages(event: Event) -> list[StaffMessage]:
    """Return the event's messages, newest first."""
    query = select(StaffMessage).where(StaffMessage.event_id == event.id)
    return list(db.session.scalars(query.order_by(StaffMessage.id.desc())))


def get_message(event: Event, message_id: int) -> StaffMessage:
    """Return one of the event's messages, or raise MessageNotFound."""
    message = db.session.get(StaffMessage, message_id)
    if message is None or message.event_id != event.id:
        raise MessageNotFound()
    return message
