"""The database binding: SQLite pragmas, write transactions and their retries.

SQLite's stock driver opens a transaction only at the first write, so a
check-then-insert can interleave between processes. Write units therefore begin
with `BEGIN IMMEDIATE`, which takes the write lock up front and waits for it
(busy timeout). PostgreSQL write units lock the rows they decide on instead
(`SELECT ... FOR UPDATE`, see the services).
"""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from sqlalchemy import Select, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from app.extensions import db

T = TypeVar("T")

#: How many times a unit of work is retried after a lock or serialization error.
MAX_RETRIES = 8
#: SQLSTATEs that mean "try again": serialization failure, deadlock, lock not available.
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def init_app(app) -> None:
    """Bind the database and set SQLite up for several processes."""
    db.init_app(app)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT"] * 1000)
        write_lock = not app.config.get("SEAT_LOCK_DISABLED", False)
        _configure_sqlite(engine, timeout_ms, write_lock=write_lock)


def _configure_sqlite(engine: Engine, timeout_ms: int, *, write_lock: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        if write_lock:
            # Let SQLAlchemy's "begin" event below emit BEGIN, not the driver.
            # (Without it, the canary runs on the stock driver, which opens the
            # transaction only at the first write: check-then-insert races.)
            dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted or erased personal data is overwritten, not left in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    if write_lock:

        @event.listens_for(engine, "begin")
        def on_begin(connection):
            immediate = connection.get_execution_options().get("sqlite_immediate")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def for_update(query: Select) -> Select:
    """Lock the selected rows until the end of the transaction (PostgreSQL).

    SQLite ignores FOR UPDATE; its write units hold the database's write lock
    from their first statement (BEGIN IMMEDIATE) instead.
    """
    if current_app.config.get("SEAT_LOCK_DISABLED", False):
        return query
    return query.with_for_update()


def is_retryable(error: DBAPIError) -> bool:
    """Tell whether a database error is a lock or serialization conflict."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    message = str(error.orig).lower()
    return "database is locked" in message or "database table is locked" in message


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current unit of work has committed.

    Only the attempt that commits runs its callbacks: a unit that rolls back,
    or is retried, forgets what it registered. Mail uses it to deliver what the
    unit queued, after the commit and never for a change that did not happen.
    """
    db.session().info.setdefault(_AFTER_COMMIT, []).append(callback)


_AFTER_COMMIT = "accueil_after_commit"


def run_in_transaction(
    work: Callable[[], T], *, retries: int = MAX_RETRIES, expire: bool = True
) -> T:
    """Run `work` as one write transaction and commit it, retrying on conflicts.

    `work` must be safe to run again from the start: it re-reads what it
    decides on. Any exception other than a lock conflict rolls back and
    propagates; nothing of the unit is kept. Callbacks registered with
    `after_commit` run after the commit. With `expire=False` what the unit
    loaded stays loaded after the commit, as committed, instead of being read
    again at the next access (for an answer built right after the unit).
    """
    session = db.session()
    for attempt in range(retries + 1):
        _start_unit(session)
        session.info[_AFTER_COMMIT] = []
        try:
            result = work()
            _commit(session, expire)
        except DBAPIError as error:
            _abandon(session)
            if attempt == retries or not is_retryable(error):
                raise
            # Jittered exponential backoff: 10 ms, 20 ms, 40 ms... capped.
            time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))
            continue
        except BaseException:
            _abandon(session)
            raise
        for callback in session.info.pop(_AFTER_COMMIT):
            callback()
        return result
    raise AssertionError("unreachable")


def _start_unit(session) -> None:
    """Begin the unit's transaction; objects read earlier in the request are read again."""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})
    elif session.get_bind().dialect.name == "sqlite":
        # End the read transaction opened earlier in the request, so that the
        # write unit starts with its own immediate BEGIN (the write lock).
        session.commit()
        session.connection(execution_options={"sqlite_immediate": True})
    else:
        # PostgreSQL reads committed data at each statement and locks what the unit
        # decides on: the request's transaction goes on, without a COMMIT, a new
        # BEGIN and the pool's ping in between. Expired as a commit would.
        session.expire_all()


def _commit(session, expire: bool) -> None:
    if expire:
        session.commit()
        return
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous


def _abandon(session) -> None:
    session.rollback()
    session.info.pop(_AFTER_COMMIT, None)
