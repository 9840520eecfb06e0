"""End to end through a real SMTP server process: what a registrant's mail client receives."""

import io
from email import policy
from email.parser import BytesParser

import zxingcpp
from PIL import Image
from sqlalchemy import select

from app.i18n import french_typography as fr
from app.mail import sender
from app.models import OutboxMessage
from app.registration import services as registrations
from tests.calendar.parsers import read
from tests.factories import make_event
from tests.registration.test_register import VALID

ACCENTED = {
    **VALID,
    "given_name": "Zoé",
    "family_name": "Łukasiewicz-Nguyễn",
    "organisation": "Ministère de l'Économie",
}


def parts(message) -> list[tuple[str, str | None]]:
    """List the MIME tree as (content type, filename or method), depth first."""
    found = []
    for part in message.walk():
        extra = part.get_filename() or part.get_param("method")
        found.append((part.get_content_type(), extra))
    return found


def test_registration_mail_arrives_with_invite_and_qr(client, db, smtp_app, smtp_server, post_form):
    smtp_server.start()
    event = make_event(title="Réunion d'information « IA » à Ségur")
    response = post_form(f"/e/{event.slug}", ACCENTED)
    assert response.status_code == 303
    code = response.headers["Location"].rsplit("/", 1)[1]
    assert smtp_server.messages() == []  # the request sends nothing: the worker does
    assert sender.deliver_pending() == (1, 0)

    [received] = smtp_server.messages()
    assert (
        received["Subject"]
        == fr("Inscription confirmée : ") + "Réunion d'information « IA » à Ségur"
    )
    assert received["To"] == "elodie.lefevre@finances.gouv.fr"
    assert received["Auto-Submitted"] == "auto-generated"
    # A reply reaches the organisers, not the robot that sent it.
    assert received["Reply-To"] == "DINSIC et DITP <equipe-ami-ia@data.gouv.fr>"
    assert received["Message-ID"] == db.session.scalar(select(OutboxMessage.message_id))
    assert parts(received) == [
        ("multipart/mixed", None),
        ("multipart/alternative", None),
        ("text/plain", None),
        ("multipart/related", None),
        ("text/html", None),
        ("image/png", None),
        ("text/calendar", "REQUEST"),
        ("application/ics", "invite.ics"),
        ("image/png", "billet-qr.png"),
    ]
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Zoé Łukasiewicz-Nguyễn" in body
        secret = registrations.get_registration(code).manage_secret
        assert f"http://accueil.test/m/{secret}" in body
        assert "equipe-ami-ia@data.gouv.fr" in body

    calendar_part = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_content_charset() == "utf-8"
    for parser in ("icalendar", "vobject"):
        [vevent] = read(parser, calendar_part.get_payload(decode=True)).events
        assert vevent.sequence == 0
        assert vevent.attendees[0].params["cn"] == "Zoé Łukasiewicz-Nguyễn"
    assert code.encode() not in calendar_part.get_payload(decode=True)

    related = next(p for p in received.walk() if p.get_content_type() == "multipart/related")
    assert related.get_param("type") == "text/html"  # RFC 2387
    inline = next(p for p in received.walk() if p["Content-ID"])
    assert f'src="cid:{inline["Content-ID"][1:-1]}"' in html
    attached = next(p for p in received.walk() if p.get_filename() == "billet-qr.png")
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(attached.get_content())))
    assert decoded.text == f"http://accueil.test/t/{code}"


def test_waitlist_mail_has_no_invite_nor_qr(client, db, smtp_app, smtp_server, post_form):
    smtp_server.start()
    event = make_event(capacity=0)
    assert post_form(f"/e/{event.slug}", ACCENTED).status_code == 303
    sender.deliver_pending()
    [received] = smtp_server.messages()
    assert received["Subject"].startswith("Liste d'attente")
    assert [t for t, _ in parts(received)] == ["multipart/alternative", "text/plain", "text/html"]
    assert "en position 1" in received.get_body(("plain",)).get_content()


def test_smtp_down_keeps_the_message_then_delivers_it_once(
    client, db, smtp_app, smtp_server, post_form, runner
):
    event = make_event()
    response = post_form(f"/e/{event.slug}", ACCENTED)
    assert response.status_code == 303  # registration succeeds while SMTP is down
    assert sender.deliver_pending(honour_backoff=True) == (0, 1)  # the worker's round fails
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == "pending" and message.attempts == 1
    assert "Connection refused" in message.last_error or "Errno" in message.last_error
    assert message.next_attempt_at > message.created_at

    smtp_server.start()
    result = runner.invoke(args=["mail", "send"])  # whatever its backoff
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    again = runner.invoke(args=["mail", "send"])
    assert "0 sent, 0 failed" in again.output
    received = smtp_server.messages()
    assert len(received) == 1
    assert received[0]["Message-ID"] == message.message_id
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "sent"


def test_the_message_is_7_bit_whatever_the_language(db):
    """No relay needs 8BITMIME: accents travel quoted-printable or base64, and come back."""
    from app.database import run_in_transaction
    from app.mail import rendering
    from app.mail import services as mail
    from app.mail.transports import build_email
    from tests.factories import make_registration

    registration = make_registration(
        make_event(title="Réunion « IA » à Ségur"), given_name="Zoé", family_name="Nguyễn"
    )
    message = run_in_transaction(lambda: mail.queue("confirmation", registration))
    rendering.render_if_needed(message)  # as the sender does before the first attempt
    raw = bytes(build_email(message, "Accueil <ne-pas-repondre@accueil.localhost>"))
    assert max(raw) < 128
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert "Zoé Nguyễn" in parsed.get_body(("plain",)).get_content()
    calendar = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert "Ségur" in calendar.get_content()
