"""Offline scans brought back: the first in time wins, the day's bounds, conflicts."""

from datetime import UTC, datetime, timedelta

import pytest

from app.checkin.sync import OfflineScan, SyncRefused, conflicts, event_day, sync_offline
from app.models import ScanResult
from tests.factories import make_event, make_registration, make_staff

#: 16 April 2019, 14:00 in Paris (12:00 UTC): the meeting of the announcement.
START = datetime(2019, 4, 16, 12, 0, tzinfo=UTC)


@pytest.fixture
def event(db):
    return make_event(starts_at=START, ends_at=START + timedelta(hours=2))


def test_event_day_is_the_local_day(event):
    start, end = event_day(event)
    assert start == datetime(2019, 4, 15, 22, 0, tzinfo=UTC)
    assert end == datetime(2019, 4, 16, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("scanned_at", "code"),
    [
        (START + timedelta(hours=1, minutes=3), "time_in_future"),
        (START - timedelta(hours=15), "time_outside_event"),
        (START - timedelta(hours=5), "before_door_opened"),
    ],
)
def test_times_refused(event, scanned_at, code):
    ticket = make_registration(event)
    scans = [OfflineScan(nonce="n", scanned_at=scanned_at, registration_id=ticket.id)]
    with pytest.raises(SyncRefused) as refused:
        sync_offline(event, scans, actor=None, now=START + timedelta(hours=1))
    assert (refused.value.code, refused.value.index) == (code, 0)


def test_time_after_the_event_s_day_refused(event):
    ticket = make_registration(event)
    late = START + timedelta(hours=10, minutes=1)  # 00:01 in Paris, the next day
    scans = [OfflineScan(nonce="n", scanned_at=late, registration_id=ticket.id)]
    with pytest.raises(SyncRefused) as refused:
        sync_offline(event, scans, actor=None, now=START + timedelta(days=1))
    assert refused.value.code == "time_outside_event"


def test_two_phones_first_in_time_wins(event, db):
    ticket = make_registration(event)
    one = make_staff("checkin", email="porte1@numerique.gouv.fr")
    two = make_staff("checkin", email="porte2@numerique.gouv.fr")
    later = START - timedelta(minutes=5)
    earlier = START - timedelta(minutes=20)
    now = START + timedelta(minutes=30)
    (first,) = sync_offline(
        event,
        [OfflineScan("a", later, ticket.id)],
        actor=one,
        device="porte-1",
        now=now,
    )
    assert first.result == ScanResult.CHECKED_IN and first.conflict is None
    (second,) = sync_offline(
        event,
        [OfflineScan("b", earlier, ticket.id)],
        actor=two,
        device="porte-2",
        now=now,
    )
    assert second.result == ScanResult.CHECKED_IN
    db.session.refresh(ticket)
    assert ticket.checked_in_at == earlier and ticket.checked_in_by_id == two.id
    (conflict,) = conflicts(event)
    assert (conflict.first_scan.device, conflict.second_scan.device) == ("porte-2", "porte-1")
    assert ticket.has_conflict is True

    # A third phone, later still: already in, a second conflict.
    (third,) = sync_offline(
        event, [OfflineScan("c", START, ticket.id)], actor=one, device="porte-3", now=now
    )
    assert third.result == ScanResult.ALREADY_CHECKED_IN
    assert len(conflicts(event)) == 2


def test_cancelled_ticket_is_recorded_not_admitted(event, db):
    ticket = make_registration(event, status="cancelled")
    (synced,) = sync_offline(
        event,
        [OfflineScan("a", START, ticket.id)],
        actor=None,
        now=START + timedelta(minutes=1),
    )
    assert synced.result == ScanResult.CANCELLED
    db.session.refresh(ticket)
    assert ticket.checked_in_at is None


def test_online_scan_whose_answer_was_lost_is_the_same_scan(event, db):
    """The phone sent a scan online, heard nothing, queued it with the same nonce."""
    from app.checkin.services import check_in

    ticket = make_registration(event)
    check_in(event, ticket.code, actor=None, nonce="lost-answer")
    (synced,) = sync_offline(
        event,
        [OfflineScan("lost-answer", START - timedelta(minutes=1), ticket.id)],
        actor=None,
        now=START + timedelta(minutes=1),
    )
    assert synced.result == ScanResult.CHECKED_IN and synced.conflict is None
    assert conflicts(event) == []
