"""The worker's heartbeat: each node's worker writes when it was last alive."""

import os
from datetime import datetime

from flask import current_app
from sqlalchemy import select
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


def ages(now: datetime | None = None) -> dict[str, float]:
    """Seconds since each node's worker last beat, by node (a node that never beat: absent)."""
    now = now or utcnow()
    beats = db.session.execute(select(WorkerHeartbeat.node, WorkerHeartbeat.beat_at))
    return {node: max(0.0, (now - beat).total_seconds()) for node, beat in beats}


def age(node: str | None = None) -> float | None:
    """Seconds since the last beat of `node`, or of the freshest node if None; None if never."""
    known = ages()
    if node is not None:
        return known.get(node)
    return min(known.values(), default=None)


def alive(node: str | None = None) -> bool:
    """Whether this node's worker beat within three heartbeat intervals."""
    seconds = age(node or node_name())
    return seconds is not None and seconds <= 3 * interval()
