from datetime import UTC, date, datetime, timedelta

import pytest

from app.events import seed, services
from app.events.services import RegistrationState
from app.models import Event, EventStatus

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def event(**overrides) -> Event:
    values = {
        "starts_at": NOW + timedelta(days=10),
        "ends_at": NOW + timedelta(days=10, hours=2),
        "capacity": 10,
        "status": EventStatus.PUBLISHED,
        "registration_opens_at": None,
        "registration_closes_at": None,
    }
    values.update(overrides)
    return Event(**values)


@pytest.mark.parametrize(
    ("overrides", "confirmed", "expected"),
    [
        ({}, 0, RegistrationState.OPEN),
        ({}, 9, RegistrationState.OPEN),
        ({}, 10, RegistrationState.FULL),
        ({"capacity": 0}, 0, RegistrationState.FULL),
        ({"registration_opens_at": NOW + timedelta(minutes=1)}, 0, RegistrationState.NOT_YET_OPEN),
        ({"registration_opens_at": NOW}, 0, RegistrationState.OPEN),
        ({"registration_closes_at": NOW}, 0, RegistrationState.CLOSED),
        ({"starts_at": NOW - timedelta(minutes=5)}, 0, RegistrationState.CLOSED),
        ({"ends_at": NOW - timedelta(minutes=1)}, 0, RegistrationState.PAST),
        ({"status": EventStatus.CANCELLED}, 0, RegistrationState.CANCELLED),
    ],
)
def test_registration_state(overrides, confirmed, expected):
    assert services.registration_state(event(**overrides), confirmed, now=NOW) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 26), date(2027, 4, 16)),
        (date(2027, 1, 1), date(2027, 4, 16)),
        (date(2027, 4, 16), date(2027, 4, 16)),
        (date(2027, 4, 17), date(2028, 4, 16)),
    ],
)
def test_next_meeting_date(today, expected):
    assert seed.next_meeting_date(today) == expected


def test_seed_meeting_creates_the_announced_meeting_once(db):
    event, created = seed.seed_meeting(date(2027, 4, 16))
    assert created
    assert event.slug == "reunion-information-ami-ia-2027"
    # 14:00 in Paris in April (summer time) is 12:00 UTC.
    assert event.starts_at == datetime(2027, 4, 16, 12, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 4, 16, 14, 0, tzinfo=UTC)
    assert event.local_start.hour == 14
    assert event.timezone == "Europe/Paris"
    assert (event.street, event.postcode, event.city) == ("20 avenue de Ségur", "75007", "Paris")
    assert event.organiser_name == "DINSIC et DITP"
    assert event.organiser_email == "equipe-ami-ia@data.gouv.fr"
    assert event.capacity == 150
    assert event.status == EventStatus.PUBLISHED
    assert "DINSIC" in event.description

    again, created_again = seed.seed_meeting(date(2027, 4, 16), capacity=3)
    assert not created_again
    assert again.id == event.id and again.capacity == 150


def test_instants_come_back_aware_in_utc(db):
    event, _ = seed.seed_meeting(date(2027, 1, 15), slug="hiver")
    db.session.expire_all()
    reloaded = db.session.get(Event, event.id)
    # 14:00 in Paris in winter is 13:00 UTC.
    assert reloaded.starts_at == datetime(2027, 1, 15, 13, 0, tzinfo=UTC)
    assert reloaded.starts_at.utcoffset() == timedelta(0)
