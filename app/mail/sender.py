"""Deliver the outbox: right after a commit, and from `flask mail send [--watch]`.

A sender first claims a message (a conditional UPDATE), so that two senders never
send the same one; a claim lapses after CLAIM_LEASE, so a crashed sender's message
is sent again later with the same Message-ID. Failures are recorded with the last
error and retried with exponential backoff; after MAX_ATTEMPTS the message is
marked failed.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.database import run_in_transaction
from app.extensions import db
from app.mail import rendering
from app.mail.transports import transport_for
from app.models import OutboxAttachment, OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)

#: Files made when a message is first sent rather than when it is queued, by kind: slow to
#: make (a PDF per recipient), they stay out of the queueing transaction and its locks.
#: The function returns [(filename, content_type, bytes)]; the files are stored with the
#: message, so a retry sends the same ones. Registered by the packages that make them.
LATE_ATTACHMENTS: dict[str, Callable[[OutboxMessage], list[tuple[str, str, bytes]]]] = {}


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4, 8... minutes after each failure, at most an hour."""
    return min(MAX_BACKOFF, timedelta(minutes=2 ** (attempts - 1)))


def _claim(message_id: int, now: datetime) -> bool:
    def unit() -> bool:
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM_LEASE)
        )
        return result.rowcount == 1

    return run_in_transaction(unit)


def _record(message_id: int, error: Exception | None) -> None:
    def unit() -> None:
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        message.attempts += 1
        message.claimed_until = None
        if error is None:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            return
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        message.next_attempt_at = utcnow() + backoff(message.attempts)
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED

    run_in_transaction(unit)


def send_one(message_id: int) -> bool | None:
    """Claim and send one message; return True if sent, False if it failed, None if taken."""
    if not _claim(message_id, utcnow()):
        return None
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    config = current_app.config
    try:
        if not rendering.render_if_needed(message):  # erased meanwhile: marked failed
            return False
        _attach_late(message)
        transport_for(config).send(message, config["MAIL_DEFAULT_SENDER"])
    except Exception as error:  # any transport failure keeps the message queued
        log.warning("mail %s to %s not sent: %s", message_id, message.recipient, error)
        _record(message_id, error)
        return False
    _record(message_id, None)
    return True


def _attach_late(message: OutboxMessage) -> None:
    make = LATE_ATTACHMENTS.get(message.kind)
    if make is None or message.attachments:
        return
    files = make(message)  # outside the transaction: reads only
    if not files:
        return

    def unit() -> None:
        stored = db.session.get(OutboxMessage, message.id)
        for filename, content_type, data in files:
            stored.attachments.append(
                OutboxAttachment(filename=filename, content_type=content_type, data=data)
            )

    run_in_transaction(unit)
    db.session.refresh(message)


def deliver(message_ids: list[int]) -> None:
    """Send these messages now unless sending is suppressed; failures stay queued."""
    if current_app.config["MAIL_SUPPRESS_SEND"]:
        return
    for message_id in message_ids:
        send_one(message_id)


def due_messages(*, honour_backoff: bool) -> list[int]:
    """Return the ids of the pending messages, oldest first (only those due, if asked)."""
    query = select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING)
    if honour_backoff:
        query = query.where(OutboxMessage.next_attempt_at <= utcnow())
    ids = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    db.session.commit()  # end the read transaction before the claims
    return ids


def deliver_pending(*, honour_backoff: bool = False) -> tuple[int, int]:
    """Try the pending messages; return (sent, failed)."""
    sent = failed = 0
    for message_id in due_messages(honour_backoff=honour_backoff):
        outcome = send_one(message_id)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def watch(interval: float = 10.0, *, rounds: int | None = None) -> None:
    """Deliver due messages every `interval` seconds (for ever, or `rounds` times)."""
    done = 0
    while rounds is None or done < rounds:
        sent, failed = deliver_pending(honour_backoff=True)
        if sent or failed:
            log.info("mail: %s sent, %s failed", sent, failed)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)
