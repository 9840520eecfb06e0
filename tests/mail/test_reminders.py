from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from app.mail.reminders import queue_reminders
from app.models import OutboxMessage
from tests.factories import PARIS, make_event, make_registration

# Wednesday 15 April 2026, 10:00 in Paris.
NOW = datetime(2026, 4, 15, 8, 0, tzinfo=UTC)


def reminded(db) -> list[str]:
    db.session.expire_all()
    query = select(OutboxMessage.recipient).where(OutboxMessage.kind == "reminder")
    return sorted(db.session.scalars(query))


def test_reminders_go_to_tomorrows_confirmed_registrants_once(db, runner):
    tomorrow = make_event(starts_at=datetime(2026, 4, 16, 12, 0, tzinfo=UTC))
    later = make_event(starts_at=datetime(2026, 4, 17, 12, 0, tzinfo=UTC))
    make_registration(tomorrow, email="a@x.fr")
    make_registration(tomorrow, email="b@x.fr", status="waitlisted", waitlist_position=1)
    make_registration(tomorrow, email="c@x.fr", status="cancelled")
    make_registration(later, email="d@x.fr")

    assert queue_reminders(NOW) == 1
    assert queue_reminders(NOW) == 0  # running it twice sends once
    assert queue_reminders(NOW + timedelta(hours=12)) == 0
    assert reminded(db) == ["a@x.fr"]


def test_reminder_uses_the_events_own_day(db):
    # 23:30 UTC on the 15th is already the 16th in Paris: the 17th is "tomorrow" there.
    late = datetime(2026, 4, 15, 23, 30, tzinfo=UTC)
    event = make_event(starts_at=datetime(2026, 4, 17, 7, 0, tzinfo=UTC))
    make_registration(event, email="a@x.fr")
    assert queue_reminders(late) == 1


def test_cli_reminders_is_idempotent(db, runner):
    # Tomorrow in Paris, the event's zone, whatever the hour the suite runs at.
    tomorrow = (datetime.now(PARIS) + timedelta(days=1)).date()
    event = make_event(starts_at=datetime.combine(tomorrow, time(12), tzinfo=PARIS).astimezone(UTC))
    make_registration(event, email="a@x.fr")
    first = runner.invoke(args=["mail", "reminders"])
    second = runner.invoke(args=["mail", "reminders"])
    assert first.exit_code == second.exit_code == 0
    assert reminded(db) == ["a@x.fr"]
    assert "0 reminders queued" in second.output
