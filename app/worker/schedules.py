"""Scheduled jobs, run by the worker, once across all workers of all machines.

Each job has slots: every minute, or daily at a local time. A worker that sees a slot due
inserts the row (job, slot) into scheduled_run; the primary key lets one insert succeed, on
SQLite as on PostgreSQL, and that worker runs the job. A daily slot missed while no worker
ran is caught up within GRACE (a worker started at 11:00 sends the 10:00 reminders; one
started the next morning does not send yesterday's).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.database import run_in_transaction
from app.extensions import db
from app.models import ScheduledRun

log = logging.getLogger(__name__)

#: How late a daily slot is still run.
GRACE = timedelta(hours=6)
#: Runs older than this are forgotten.
KEEP = timedelta(days=7)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: timedelta | None = None
    daily: time | None = None
    zone: str = "Europe/Paris"

    def slot(self, now: datetime) -> datetime | None:
        """The latest slot at or before `now` still to be run, if any."""
        if self.every is not None:
            seconds = self.every.total_seconds()
            return datetime.fromtimestamp(now.timestamp() // seconds * seconds, UTC)
        zone = ZoneInfo(self.zone)
        day = now.astimezone(zone).date()
        slot = datetime.combine(day, self.daily, zone)
        if slot > now:
            slot = datetime.combine(day - timedelta(days=1), self.daily, zone)
        return slot.astimezone(UTC) if now - slot <= GRACE else None


@dataclass
class Schedule:
    """The jobs, and the slot each last ran (or was taken elsewhere) as this worker knows."""

    jobs: list[Job]
    seen: dict[str, datetime] = field(default_factory=dict)

    def run_due(self, now: datetime) -> list[str]:
        """Run the jobs whose slot is due and not taken; return their names."""
        ran = []
        for job in self.jobs:
            slot = job.slot(now)
            if slot is None or self.seen.get(job.name) == slot:
                continue
            self.seen[job.name] = slot
            if not take(job.name, slot, now):
                continue
            log.info("worker: running %s (slot %s)", job.name, slot.isoformat())
            try:
                job.run()
            except Exception:  # one job's failure stops neither the worker nor the others
                log.exception("worker: %s failed", job.name)
            db.session.rollback()
            ran.append(job.name)
        return ran

    def next_slot(self, now: datetime) -> float:
        """Seconds until the next slot of an every-N job (daily jobs wake at most this late)."""
        waits = [
            job.every.total_seconds() - now.timestamp() % job.every.total_seconds()
            for job in self.jobs
            if job.every is not None
        ]
        return min(waits, default=60.0)


def take(job: str, slot: datetime, now: datetime) -> bool:
    """Claim this job's slot for this node; False if another worker has it."""
    node = current_app.config["NODE_NAME"]

    def unit() -> None:
        db.session.execute(
            delete(ScheduledRun).where(ScheduledRun.job == job, ScheduledRun.slot < now - KEEP)
        )
        db.session.add(ScheduledRun(job=job, slot=slot, node=node, started_at=now))
        db.session.flush()

    try:
        run_in_transaction(unit)
    except IntegrityError:
        return False
    return True
