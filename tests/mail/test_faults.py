"""A relay that is down, slow (10 s a message) or refusing (451) changes nothing for
registrants: their requests answer at once, and the mail leaves once the relay takes it.

Real processes: the relay (aiosmtpd, tests/mail/relay.py) and the worker
(tests/worker/process.py); the registrations go through the app.
"""

import pytest
from sqlalchemy import select

from app.models import OutboxMessage
from tests.factories import make_event
from tests.registration.test_register import VALID
from tests.worker.fixtures import wait_until

PEOPLE = 3


def register(post_form, event) -> None:
    for n in range(PEOPLE):
        response = post_form(f"/e/{event.slug}", VALID | {"email": f"personne{n}@exemple.fr"})
        assert response.status_code == 303


def outbox(db) -> list[tuple[str, int, str | None]]:
    rows = db.session.execute(
        select(OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.last_error)
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def all_sent(db) -> list | None:
    rows = outbox(db)
    return rows if rows and all(status == "sent" for status, _a, _e in rows) else None


def start_worker(spawn_worker, server) -> None:
    # Retries after 1, 2, 4... seconds instead of minutes; the fallback poll is an hour.
    spawn_worker(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_RETRY_AFTER=1, INTERVAL=3600)


def test_a_slow_relay_does_not_slow_registrations(db, post_form, relay, spawn_worker):
    server = relay(delay=10)  # 10 s before it answers each final dot
    server.start()
    event = make_event()
    start_worker(spawn_worker, server)

    register(post_form, event)
    assert server.messages() == []  # every registrant had their answer before the relay took any

    wait_until(lambda: len(server.messages()) == PEOPLE, timeout=180)
    wait_until(lambda: all_sent(db))  # recorded right after the relay's answer


def test_a_relay_that_is_down_then_back(db, post_form, relay, spawn_worker):
    server = relay()
    event = make_event()
    start_worker(spawn_worker, server)

    register(post_form, event)
    tried = wait_until(lambda: all(attempts >= 1 for _s, attempts, _e in outbox(db)) and outbox(db))
    assert all(status == "pending" and "refused" in error for status, _a, error in tried)

    server.start()
    wait_until(lambda: len(server.messages()) == PEOPLE, timeout=120)
    wait_until(lambda: all_sent(db))
    assert len({m["Message-ID"] for m in server.messages()}) == PEOPLE


@pytest.mark.parametrize("refusals", [2])
def test_a_relay_refusing_451_is_tried_again(db, post_form, relay, spawn_worker, refusals):
    server = relay(refuse=refusals)  # "451 Try again later" to the first messages
    server.start()
    event = make_event()
    start_worker(spawn_worker, server)

    register(post_form, event)

    wait_until(lambda: len(server.messages()) == PEOPLE, timeout=120)
    rows = wait_until(lambda: all_sent(db))
    assert sum(attempts - 1 for _s, attempts, _e in rows) == refusals  # each refusal retried
