import email
from email import policy
from pathlib import Path

from sqlalchemy import select

from app.mail import services as mail
from app.models import OutboxMessage
from tests.factories import make_event, make_registration


def test_file_transport_writes_a_multipart_message_with_encoded_headers(app, db):
    app.config["MAIL_SUPPRESS_SEND"] = False
    event = make_event(title="Réunion « IA » à Ségur")
    registration = make_registration(event, given_name="Zoé", family_name="Łukasiewicz")
    message = mail.queue("confirmation", registration)
    db.session.commit()
    mail.deliver_after_commit([message])

    stored = db.session.scalars(select(OutboxMessage)).one()
    assert stored.status == "sent" and stored.attempts == 1 and stored.sent_at is not None
    files = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert b"=?utf-8?" in raw  # RFC 2047 encoded subject
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Inscription confirmée : Réunion « IA » à Ségur"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"] == stored.message_id
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert "Zoé Łukasiewicz" in text and "Zoé Łukasiewicz" in html
    assert f"/t/{registration.code}" in text


def test_unreachable_smtp_keeps_the_message_queued(app, db):
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    registration = make_registration(make_event())
    message = mail.queue("confirmation", registration)
    db.session.commit()
    mail.deliver_after_commit([message])
    stored = db.session.scalars(select(OutboxMessage)).one()
    assert stored.status == "pending"
    assert stored.attempts == 1 and stored.last_error
    assert stored.next_attempt_at > stored.created_at
