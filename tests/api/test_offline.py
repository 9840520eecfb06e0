"""The door offline over HTTP: the tickets' copy a phone keeps, the batch it sends back."""

from datetime import UTC, datetime, timedelta

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from app.api import tokens
from app.checkin.offline import event_key, hashed
from app.models import CheckinConflict, Registration, Scan
from tests.factories import make_event, make_registration, make_staff


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def event(db):
    # Under way: started an hour ago, ends in an hour (scans have to fall on its day).
    return make_event(starts_at=now() - timedelta(hours=1), ends_at=now() + timedelta(hours=1))


@pytest.fixture
def bearer(db):
    make_staff("checkin", email="porte@numerique.gouv.fr")
    _, token = tokens.create_token("porte@numerique.gouv.fr")
    return {"Authorization": f"Bearer {token}", "X-Device": "porte-test"}


def send(client, event, scans, headers):
    url = f"/api/v1/events/{event.slug}/checkins/offline"
    return client.post(url, json={"scans": scans}, headers=headers)


def scan(registration, when: datetime, nonce: str = "n1") -> dict:
    return {"nonce": nonce, "id": registration.id, "scanned_at": when.isoformat()}


def test_copy_holds_hashes_never_codes(client, event, bearer, app):
    zoe = make_registration(event, given_name="Zoé", email="zoe@numerique.gouv.fr")
    make_registration(make_event(title="Autre"))
    answer = client.get(f"/api/v1/events/{event.slug}/door/tickets", headers=bearer)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["full"] is True and body["total"] == 1
    (ticket,) = body["tickets"]
    assert set(ticket) == {
        "id",
        "keys",
        "given_name",
        "family_name",
        "organisation",
        "status",
        "checked_in_at",
    }
    with app.app_context():
        key = event_key(event)
    assert body["key"] == key
    assert ticket["keys"] == [hashed(key, "code", zoe.code), hashed(key, "ref", zoe.reference)]
    assert zoe.code not in answer.get_data(as_text=True)
    assert "zoe@numerique.gouv.fr" not in answer.get_data(as_text=True)

    # The delta since the cursor: nothing new, then the ticket once it changes.
    cursor = body["cursor"]
    later = client.get(
        f"/api/v1/events/{event.slug}/door/tickets", query_string={"since": cursor}, headers=bearer
    ).get_json()
    assert later["full"] is False and later["total"] == 1
    bad = client.get(
        f"/api/v1/events/{event.slug}/door/tickets", query_string={"since": "hier"}, headers=bearer
    )
    assert (bad.status_code, bad.get_json()["status"]) == (400, "bad_cursor")


def test_copy_is_refused_once_the_event_is_over(client, db, bearer):
    over = make_event(starts_at=now() - timedelta(hours=3), ends_at=now() - timedelta(hours=1))
    answer = client.get(f"/api/v1/events/{over.slug}/door/tickets", headers=bearer)
    assert (answer.status_code, answer.get_json()["status"]) == (410, "event_over")


def test_copy_needs_the_door_permission(client, event):
    answer = client.get(f"/api/v1/events/{event.slug}/door/tickets")
    assert answer.status_code == 401


def test_batch_keeps_the_offline_times(client, db, event, bearer):
    first, second = make_registration(event), make_registration(event)
    at = now() - timedelta(minutes=5)
    answer = send(client, event, [scan(first, at, "a"), scan(second, at, "b")], bearer)
    assert answer.status_code == 200
    assert [s["status"] for s in answer.get_json()["scans"]] == ["checked_in", "checked_in"]
    db.session.expire_all()
    assert db.session.get(Registration, first.id).checked_in_at == at
    # The same batch again (the phone did not hear back): the same answer, nothing added.
    again = send(client, event, [scan(first, at, "a"), scan(second, at, "b")], bearer)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 2


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("unknown", 422, "unknown_ticket"),
        ("other_event", 422, "other_event"),
        ("future", 422, "time_in_future"),
        ("day_before", 422, "time_outside_event"),
        ("nonce_reused", 409, "nonce_reused"),
        ("no_time_zone", 422, "malformed"),
        ("no_nonce", 422, "malformed"),
    ],
)
def test_forged_batch_changes_nothing(client, db, event, bearer, case, status, code):
    good, target = make_registration(event), make_registration(event)
    other = make_registration(make_event(title="Autre"))
    at = now() - timedelta(minutes=5)
    if case == "nonce_reused":
        assert send(client, event, [scan(target, at, "used")], bearer).status_code == 200
    forged = {
        "unknown": {"nonce": "x", "id": 999_999, "scanned_at": at.isoformat()},
        "other_event": scan(other, at, "x"),
        "future": scan(target, now() + timedelta(hours=1), "x"),
        "day_before": scan(target, at - timedelta(days=1), "x"),
        "nonce_reused": scan(good, at, "used"),
        "no_time_zone": {"nonce": "x", "id": target.id, "scanned_at": "2026-12-03T10:00:00"},
        "no_nonce": {"id": target.id, "scanned_at": at.isoformat()},
    }[case]
    scans_before = db.session.scalar(select(func.count()).select_from(Scan))
    answer = send(client, event, [scan(good, at, "fine"), forged], bearer)
    assert answer.status_code == status
    assert answer.get_json()["status"] == code
    assert answer.get_json()["index"] == 1
    db.session.expire_all()
    assert db.session.get(Registration, good.id).checked_in_at is None
    assert db.session.scalar(select(func.count()).select_from(Scan)) == scans_before


def test_conflict_is_recorded_and_marked(client, db, event, bearer, staff):
    ticket = make_registration(event)
    online = client.post(
        f"/api/v1/events/{event.slug}/checkins", json={"code": ticket.code}, headers=bearer
    )
    assert online.status_code == 200
    # Another phone, offline, had let the same person in two minutes earlier: it wins.
    earlier = now() - timedelta(minutes=2)
    answer = send(client, event, [scan(ticket, earlier, "offline-1")], bearer).get_json()
    (synced,) = answer["scans"]
    assert synced["status"] == "checked_in"
    assert synced["conflict"]["first"]["at"] == earlier.isoformat()
    assert synced["conflict"]["first"]["device"].startswith("porte-test")
    db.session.expire_all()
    assert db.session.get(Registration, ticket.id).checked_in_at == earlier
    assert db.session.scalar(select(func.count()).select_from(CheckinConflict)) == 1

    viewer = make_staff("viewer", email="lecture@numerique.gouv.fr")
    _, token = tokens.create_token(viewer.email)
    rows = client.get(
        f"/api/v1/events/{event.slug}/registrations",
        headers={"Authorization": f"Bearer {token}"},
    ).get_json()["registrations"]
    assert [row["conflict"] for row in rows] == [True]


def test_openapi_describes_the_offline_door(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    batch = document["paths"]["/events/{slug}/checkins/offline"]["post"]
    assert {"200", "409", "422"} <= set(batch["responses"])
    assert "/events/{slug}/door/tickets" in document["paths"]
