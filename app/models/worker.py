"""The worker's traces: each node's heartbeat, and which node ran each scheduled slot."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime


class WorkerHeartbeat(db.Model):
    """The last sign of life of the worker of a node (/readyz reads it)."""

    __tablename__ = "worker_heartbeat"

    node: Mapped[str] = mapped_column(String(100), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pid: Mapped[int]


class ScheduledRun(db.Model):
    """One run of a scheduled job for one slot: the primary key lets one worker take it."""

    __tablename__ = "scheduled_run"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: The instant the run was scheduled for (daily at 10:00 Paris, each minute...).
    slot: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    node: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
