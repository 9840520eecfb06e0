"""What wakes the worker at a commit that queued mail, in this process or another.

- In this process: `app.mail.sender.wakeup`, set after the commit (a threading.Event).
- PostgreSQL: LISTEN accueil_outbox on a connection of its own; the committing process sends
  NOTIFY right after its commit (`app.mail.sender.wake`).
- SQLite: `PRAGMA data_version` on a connection of its own changes when another connection
  commits; it is read every STEP seconds (a few microseconds each).
"""

import logging
import sqlite3
import threading
import time

import psycopg
from sqlalchemy.engine import Engine

from app.mail import sender

log = logging.getLogger(__name__)

CHANNEL = sender.CHANNEL
#: Seconds between two looks at the other processes' commits (and at the stop flag).
STEP = 0.1


class Waker:
    """Wait until a commit may have queued mail, or the timeout, or the stop flag."""

    def __init__(self, stop: threading.Event):
        self.stop = stop

    def wait(self, timeout: float) -> bool:
        """Return True if woken (by a commit or the stop flag), False at the timeout."""
        deadline = time.monotonic() + timeout
        while not self.stop.is_set():
            if sender.wakeup.is_set():
                sender.wakeup.clear()
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                if self.changed(min(STEP, remaining)):
                    return True
            except Exception as error:  # the database restarts: reconnect, go on polling
                log.warning("worker wake-up: %s", error)
                self.close()
                self.stop.wait(min(1.0, remaining))
        return True

    def changed(self, step: float) -> bool:
        self.stop.wait(step)
        return False

    def close(self) -> None:
        pass


class SqliteWaker(Waker):
    def __init__(self, stop: threading.Event, path: str):
        super().__init__(stop)
        self.path, self.connection, self.version = path, None, None

    def changed(self, step: float) -> bool:
        if self.connection is None:
            self.connection = sqlite3.connect(self.path, check_same_thread=False)
            self.version = self._version()
            return True  # what was committed before: look once
        self.stop.wait(step)
        version = self._version()
        changed, self.version = version != self.version, version
        return changed

    def _version(self) -> int:
        return self.connection.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = self.version = None


class PostgresWaker(Waker):
    def __init__(self, stop: threading.Event, url: str):
        super().__init__(stop)
        self.url, self.connection = url, None

    def changed(self, step: float) -> bool:
        if self.connection is None:
            self.connection = psycopg.connect(self.url, autocommit=True)
            self.connection.execute(f"LISTEN {CHANNEL}")
            return True  # what was committed before LISTEN: look once
        for _notify in self.connection.notifies(timeout=step, stop_after=1):
            return True
        return False

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None


def waker_for(engine: Engine, stop: threading.Event) -> Waker:
    url = engine.url
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresWaker(stop, plain)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return SqliteWaker(stop, url.database)
    return Waker(stop)
