"""Response headers by page type, errors that say what HTTP expects, links that a Host header
cannot bend."""

import pytest

from app import create_app
from app.api import tokens
from config import ProductionConfig
from tests.factories import log_in, make_event, make_registration, make_staff


@pytest.fixture
def pages(db):
    event = make_event()
    registration = make_registration(event)
    return event, registration


def test_private_pages_are_never_stored_and_public_ones_may_be(client, db, pages):
    event, registration = pages
    log_in(client, make_staff("admin"))
    private = [
        f"/t/{registration.code}?participant=1",
        f"/staff/events/{event.slug}/checkin/ticket/{registration.code}",
        f"/t/{registration.code}/invite.ics",
        f"/m/{registration.manage_secret}",
        "/staff/",
        f"/staff/events/{event.slug}/attendees",
        f"/api/v1/events/{event.slug}/registrations",
        f"/api/v1/events/{event.slug}/door",
    ]
    for path in private:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    assert client.get(f"/e/{event.slug}").headers.get("Cache-Control") != "no-store"


def test_only_the_door_may_use_the_camera(client, db, pages):
    event, _registration = pages
    log_in(client, make_staff("checkin"))
    door = client.get(f"/staff/events/{event.slug}/checkin")
    assert "camera=(self)" in door.headers["Permissions-Policy"]
    for path in ("/", f"/e/{event.slug}", "/staff/"):
        assert "camera=()" in client.get(path).headers["Permissions-Policy"], path


def test_hsts_in_production_only(client, db, monkeypatch, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    for name, value in {
        "SECRET_KEY": "s" * 40,
        "BASE_URL": "https://accueil.example.gouv.fr",
        "DATABASE_URL": "sqlite://",
        "MAIL_SUPPRESS_SEND": "1",
    }.items():
        monkeypatch.setenv(name, value)
    production = create_app(ProductionConfig, instance_path=str(tmp_path))
    hsts = production.test_client().get("/healthz").headers["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 3600


def test_405_carries_allow_and_api_errors_are_json(client, db, pages):
    event, _registration = pages
    page = client.delete(f"/e/{event.slug}")
    assert page.status_code == 405 and {"GET", "POST"} <= set(page.headers["Allow"].split(", "))
    api = client.put(f"/api/v1/events/{event.slug}/checkins")
    assert api.status_code == 405 and api.is_json and api.json["status"] == "method_not_allowed"
    assert "POST" in api.headers["Allow"]
    missing = client.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.json["status"] == "not_found"


def test_a_host_header_does_not_change_api_links(client, db, pages):
    event, _registration = pages
    for n in range(3):
        make_registration(event, email=f"page{n}@numerique.gouv.fr")
    viewer = make_staff("viewer")
    _record, token = tokens.create_token(viewer.email)
    headers = {"Host": "evil.test", "Authorization": f"Bearer {token}"}
    response = client.get(f"/api/v1/events/{event.slug}/registrations?limit=2", headers=headers)
    assert response.json["next"].startswith(f"http://accueil.test/api/v1/events/{event.slug}/")
