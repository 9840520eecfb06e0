"""Observability: JSON log lines with the request's id, and /metrics behind its token."""

import json
import logging
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.models import OutboxMessage, OutboxStatus, RegistrationStatus, WorkerHeartbeat, utcnow
from tests.factories import make_event, make_registration

TOKEN = "s3cret-metrics-token-of-the-test"


def log_lines(captured: str) -> list[dict]:
    """Parse every line written to standard error; each one must be a JSON object."""
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


@pytest.fixture
def logging_route(app):
    """A route that logs from inside the request, as any view or service may."""

    def shout():
        logging.getLogger("app.somewhere").warning("something to say", extra={"seats": 3})
        return "ok"

    app.add_url_rule("/_test/log", view_func=shout)


def test_every_line_of_a_request_carries_its_id(client, logging_route, capsys):
    capsys.readouterr()
    response = client.get("/_test/log", headers={"X-Request-ID": "lb-7f00:1a2b_3c.4"})

    assert response.headers["X-Request-ID"] == "lb-7f00:1a2b_3c.4"
    lines = log_lines(capsys.readouterr().err)
    said = next(line for line in lines if line["message"] == "something to say")
    assert said["request_id"] == "lb-7f00:1a2b_3c.4"
    assert said["level"] == "WARNING"
    assert said["logger"] == "app.somewhere"
    assert said["seats"] == 3
    done = next(line for line in lines if line["logger"] == "app.logs")
    assert done["request_id"] == "lb-7f00:1a2b_3c.4"
    assert (done["method"], done["route"], done["status"]) == ("GET", "/_test/log", 200)
    assert all(line.get("request_id") == "lb-7f00:1a2b_3c.4" for line in lines)


def test_the_request_line_names_the_route_not_the_secret_path(client, db, capsys):
    registration = make_registration(make_event())
    capsys.readouterr()
    client.get(f"/t/{registration.code}")

    captured = capsys.readouterr().err
    assert registration.code not in captured
    done = next(line for line in log_lines(captured) if line["logger"] == "app.logs")
    assert done["route"] == "/t/<code>"


@pytest.mark.parametrize(
    "given",
    [None, "", "x" * 129, "two words", "id;forged=1", "<script>", "é"],
)
def test_an_absent_or_odd_request_id_is_replaced(client, capsys, given):
    headers = {} if given is None else {"X-Request-ID": given}
    response = client.get("/healthz", headers=headers)

    made = response.headers["X-Request-ID"]
    assert made != given
    assert len(made) == 32 and int(made, 16) >= 0
    lines = log_lines(capsys.readouterr().err)
    assert lines and all(line["request_id"] == made for line in lines)


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


def test_a_line_outside_any_request_has_no_request_id(app, capsys):
    client = app.test_client()
    client.get("/healthz")
    capsys.readouterr()
    logging.getLogger("app.worker").info("outside", extra={"sent": 2})

    (line,) = log_lines(capsys.readouterr().err)
    assert "request_id" not in line
    assert (line["message"], line["sent"]) == ("outside", 2)


# --- /metrics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "],
)
def test_metrics_are_refused_without_the_right_token(app, client, authorization):
    app.config["METRICS_TOKEN"] = TOKEN
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/metrics", headers=headers)

    assert response.status_code == 404
    assert "accueil_" not in response.text


@pytest.mark.parametrize("configured", [None, ""])
def test_metrics_are_closed_when_no_token_is_configured(app, client, configured):
    app.config["METRICS_TOKEN"] = configured
    for authorization in ("Bearer ", "Bearer None", f"Bearer {configured}"):
        assert client.get("/metrics", headers={"Authorization": authorization}).status_code == 404


def scrape(client) -> dict:
    """Fetch /metrics with the token and parse it as Prometheus would."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def queue_message(number: int, status: str, age: timedelta) -> None:
    from app.extensions import db

    db.session.add(
        OutboxMessage(
            message_id=f"<metrics-{number}@accueil.test>",
            kind="confirmation",
            recipient=f"person{number}@numerique.gouv.fr",
            subject="Inscription",
            body_text="texte",
            body_html="<p>texte</p>",
            status=status,
            created_at=utcnow() - age,
        )
    )
    db.session.commit()


def test_metrics_count_what_the_database_holds(app, client, db):
    app.config["METRICS_TOKEN"] = TOKEN
    event, other = make_event(), make_event(slug="autre-reunion")
    for _ in range(3):
        make_registration(event)
    make_registration(other, checked_in_at=utcnow())
    for position in (1, 2):
        make_registration(event, status=RegistrationStatus.WAITLISTED, waitlist_position=position)
    make_registration(other, status=RegistrationStatus.CANCELLED, cancelled_at=utcnow())
    queue_message(1, OutboxStatus.PENDING, timedelta(minutes=10))
    queue_message(2, OutboxStatus.PENDING, timedelta(seconds=5))
    queue_message(3, OutboxStatus.SENT, timedelta(hours=2))
    queue_message(4, OutboxStatus.FAILED, timedelta(hours=3))
    db.session.add(WorkerHeartbeat(node="node-a", beat_at=utcnow() - timedelta(seconds=30), pid=1))
    db.session.add(WorkerHeartbeat(node="node-b", beat_at=utcnow() - timedelta(hours=1), pid=2))
    db.session.commit()

    samples = scrape(client)

    def value(name, **labels):
        return samples[(name, tuple(sorted(labels.items())))]

    assert value("accueil_registrations", status="confirmed") == 4
    assert value("accueil_registrations", status="waitlisted") == 2
    assert value("accueil_registrations", status="cancelled") == 1
    assert value("accueil_checkins") == 1
    assert value("accueil_outbox_pending") == 2
    assert value("accueil_outbox_failed") == 1
    # Ten minutes, give or take the time the scrape took.
    assert 600 <= value("accueil_outbox_oldest_pending_age_seconds") < 660
    assert 30 <= value("accueil_worker_heartbeat_age_seconds", node="node-a") < 90
    assert 3600 <= value("accueil_worker_heartbeat_age_seconds", node="node-b") < 3660


def test_metrics_of_an_empty_site_are_zeros(app, client, db):
    app.config["METRICS_TOKEN"] = TOKEN
    samples = scrape(client)

    assert samples[("accueil_outbox_pending", ())] == 0
    assert samples[("accueil_outbox_oldest_pending_age_seconds", ())] == 0
    for status in ("confirmed", "waitlisted", "cancelled"):
        assert samples[("accueil_registrations", (("status", status),))] == 0
    assert not any(name == "accueil_worker_heartbeat_age_seconds" for name, _ in samples)
