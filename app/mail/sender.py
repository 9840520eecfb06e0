"""Deliver the outbox: the worker (app.worker) sends, a commit that queued mail wakes it.

No request talks to SMTP: `deliver`, called after a commit that queued messages, only wakes
the worker (in this process; other processes are woken by PostgreSQL's NOTIFY, sent by a
trigger on `outbox_message`, or see SQLite's data_version change, see app.worker.wakeup).

A sender first claims a message (a conditional UPDATE) for MAIL_CLAIM_LEASE seconds, renewed
while it sends, so that two senders never send the same one and a dead sender's message is
taken over once its claim lapses, with the same Message-ID. The message is marked sent as soon
as the relay accepted it, before the SMTP session's goodbye (docs/worker.md: exactly once).
Failures are recorded with the last error and retried with exponential backoff; after
MAX_ATTEMPTS the message is marked failed.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, func, or_, select, type_coerce, update

from app.database import run_in_transaction
from app.extensions import db
from app.mail import rendering
from app.mail.transports import transport_for
from app.models import OutboxAttachment, OutboxMessage, OutboxStatus, UTCDateTime, utcnow

log = logging.getLogger(__name__)

#: The default claim lease (MAIL_CLAIM_LEASE, in seconds, overrides it).
CLAIM_LEASE = timedelta(seconds=20)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)

#: Set after a commit that queued mail: a worker of this process wakes at once.
wakeup = threading.Event()

#: Files made when a message is first sent rather than when it is queued, by kind: slow to
#: make (a PDF per recipient), they stay out of the queueing transaction and its locks.
#: The function returns [(filename, content_type, bytes)]; the files are stored with the
#: message, so a retry sends the same ones. Registered by the packages that make them.
LATE_ATTACHMENTS: dict[str, Callable[[OutboxMessage], list[tuple[str, str, bytes]]]] = {}


def backoff(attempts: int, first: timedelta = timedelta(minutes=1)) -> timedelta:
    """Wait 1, 2, 4, 8... minutes (MAIL_RETRY_AFTER) after each failure, at most an hour."""
    return min(MAX_BACKOFF, first * 2 ** (attempts - 1))


def claim_lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("MAIL_CLAIM_LEASE", CLAIM_LEASE.seconds))


#: The channel the workers LISTEN on (PostgreSQL).
CHANNEL = "accueil_outbox"


def wake() -> None:
    """Tell the workers that messages were committed: this process's at once, and on
    PostgreSQL every node's by a NOTIFY sent after the commit, on a connection in autocommit.

    Not from the committing transaction (a trigger): PostgreSQL serialises the commits of
    every transaction that sent NOTIFY on a cluster-wide lock, which cut concurrent
    registrations to 0.25–0.4 of their throughput (docs/worker.md). A process that dies
    between its commit and this NOTIFY leaves its message to the worker's fallback look.
    """
    wakeup.set()
    if db.engine.dialect.name != "postgresql":
        return  # SQLite: other processes see the commit through PRAGMA data_version
    try:
        with db.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.exec_driver_sql(f"NOTIFY {CHANNEL}")
    except Exception as error:  # the message is committed: the worker's next look sends it
        log.warning("worker not notified: %s", error)


def deliver(message_ids: list[int]) -> None:
    """After a commit that queued these messages: wake the worker, which sends them."""
    wake()


def _claim(message_id: int, now: datetime) -> datetime | None:
    """Claim a pending, unclaimed message; return the claim's end, or None if not claimed."""
    until = now + claim_lease()

    def unit() -> bool:
        result = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .values(claimed_until=until)
        )
        return result.rowcount == 1

    return until if run_in_transaction(unit) else None


def _record(message: OutboxMessage, error: Exception | None, connection=None) -> None:
    """Record a sending or a failure, in one UPDATE (the claim holds the row meanwhile).

    A sending is recorded on `connection`, checked out before the relay was contacted: the
    time between the relay's 250 and the commit is the only window for a duplicate.
    """
    attempts = message.attempts + 1
    values = {"attempts": attempts, "claimed_until": None}
    if error is None:
        values |= {"status": OutboxStatus.SENT, "sent_at": utcnow(), "last_error": None}
    else:
        values |= {
            "last_error": f"{type(error).__name__}: {error}"[:1000],
            "next_attempt_at": utcnow() + backoff(attempts, _retry_after()),
        }
        if attempts >= MAX_ATTEMPTS:
            values["status"] = OutboxStatus.FAILED
    statement = update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
    if connection is None:
        run_in_transaction(lambda: db.session.execute(statement))
        return
    with connection.begin():
        if connection.dialect.name == "postgresql":
            # Return at once rather than after the WAL's flush to disk (milliseconds): a
            # record lost to a PostgreSQL crash costs the same resend as a worker's death.
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        connection.execute(statement)


def _retry_after() -> timedelta:
    return timedelta(seconds=current_app.config.get("MAIL_RETRY_AFTER", 60))


def send_one(message_id: int) -> bool | None:
    """Claim and send one message; return True if sent, False if it failed, None if taken."""
    until = _claim(message_id, utcnow())
    if until is None:
        return None
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    config = current_app.config
    accepted = threading.Event()

    def record_sent() -> None:  # right after the relay's 250 to the final dot
        renewal.stopped.set()  # no join: a late renewal finds the claim gone
        accepted.set()
        _record(message, None, ready)

    with _Renewal(message_id, until) as renewal, db.engine.connect() as ready:
        try:
            if not rendering.render_if_needed(message):  # erased meanwhile: marked failed
                return False
            _attach_late(message)
            _end_read(message)
            transport_for(config).send(message, config["MAIL_DEFAULT_SENDER"], record_sent)
        except Exception as error:  # any transport failure keeps the message queued
            if accepted.is_set():  # the relay has it: only the goodbye or the record failed
                log.exception("mail %s accepted by the relay; recording it failed", message_id)
                return True
            log.warning("mail %s to %s not sent: %s", message_id, message.recipient, error)
            _record(message, error)
            return False
    return True


def _end_read(message: OutboxMessage) -> None:
    """End the read transaction before talking to the relay, keeping the message loaded."""
    message.attachments  # noqa: B018 (loaded now, read while sending)
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


class _Renewal:
    """Push a claim's end forward every third of the lease while its message is sent."""

    def __init__(self, message_id: int, until: datetime):
        self.message_id, self.until = message_id, until
        self.engine, self.lease = db.engine, claim_lease()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="claim-renewal")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not threading.current_thread():
            self.thread.join()

    def _run(self) -> None:
        while not self.stopped.wait(self.lease.total_seconds() / 3):
            later = utcnow() + self.lease
            statement = (
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == self.message_id,
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.claimed_until == self.until,
                )
                .values(claimed_until=later)
            )
            try:
                with self.engine.begin() as connection:
                    if connection.execute(statement).rowcount != 1:
                        return  # recorded meanwhile, or the claim was lost
            except Exception as error:  # the next renewal may succeed
                log.warning("claim of mail %s not renewed: %s", self.message_id, error)
                continue
            self.until = later


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


def due_messages(*, honour_backoff: bool, limit: int | None = None) -> list[int]:
    """Return the ids of the pending messages not claimed, oldest first (only those due, if
    asked): another worker's live claim is skipped without a write."""
    now = utcnow()
    free = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    query = select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING, free)
    if honour_backoff:
        query = query.where(OutboxMessage.next_attempt_at <= now)
    ids = list(db.session.scalars(query.order_by(OutboxMessage.id).limit(limit)))
    db.session.commit()  # end the read transaction before the claims
    return ids


def next_due() -> datetime | None:
    """When the next pending message falls due: its backoff over and any claim lapsed."""
    claimed, backed_off = OutboxMessage.claimed_until, OutboxMessage.next_attempt_at
    due_at = case((claimed > backed_off, claimed), else_=backed_off)
    query = select(func.min(type_coerce(due_at, UTCDateTime))).where(
        OutboxMessage.status == OutboxStatus.PENDING
    )
    when = db.session.scalar(query)
    db.session.commit()
    return when


def deliver_pending(
    *,
    honour_backoff: bool = False,
    stop: threading.Event | None = None,
    limit: int | None = None,
) -> tuple[int, int]:
    """Try the pending messages, or the `limit` oldest (until `stop` is set, if given);
    return (sent, failed)."""
    sent = failed = 0
    for message_id in due_messages(honour_backoff=honour_backoff, limit=limit):
        if stop is not None and stop.is_set():
            break
        outcome = send_one(message_id)
        sent += outcome is True
        failed += outcome is False
    return sent, failed
