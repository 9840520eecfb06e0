"""A message to those who came, with each one's certificate, through the real SMTP path."""

from app.mail import sender
from app.models import OutboxStatus
from tests.conftest import csrf_token
from tests.exports.pdftools import pdftotext


def pdf_parts(message) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_content()
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    }


def test_each_person_who_came_gets_the_text_and_their_own_certificate(
    client, organiser, smtp_app, smtp_server, past_event, people, outbox
):
    smtp_server.start()
    token = csrf_token(client.get("/staff/events/reunion-passee/messages/new").text)
    data = {
        "csrf_token": token,
        "segment": "checked_in",
        "subject": "Merci de votre venue",
        "body": "Les supports sont en ligne.",
        "with_certificate": "y",
        "submission_key": "0" * 32,
    }

    assert client.post("/staff/events/reunion-passee/messages/send", data=data).status_code == 303

    assert sender.deliver_pending() == (2, 0)  # the worker's round, once woken by the commit
    received = {message["To"]: message for message in smtp_server.messages()}
    assert set(received) == {people["came"].email, people["came_en"].email}
    assert all(row.status == OutboxStatus.SENT for row in outbox("message_certificate"))
    for key, name in (("came", "Camille Lefèvre"), ("came_en", "Ada Byron")):
        message = received[people[key].email]
        assert message["Subject"] == "Merci de votre venue"
        assert "Les supports sont en ligne." in message.get_body(("plain",)).get_content()
        [(filename, data)] = pdf_parts(message).items()
        assert (
            filename == f"attestation-presence-reunion-passee-{past_event.local_start.date()}.pdf"
        )
        text = pdftotext(data)
        assert name in text and "Réunion d'information AMI IA" in text
    assert "Attestation de présence" in pdftotext(
        pdf_parts(received[people["came"].email]).popitem()[1]
    )
    assert "Certificate of attendance" in pdftotext(
        pdf_parts(received[people["came_en"].email]).popitem()[1]
    )
