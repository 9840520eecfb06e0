"""What each message says: the date, time and place, the reference, only what is true for its
recipient (a person in line holds no seat), in an HTML part that reads as text without styles."""

from html.parser import HTMLParser

import pytest

from app.database import run_in_transaction
from app.i18n import french_typography as fr
from app.mail import services as mail
from app.models import EventStatus
from tests.factories import make_event, make_registration, outbox_messages

KINDS = [
    ("confirmation", "confirmed"),
    ("waitlisted", "waitlisted"),
    ("promoted", "confirmed"),
    ("cancelled", "cancelled"),
    ("ticket_resent", "confirmed"),
    ("ticket_resent", "waitlisted"),
    ("event_changed", "confirmed"),
    ("event_changed", "waitlisted"),
    ("event_cancelled", "cancelled"),
    ("reminder", "confirmed"),
]


class TextOnly(HTMLParser):
    """What a mail client that shows no styles and no images reads."""

    def __init__(self):
        super().__init__()
        self.words = []

    def handle_data(self, data):
        self.words.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def as_text(html: str) -> str:
    reader = TextOnly()
    reader.feed(html)
    return reader.text()


def message(kind: str, status: str):
    event = make_event(capacity=150)
    if kind == "event_cancelled":
        event.status = EventStatus.CANCELLED
    registration = make_registration(
        event,
        status=status,
        waitlist_position=1 if status == "waitlisted" else None,
        given_name="Zoé",
        family_name="Nguyễn",
    )
    run_in_transaction(lambda: mail.queue(kind, registration))
    [queued] = outbox_messages()  # rendered as the sender renders it
    return queued, registration


@pytest.mark.parametrize(("kind", "status"), KINDS, ids=[f"{k}-{s}" for k, s in KINDS])
def test_every_message_states_date_time_place_and_reference(db, kind, status):
    queued, registration = message(kind, status)
    event = registration.event
    start = event.local_start
    reference = f"{registration.reference[:4]}-{registration.reference[4:]}"
    html_text = as_text(queued.body_html)
    for body in (queued.body_text, html_text):
        assert "Zoé Nguyễn" in body
        assert f"{start.day} " in body and f"de {start.hour} h" in body  # date and time
        assert "20 avenue de Ségur, 75007 Paris" in body
        assert reference in body
        assert "equipe-ami-ia@data.gouv.fr" in body
    assert queued.reply_to == "DINSIC et DITP <equipe-ami-ia@data.gouv.fr>"
    # The HTML part wears the DSFR's colours and bloc-marque, in words.
    assert "#000091" in queued.body_html and "République Française" in html_text


@pytest.mark.parametrize(("kind", "status"), KINDS, ids=[f"{k}-{s}" for k, s in KINDS])
def test_a_message_says_only_what_is_true_for_its_recipient(db, kind, status):
    queued, registration = message(kind, status)
    text = queued.body_text + as_text(queued.body_html)
    holds_a_seat = status == "confirmed"
    # Only someone holding a seat is told that cancelling frees it, or shown a ticket.
    assert ("libérer votre place" in text) is holds_a_seat
    assert ("QR code" in queued.body_html) is holds_a_seat
    assert ("Quittez la liste d'attente" in text) is (status == "waitlisted")
    if status == "waitlisted":
        assert "billet" not in queued.subject
        assert "Votre inscription est confirmée" not in text
    if kind == "event_changed":
        expected = "reste valable" if holds_a_seat else "place sur la liste d'attente reste valable"
        assert expected in text


def test_a_waitlisted_person_asking_again_is_not_told_of_a_ticket(db):
    queued, _ = message("ticket_resent", "waitlisted")
    assert queued.subject.startswith(fr("Votre inscription sur liste d'attente :"))
    assert fr("Vous êtes sur la liste d'attente, en position 1.") in queued.body_text
