"""The outbox: messages written with their change, claimed once, retried, never lost."""

import email
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.database import run_in_transaction
from app.i18n import french_typography as fr
from app.mail import sender
from app.mail import services as mail
from app.models import OutboxMessage, utcnow
from app.worker import loop
from tests.factories import make_event, make_registration


def test_file_transport_writes_an_eml_with_encoded_headers(app, db, outbox):
    app.config["MAIL_SUPPRESS_SEND"] = False
    event = make_event(title="Réunion « IA » à Ségur")
    registration = make_registration(event, given_name="Zoé", family_name="Łukasiewicz")
    run_in_transaction(lambda: mail.queue("confirmation", registration))
    assert [m.status for m in outbox()] == ["pending"]  # the request does not send

    assert sender.deliver_pending() == (1, 0)
    [stored] = outbox()
    assert stored.status == "sent" and stored.attempts == 1 and stored.sent_at is not None
    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    raw = path.read_bytes()
    assert b"=?utf-8?" in raw.split(b"\nFrom:")[0]  # RFC 2047 encoded subject
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == fr("Inscription confirmée : ") + "Réunion « IA » à Ségur"
    assert parsed["Message-ID"] == stored.message_id
    assert "Zoé Łukasiewicz" in parsed.get_body(("plain",)).get_content()


def test_a_rolled_back_change_leaves_nothing_in_the_outbox(app, db, outbox):
    registration = make_registration(make_event())

    def unit():
        mail.queue("confirmation", registration)
        raise RuntimeError("the change fails after queueing its message")

    with pytest.raises(RuntimeError):
        run_in_transaction(unit)
    assert outbox() == []


def test_unreachable_smtp_records_the_error_and_backs_off(app, db, outbox):
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    message = mail.queue("confirmation", make_registration(make_event()))
    db.session.commit()
    assert sender.send_one(message.id) is False
    assert sender.send_one(message.id) is False
    [stored] = outbox()
    assert stored.status == "pending" and stored.attempts == 2
    assert stored.last_error.startswith("ConnectionRefusedError")
    assert stored.next_attempt_at > utcnow() + timedelta(seconds=90)  # 2 minutes after 2 tries
    assert stored.claimed_until is None
    # A watcher honours the backoff; `flask mail send` does not.
    assert sender.due_messages(honour_backoff=True) == []
    assert sender.due_messages(honour_backoff=False) == [stored.id]


def test_a_message_fails_for_good_after_max_attempts(app, db, outbox):
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    message = mail.queue("confirmation", make_registration(make_event()))
    message.attempts = sender.MAX_ATTEMPTS - 1
    db.session.commit()
    sender.send_one(message.id)
    assert outbox()[0].status == "failed"


def test_a_claimed_message_is_not_sent_twice_until_the_claim_lapses(app, db, outbox):
    app.config["MAIL_SUPPRESS_SEND"] = False
    message = mail.queue("confirmation", make_registration(make_event()))
    db.session.commit()
    # Another sender claimed it and crashed before recording anything.
    assert sender._claim(message.id, utcnow())
    assert sender.send_one(message.id) is None
    assert sender.deliver_pending() == (0, 0)
    # Once the claim lapses, the message goes out, with the same Message-ID.
    later = utcnow() + sender.CLAIM_LEASE + timedelta(seconds=1)
    assert sender._claim(message.id, later)
    [stored] = outbox()
    assert stored.claimed_until is not None


def test_a_worker_round_sends_due_messages(app, db, outbox):
    app.config["MAIL_SUPPRESS_SEND"] = False
    mail.queue("confirmation", make_registration(make_event()))
    db.session.commit()
    loop.run(interval=0, rounds=1)
    assert [m.status for m in outbox()] == ["sent"]
    assert len(list((Path(app.instance_path) / "outbox").glob("*.eml"))) == 1


def test_suppressed_mail_stays_in_the_outbox(app, db):
    registration = make_registration(make_event())
    run_in_transaction(lambda: mail.queue("confirmation", registration))
    assert db.session.scalar(select(func.count()).where(OutboxMessage.status == "pending")) == 1
