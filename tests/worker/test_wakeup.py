"""The commit that queues a message wakes the worker: the poll is an hour, mail leaves at once.

Run on SQLite (data_version, in-process event) and, with TEST_DATABASE_URL, on PostgreSQL
(LISTEN/NOTIFY from the outbox trigger).
"""

import time

from sqlalchemy import select

from app.mail import sender
from app.models import OutboxMessage, WorkerHeartbeat
from app.worker import wakeup
from tests.factories import make_event
from tests.registration.test_register import VALID
from tests.worker.fixtures import wait_until

HOUR = 3600


def idle_worker(db, smtp_server, spawn_worker):
    """Start a worker process whose poll and heartbeat are an hour, and let it fall idle."""
    spawn_worker(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, INTERVAL=HOUR)

    def beat() -> bool:
        found = db.session.scalar(select(WorkerHeartbeat))
        db.session.rollback()
        return found is not None

    wait_until(beat)
    time.sleep(1)  # its first rounds done, it waits (an hour, unless woken)


def test_a_registration_wakes_a_worker_in_another_process(db, smtp_server, post_form, spawn_worker):
    smtp_server.start()
    event = make_event()
    idle_worker(db, smtp_server, spawn_worker)

    assert post_form(f"/e/{event.slug}", VALID).status_code == 303

    [received] = wait_until(smtp_server.messages, timeout=60)  # the poll is an hour
    assert received["Message-ID"] == db.session.scalar(select(OutboxMessage.message_id))
    db.session.rollback()

    def recorded() -> bool:
        status = db.session.scalar(select(OutboxMessage.status))
        db.session.rollback()
        return status == "sent"

    wait_until(recorded)  # right after the relay's answer


def test_each_commit_wakes_it_again(db, smtp_server, post_form, spawn_worker):
    smtp_server.start()
    event = make_event()
    idle_worker(db, smtp_server, spawn_worker)
    for count in (1, 2, 3):
        assert (
            post_form(f"/e/{event.slug}", VALID | {"email": f"p{count}@exemple.fr"}).status_code
            == 303
        )
        wait_until(lambda count=count: len(smtp_server.messages()) == count)


def test_the_in_process_wake_up_alone_wakes_a_worker_thread(
    app, db, smtp_app, smtp_server, post_form, worker_thread, monkeypatch
):
    """With no cross-process channel at all, the after-commit event wakes a thread."""
    monkeypatch.setattr("app.worker.loop.waker_for", lambda _engine, stop: wakeup.Waker(stop))
    app.config["WORKER_HEARTBEAT_INTERVAL"] = HOUR
    smtp_server.start()
    event = make_event()
    worker_thread(interval=HOUR)
    time.sleep(1)
    sender.wakeup.clear()
    assert post_form(f"/e/{event.slug}", VALID).status_code == 303
    wait_until(lambda: len(smtp_server.messages()) == 1)
