"""`flask mail send --watch` stops cleanly on SIGTERM (systemd, make run's Ctrl-C)."""

import signal

from sqlalchemy import select

from app.models import WorkerHeartbeat
from tests.worker.fixtures import wait_until
from tests.worker.test_takeover import flask_worker


def test_sigterm_stops_the_worker(db, database_uri, smtp_server):
    smtp_server.start()
    worker = flask_worker(database_uri, smtp_server, "node-a")
    try:

        def beat():
            found = db.session.scalar(select(WorkerHeartbeat.node))
            db.session.rollback()
            return found

        assert wait_until(beat) == "node-a"  # running its loop
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)
