"""The worker's heartbeat: each node's worker writes when it was last alive."""

import os

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.database import run_in_transaction
from app.extensions import db
from app.models import WorkerHeartbeat, utcnow


def node_name() -> str:
    return current_app.config["NODE_NAME"]


def interval() -> float:
    return float(current_app.config["WORKER_HEARTBEAT_INTERVAL"])


def beat() -> None:
    """Record that this node's worker is alive now."""
    dialect = db.engine.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    statement = (
        insert(WorkerHeartbeat)
        .values(node=node_name(), beat_at=now, pid=os.getpid())
        .on_conflict_do_update(index_elements=["node"], set_={"beat_at": now, "pid": os.getpid()})
    )
    run_in_transaction(lambda: db.session.execute(statement))


def age(node: str | None = None) -> float | None:
    """Seconds since the last beat of `node`, or of the freshest node if None; None if never."""
    query = select(func.max(WorkerHeartbeat.beat_at))
    if node is not None:
        query = query.where(WorkerHeartbeat.node == node)
    last = db.session.scalar(query)
    if last is None:
        return None
    if last.tzinfo is None:  # func.max on SQLite: the stored UTC wall time
        last = last.replace(tzinfo=utcnow().tzinfo)
    return max(0.0, (utcnow() - last).total_seconds())


def alive(node: str | None = None) -> bool:
    """Whether this node's worker beat within three heartbeat intervals."""
    seconds = age(node or node_name())
    return seconds is not None and seconds <= 3 * interval()
