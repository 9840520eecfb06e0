"""The scanner API over HTTP: authentication, statuses, retries, and the OpenAPI document."""

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from app.api import tokens
from app.models import Scan
from app.tickets.qr import qr_png
from tests.conftest import csrf_token
from tests.factories import log_in, make_event, make_registration, make_staff


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def bearer(db):
    make_staff("checkin", email="scanner@numerique.gouv.fr")
    _, token = tokens.create_token("scanner@numerique.gouv.fr")
    return {"Authorization": f"Bearer {token}"}


def post(client, event, body, headers):
    return client.post(f"/api/v1/events/{event.slug}/checkins", json=body, headers=headers)


def test_statuses(client, event, bearer):
    other = make_registration(make_event(title="Autre"))
    confirmed = make_registration(event)
    cases = [
        ({"code": f"http://accueil.test/t/{confirmed.code}"}, 200, "checked_in"),
        ({"code": confirmed.code}, 409, "already_checked_in"),
        ({"code": make_registration(event, status="cancelled").code}, 422, "cancelled"),
        (
            {"code": make_registration(event, status="waitlisted", waitlist_position=1).code},
            422,
            "waitlisted",
        ),
        ({"code": other.code}, 422, "other_event"),
        ({"code": "B" * 24}, 404, "unknown"),
        ({"code": "n'importe quoi"}, 422, "malformed"),
        ({"code": 42}, 422, "malformed"),
        ({}, 422, "malformed"),
        ({"code": "x", "nonce": "x" * 65}, 422, "malformed"),
    ]
    for body, status, word in cases:
        response = post(client, event, body, bearer)
        assert (response.status_code, response.json["status"]) == (status, word), body
    already = post(client, event, {"code": confirmed.code}, bearer).json
    assert already["by"] == "scanner@numerique.gouv.fr" and already["checked_in_at"]
    assert already["registration"]["family_name"] == confirmed.family_name
    other_json = post(client, event, {"code": other.code}, bearer).json
    assert other_json["registration"]["event_title"] == "Autre"
    assert "email" not in other_json["registration"]


def test_garbage_body_is_refused_cleanly(client, event, bearer):
    for data in [b"\xff\xfe", b"[1,2", b"null", b'"text"']:
        response = client.post(
            f"/api/v1/events/{event.slug}/checkins",
            data=data,
            headers={**bearer, "Content-Type": "application/json"},
        )
        assert response.status_code == 422


def test_nonce_makes_a_retry_idempotent(client, db, event, bearer):
    code = make_registration(event).code
    first = post(client, event, {"code": code, "nonce": "abc"}, bearer)
    retry = post(client, event, {"code": code, "nonce": "abc"}, bearer)
    assert first.status_code == retry.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 1
    assert post(client, event, {"code": code, "nonce": "def"}, bearer).status_code == 409


def test_who_may_scan(client, db, event):
    code = make_registration(event).code
    assert post(client, event, {"code": code}, {}).status_code == 401
    assert (
        post(client, event, {"code": code}, {"Authorization": "Bearer acc_faux"}).status_code == 401
    )
    viewer = make_staff("viewer")
    log_in(client, viewer)
    token = csrf_token(client.get("/staff/login").text)
    assert post(client, event, {"code": code}, {"X-CSRFToken": token}).status_code == 403
    door = make_staff("checkin")
    log_in(client, door)
    assert post(client, event, {"code": code}, {}).status_code == 400  # no CSRF header
    assert post(client, event, {"code": code}, {"X-CSRFToken": token}).status_code == 200


def test_revoked_token_stops_working(client, event, bearer):
    token = bearer["Authorization"].split()[1]
    assert tokens.revoke_token(token[:12]) == 1
    assert post(client, event, {"code": "A" * 24}, bearer).status_code == 401


def test_tokens_are_stored_hashed(db, bearer):
    from app.models import ApiToken

    token = bearer["Authorization"].split()[1]
    stored = db.session.scalars(select(ApiToken)).one()
    assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_cli_tokens_create_prints_the_token_last(runner, db, client, event):
    make_staff("checkin", email="porte@numerique.gouv.fr")
    result = runner.invoke(args=["tokens", "create", "--email", "porte@numerique.gouv.fr"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("acc_")
    response = post(client, event, {"code": "A" * 24}, {"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    unknown = runner.invoke(args=["tokens", "create", "--email", "personne@x.fr"])
    assert unknown.exit_code == 1


def test_undo_counters_search_and_decode(client, event, bearer):
    registration = make_registration(event, family_name="Lefèvre")
    post(client, event, {"code": registration.code}, bearer)
    base = f"/api/v1/events/{event.slug}"
    assert client.get(f"{base}/door", headers=bearer).json == {"checked_in": 1, "confirmed": 1}
    found = client.get(f"{base}/search?q=lefevre", headers=bearer).json["results"]
    assert [r["id"] for r in found] == [registration.id]
    assert set(found[0]) == {
        "id",
        "given_name",
        "family_name",
        "organisation",
        "status",
        "checked_in_at",
    }  # the door's fields: no code, no e-mail
    assert client.post(f"{base}/checkins/undo", headers=bearer).json["status"] == "undone"
    assert client.post(f"{base}/checkins/undo", headers=bearer).status_code == 409
    url = f"http://accueil.test/t/{registration.code}"
    decoded = client.post(f"{base}/decode", data=qr_png(url), headers=bearer)
    assert decoded.json == {"status": "decoded", "text": url}
    garbage = client.post(f"{base}/decode", data=b"not an image", headers=bearer)
    assert garbage.status_code == 422 and garbage.json["status"] == "bad_image"


def test_one_tap_admit_by_id_and_its_refusals(client, event, bearer):
    registration = make_registration(event)
    other = make_registration(make_event())
    admitted = post(client, event, {"id": registration.id}, bearer)
    assert admitted.status_code == 200 and admitted.json["registration"]["id"] == registration.id
    assert "code" not in admitted.json["registration"]
    assert post(client, event, {"id": registration.id}, bearer).status_code == 409
    assert post(client, event, {"id": other.id}, bearer).json["status"] == "other_event"
    assert post(client, event, {"id": 2**40}, bearer).json["status"] == "malformed"
    assert post(client, event, {"id": True}, bearer).json["status"] == "malformed"
    assert post(client, event, {"id": 999_999}, bearer).status_code == 404


def test_openapi_document_is_valid_and_lists_the_routes(client, db):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert "/events/{slug}/checkins" in document["paths"]
    assert "/events/{slug}/registrations" in document["paths"]


def test_hostile_scans_and_pages_never_give_a_500(client, event, bearer):
    for body in [
        {"code": "abc\x00def"},
        {"code": "http://accueil.test/t/\x00" + "A" * 24},
        {"code": "A" * 24, "nonce": "n\x00"},
        {"code": "é" * 3000},
    ]:
        assert post(client, event, body, bearer).status_code in (404, 422), body
    base = f"/api/v1/events/{event.slug}/registrations"
    make_staff("viewer", email="lecture@numerique.gouv.fr")
    _, token = tokens.create_token("lecture@numerique.gouv.fr")
    reader = {"Authorization": f"Bearer {token}"}
    for query in ["after=99999999999999999999", "after=²", "limit=١٠", "after=-1", "status=%00"]:
        assert client.get(f"{base}?{query}", headers=reader).status_code == 400, query


def test_the_code_may_be_the_short_reference_in_any_case(client, event, bearer):
    registration = make_registration(event)
    reference = registration.reference
    lower_plain = post(client, event, {"code": reference.lower()}, bearer)
    assert (lower_plain.status_code, lower_plain.json["status"]) == (200, "checked_in")
    assert lower_plain.json["registration"]["id"] == registration.id
    shown = f"{reference[:4]}-{reference[4:]}"
    assert post(client, event, {"code": shown}, bearer).json["status"] == "already_checked_in"
    assert post(client, event, {"code": "K7MC-4XR"}, bearer).json["status"] == "malformed"


def test_registration_rows_carry_the_reference(client, db, event):
    registration = make_registration(event)
    log_in(client, make_staff("viewer"))
    rows = client.get(f"/api/v1/events/{event.slug}/registrations").json["registrations"]
    assert rows[0]["reference"] == registration.reference


def test_undo_by_id_undoes_only_the_person_the_door_named(client, event, bearer):
    first, second = make_registration(event), make_registration(event)
    post(client, event, {"id": first.id}, bearer)
    post(client, event, {"id": second.id}, bearer)
    undo = f"/api/v1/events/{event.slug}/checkins/undo"
    stale = client.post(undo, json={"id": first.id}, headers=bearer)
    assert (stale.status_code, stale.json["status"]) == (409, "nothing_to_undo")
    done = client.post(undo, json={"id": second.id}, headers=bearer)
    assert done.status_code == 200 and done.json["registration"]["id"] == second.id
    counts = client.get(f"/api/v1/events/{event.slug}/door", headers=bearer).json
    assert counts == {"checked_in": 1, "confirmed": 2}
