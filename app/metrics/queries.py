"""The figures /metrics shows, read from the database at scrape time.

Gunicorn runs several workers and every node has its own: counters kept in a process would
each see a slice. A few aggregates over the shared database see everything, whichever
worker of whichever node answers the scrape.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)
from app.worker import heartbeat


@dataclass(frozen=True)
class Figures:
    """What the site holds now."""

    #: Registrations by status, every status present (0 when none).
    registrations: dict[str, int] = field(default_factory=dict)
    #: Registrations checked in at the door.
    checked_in: int = 0
    #: Messages waiting in the outbox (due now or backing off), and those given up on.
    outbox_pending: int = 0
    outbox_failed: int = 0
    #: Seconds since the oldest pending message was queued; 0 when none waits.
    oldest_pending_age: float = 0.0
    #: Seconds since each node's worker last beat, by node name (no entry: never beat).
    heartbeat_ages: dict[str, float] = field(default_factory=dict)


def read_figures(now: datetime | None = None) -> Figures:
    """Read the figures in four small queries, then end the read transaction."""
    now = now or utcnow()
    registrations = dict.fromkeys(RegistrationStatus, 0) | dict(
        db.session.execute(
            select(Registration.status, func.count()).group_by(Registration.status)
        ).all()
    )
    checked_in = db.session.scalar(
        select(func.count()).where(Registration.checked_in_at.is_not(None))
    )
    outbox = {
        status: (count, oldest)
        for status, count, oldest in db.session.execute(
            select(OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.FAILED]))
            .group_by(OutboxMessage.status)
        )
    }
    heartbeat_ages = heartbeat.ages(now)
    db.session.commit()
    pending, oldest = outbox.get(OutboxStatus.PENDING, (0, None))
    return Figures(
        registrations={str(status): count for status, count in registrations.items()},
        checked_in=checked_in,
        outbox_pending=pending,
        outbox_failed=outbox.get(OutboxStatus.FAILED, (0, None))[0],
        oldest_pending_age=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        heartbeat_ages=heartbeat_ages,
    )
