"""The day-before reminder: queued once per confirmed registrant, however often cron runs."""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.database import run_in_transaction
from app.extensions import db
from app.mail import services as mail
from app.models import Event, EventStatus, Registration, RegistrationStatus, utcnow


def events_tomorrow(now: datetime) -> list[Event]:
    """Return the published events that start tomorrow in their own time zone."""
    candidates = db.session.scalars(
        select(Event).where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at < now + timedelta(days=2, hours=2),
        )
    )
    return [
        event
        for event in candidates
        if event.local_start.date() == now.astimezone(event.tz).date() + timedelta(days=1)
    ]


def queue_reminders(now: datetime | None = None) -> int:
    """Queue tomorrow's reminders not queued yet; return how many were queued."""
    now = now or utcnow()

    def unit() -> list:
        messages = []
        for event in events_tomorrow(now):
            # Row locks (PostgreSQL) or the write lock (SQLite): a second run waits,
            # then finds reminder_sent_at set and queues nothing.
            pending = db.session.scalars(
                select(Registration)
                .where(
                    Registration.event_id == event.id,
                    Registration.status == RegistrationStatus.CONFIRMED,
                    Registration.reminder_sent_at.is_(None),
                )
                .with_for_update()
            )
            for registration in pending:
                registration.reminder_sent_at = now
                messages.append(mail.queue("reminder", registration))
        return messages

    return len(run_in_transaction(unit))
