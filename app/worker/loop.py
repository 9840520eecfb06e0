"""The worker's loop: deliver what is due, beat, run the scheduled jobs, sleep until woken.

It sleeps until a commit wakes it (app.worker.wakeup), the next message falls due (its
backoff ends or a dead worker's claim lapses), the next heartbeat or scheduled slot, or at
most `interval` seconds (the fallback poll).
"""

import logging
import threading
import time

from flask import current_app

from app.extensions import db
from app.mail import sender
from app.models import utcnow
from app.worker import heartbeat
from app.worker.schedules import Job, Schedule
from app.worker.wakeup import waker_for

log = logging.getLogger(__name__)

#: After an error (the database restarting), wait this long before the next round.
PAUSE_AFTER_ERROR = 2.0
#: Messages sent per round at most: the next round lists what is due again, so a message
#: whose dead worker's claim lapsed meanwhile waits behind this many, not a whole backlog.
BATCH = 20


def run(
    *,
    interval: float = 10.0,
    jobs: list[Job] | None = None,
    stop: threading.Event | None = None,
    rounds: int | None = None,
) -> None:
    """Run until `stop` is set (or for `rounds` rounds)."""
    stop = stop or threading.Event()
    waker = waker_for(db.engine, stop)
    schedule = Schedule(jobs or [])
    last_beat = float("-inf")
    done = 0
    try:
        while not stop.is_set() and (rounds is None or done < rounds):
            done += 1
            try:
                if time.monotonic() - last_beat >= heartbeat.interval():
                    heartbeat.beat()
                    last_beat = time.monotonic()
                schedule.run_due(utcnow())
                timeout = min(interval, _deliver(stop), schedule.next_slot(utcnow()))
            except Exception:  # keep going: the next round may find the database back
                log.exception("worker: round failed")
                db.session.rollback()
                timeout = PAUSE_AFTER_ERROR
            if rounds is None or done < rounds:
                beat_in = heartbeat.interval() - (time.monotonic() - last_beat)
                waker.wait(max(0.0, min(timeout, beat_in)))
    finally:
        waker.close()
        db.session.remove()


def _deliver(stop: threading.Event) -> float:
    """Send up to BATCH due messages; return the seconds until the next falls due (0 if
    more are due already)."""
    if current_app.config["MAIL_SUPPRESS_SEND"]:
        return float("inf")
    sent, failed = sender.deliver_pending(honour_backoff=True, stop=stop, limit=BATCH)
    if sent or failed:
        log.info("mail: %s sent, %s failed", sent, failed)
    when = sender.next_due()
    if when is None:
        return float("inf")
    return max(0.0, (when - utcnow()).total_seconds())
