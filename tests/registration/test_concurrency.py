"""Bursts over real HTTP against gunicorn workers: seats never overbook, the line is exact.

Each burst runs against real processes (4 gunicorn workers on PostgreSQL, 2 on
SQLite) with every request released at the same instant. The canary runs the
same burst with the seat lock switched off (a test-only setting) and must see
the race: otherwise these tests would prove nothing. It runs 8 workers, so that
many processes check the same last seat at once.
"""

from collections import Counter

import pytest
from sqlalchemy import select

from app.models import Registration
from tests.burst import Browser, burst, cancel_burst, register_burst, serve
from tests.factories import make_event

pytestmark = pytest.mark.concurrency

SEATS, APPLICANTS, CANCELLATIONS, CLIENTS = 100, 300, 50, 60
CANARY_WORKERS = 8


@pytest.fixture
def workers(db) -> int:
    return 4 if db.engine.dialect.name == "postgresql" else 2


def start_app(database_uri: str, workers: int, *, lock: bool):
    env = {"APP_ENV": "testing", "ACCUEIL_TEST_DISABLE_SEAT_LOCK": "" if lock else "1"}
    return serve("wsgi:app", database_uri, workers, env)


def rows(db, event) -> list[Registration]:
    db.session.rollback()
    db.session.expire_all()
    query = select(Registration).where(Registration.event_id == event.id)
    return list(db.session.scalars(query))


def line_of(registrations) -> list[Registration]:
    waiting = [r for r in registrations if r.status == "waitlisted"]
    return sorted(waiting, key=lambda r: r.waitlist_position)


def test_burst_never_overbooks_and_cancellations_promote_the_head(db, database_uri, workers):
    event = make_event(capacity=SEATS)
    process, url = start_app(database_uri, workers, lock=True)
    try:
        result, tickets, emails = register_burst(url, event.slug, APPLICANTS, CLIENTS)
        assert result.errors == []
        registrations = rows(db, event)
        statuses = Counter(r.status for r in registrations)
        assert statuses == {"confirmed": SEATS, "waitlisted": APPLICANTS - SEATS}
        assert Counter(r.email for r in registrations) == Counter(emails)  # each exactly once
        line = line_of(registrations)
        assert [r.waitlist_position for r in line] == list(range(1, APPLICANTS - SEATS + 1))

        confirmed = [r for r in registrations if r.status == "confirmed"]
        cancelled_ids = {r.id for r in confirmed[:CANCELLATIONS]}
        head_ids = {r.id for r in line[:CANCELLATIONS]}
        rest_ids = [r.id for r in line[CANCELLATIONS:]]
        links = [f"/m/{r.manage_secret}" for r in confirmed[:CANCELLATIONS]]
        cancelled = cancel_burst(url, links, CLIENTS)
        assert cancelled.errors == []
    finally:
        process.terminate()
        process.wait(10)

    after = {r.id: r for r in rows(db, event)}
    assert Counter(r.status for r in after.values()) == {
        "confirmed": SEATS,
        "waitlisted": APPLICANTS - SEATS - CANCELLATIONS,
        "cancelled": CANCELLATIONS,
    }
    assert {i for i, r in after.items() if r.status == "cancelled"} == cancelled_ids
    # Exactly the first fifty in line were promoted, and the rest moved up in order.
    assert all(after[i].status == "confirmed" for i in head_ids)
    assert [after[i].waitlist_position for i in rest_ids] == list(range(1, len(rest_ids) + 1))
    assert len(tickets) == APPLICANTS


def race_seen(registrations) -> bool:
    confirmed = sum(r.status == "confirmed" for r in registrations)
    positions = [r.waitlist_position for r in registrations if r.status == "waitlisted"]
    return confirmed > SEATS or sorted(positions) != list(range(1, len(positions) + 1))


def test_canary_without_the_lock_the_same_burst_breaks_the_rules(db, database_uri):
    """Without the seat lock the same burst must break the rules, or the tests prove nothing."""
    for attempt in range(3):
        event = make_event(capacity=SEATS, slug=f"canari-{attempt}")
        process, url = start_app(database_uri, CANARY_WORKERS, lock=False)
        try:
            register_burst(url, event.slug, APPLICANTS, CLIENTS)
        finally:
            process.terminate()
            process.wait(10)
        if race_seen(rows(db, event)):
            return
    pytest.fail("three bursts without the lock kept the rules: the race test cannot fail")


def test_concurrent_duplicates_resolve_to_one_registration(db, database_uri, workers):
    event = make_event(capacity=SEATS)
    process, url = start_app(database_uri, workers, lock=True)
    try:
        browsers = []
        for _ in range(20):
            browser = Browser(url)
            browsers.append((browser, browser.csrf_token(f"/e/{event.slug}")))
        form = {
            "given_name": "Double",
            "family_name": "Clic",
            "email": "double.clic@numerique.gouv.fr",
            "organisation": "DINUM",
            "job_title": "Agent",
        }
        calls = [
            lambda b=b, t=t: b.request("POST", f"/e/{event.slug}", {**form, "csrf_token": t})
            for b, t in browsers
        ]
        result = burst(calls, len(calls), ok=lambda r: r.status in (303, 409))
    finally:
        process.terminate()
        process.wait(10)
    assert result.errors == []
    assert sorted(r.status for r in result.responses) == [303] + [409] * 19
    assert all("déjà inscrite" in r.body for r in result.responses if r.status == 409)
    assert len(rows(db, event)) == 1
