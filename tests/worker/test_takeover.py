"""A worker killed (SIGKILL) while it sends: another takes its claim over once the lease
lapses, and the message reaches the relay once, with its Message-ID."""

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from app.mail import services as mail
from app.models import OutboxMessage, WorkerHeartbeat
from tests.factories import make_event, make_registration
from tests.worker.fixtures import ROOT, wait_until


def fresh(db, query):
    value = db.session.scalar(query)
    db.session.rollback()
    return value


def flask_worker(database_uri, relay, node: str) -> subprocess.Popen:
    """`flask mail send --watch`, the production command, as its own process."""
    env = os.environ | {
        "FLASK_APP": "wsgi.py",
        "APP_ENV": "testing",
        "DATABASE_URL": database_uri,
        "MAIL_SUPPRESS_SEND": "0",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(relay.port),
        "NODE_NAME": node,
    }
    flask = [sys.executable, "-m", "flask", "mail", "send", "--watch", "--interval", "3600"]
    return subprocess.Popen(flask, cwd=ROOT, env=env)


def test_a_killed_workers_claim_is_taken_over_and_sent_once(app, db, database_uri, relay):
    # The relay holds each RCPT 4 s: the first worker is killed mid-conversation.
    server = relay(delay=4, stage="rcpt")
    server.start()
    message = mail.queue("confirmation", make_registration(make_event()))
    db.session.commit()
    first = flask_worker(database_uri, server, "node-a")
    second = None
    try:
        query = select(OutboxMessage.claimed_until).where(OutboxMessage.id == message.id)
        wait_until(lambda: fresh(db, query))  # claimed: it is talking to the relay
        time.sleep(1)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        killed = time.monotonic()
        assert server.messages() == []

        second = flask_worker(database_uri, server, "node-b")
        [received] = wait_until(server.messages, timeout=120)
        taken_over = time.monotonic() - killed
        print(f"taken over and delivered {taken_over:.1f} s after the SIGKILL")
        assert received["Message-ID"] == message.message_id
        assert set(db.session.scalars(select(WorkerHeartbeat.node))) == {"node-a", "node-b"}
        row = select(OutboxMessage.status, OutboxMessage.attempts).where(
            OutboxMessage.id == message.id
        )

        def recorded():
            found = db.session.execute(row).one()
            db.session.rollback()
            return found.status == "sent" and tuple(found)

        # Recorded right after the relay's answer; the killed one recorded nothing.
        assert wait_until(recorded) == ("sent", 1)
        time.sleep(2)
        assert len(server.messages()) == 1  # and nobody sends it again
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(30)
