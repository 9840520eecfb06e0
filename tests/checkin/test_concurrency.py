"""Twenty phones scan one ticket at the same instant: one gets in, nineteen hear "already".

Real processes (gunicorn workers) behind real HTTP; the canary switches the
conditional write off (a test-only setting) and must let the ticket in twice.
"""

import pytest
from sqlalchemy import func, select

from app.api import tokens
from app.models import Scan
from tests.burst import Browser, burst, serve
from tests.factories import make_event, make_registration, make_staff

pytestmark = pytest.mark.concurrency

SCANNERS = 20
#: The canary runs more processes and phones, so that reads and writes interleave often.
CANARY_WORKERS, CANARY_SCANNERS = 8, 40


def scan_burst(url, slug, code, token, nonces):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    calls = [
        lambda n=n: Browser(url).request_json(
            "POST", f"/api/v1/events/{slug}/checkins", {"code": code, "nonce": n}, headers
        )
        for n in nonces
    ]
    return burst(calls, len(calls), ok=lambda r: r.status in (200, 409))


def start(database_uri, *, guard: bool):
    env = {
        "APP_ENV": "testing",
        "ACCUEIL_TEST_DISABLE_CHECKIN_GUARD": "" if guard else "1",
        "ACCUEIL_TEST_DISABLE_SEAT_LOCK": "" if guard else "1",
    }
    return serve("wsgi:app", database_uri, 4 if guard else CANARY_WORKERS, env)


def test_one_ticket_scanned_by_twenty_phones_gets_in_once(db, database_uri):
    event = make_event()
    registration = make_registration(event)
    make_staff("checkin")
    _, token = tokens.create_token("checkin@numerique.gouv.fr")
    process, url = start(database_uri, guard=True)
    try:
        first = scan_burst(url, event.slug, registration.code, token, [f"n{i}" for i in range(20)])
        # The same twenty scans retried (same nonces): the same answers, no new record.
        retried = scan_burst(
            url, event.slug, registration.code, token, [f"n{i}" for i in range(20)]
        )
    finally:
        process.terminate()
        process.wait(10)
    assert first.errors == [] and retried.errors == []
    assert sorted(r.status for r in first.responses) == [200] + [409] * (SCANNERS - 1)
    assert [r.status for r in retried.responses] == [r.status for r in first.responses]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Scan)) == SCANNERS


def test_canary_without_the_conditional_write_lets_a_ticket_in_twice(db, database_uri):
    make_staff("checkin")
    _, token = tokens.create_token("checkin@numerique.gouv.fr")
    db.session.rollback()
    events = [make_event(slug=f"porte-{attempt}") for attempt in range(5)]
    tickets = [make_registration(event).code for event in events]
    process, url = start(database_uri, guard=False)
    try:
        for event, code in zip(events, tickets, strict=True):
            result = scan_burst(url, event.slug, code, token, [None] * CANARY_SCANNERS)
            if sum(r.status == 200 for r in result.responses if r) > 1:
                return
    finally:
        process.terminate()
        process.wait(10)
    pytest.fail("five bursts without the guard let each ticket in once: the test cannot fail")
