"""A registrant who reads English gets English: the page, the e-mails, the invite, the reminder."""

from datetime import UTC, datetime, timedelta

import icalendar
from sqlalchemy import select

from app.mail.reminders import queue_reminders
from app.models import OutboxMessage, Registration
from tests.conftest import csrf_token
from tests.factories import make_event, outbox_messages

PERSON = {
    "given_name": "Jane",
    "family_name": "Doe",
    "email": "jane.doe@cabinet-office.gov.uk",
    "organisation": "Cabinet Office",
    "job_title": "Head of data",
}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def register(client, event, headers: dict, person: dict = PERSON):
    page = client.get(f"/e/{event.slug}", headers=headers)
    data = {"csrf_token": csrf_token(page.text), **person}
    return page, client.post(f"/e/{event.slug}", data=data, headers=headers)


def messages(db) -> list[OutboxMessage]:
    return outbox_messages()


def test_english_page_mail_and_invite(client, db):
    event = make_event(title="Réunion d'information AMI IA")
    page, response = register(client, event, ENGLISH)
    assert '<html lang="en">' in page.text and "Register" in page.text
    assert "S'inscrire" not in page.text
    assert response.status_code == 303
    registration = db.session.scalars(select(Registration)).one()
    assert registration.locale == "en"

    ticket = client.get(response.headers["Location"], headers=ENGLISH).text
    assert "Your registration is confirmed" in ticket

    [message] = messages(db)
    assert message.subject == "Registration confirmed: Réunion d'information AMI IA"
    assert message.body_text.startswith("Dear Jane Doe,")
    assert "Your registration is confirmed." in message.body_text
    assert "Bonjour" not in message.body_text + message.body_html
    assert '<html lang="en">' in message.body_html

    vevent = icalendar.Calendar.from_ical(message.calendar).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Réunion d'information AMI IA"  # as staff typed it
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("When: ") and "Where: 20 avenue de Ségur" in description
    # The ticket page's download is the same invite, in the registrant's language.
    download = client.get(f"/t/{registration.code}/invite.ics")  # a French browser
    assert "When: " in icalendar.Calendar.from_ical(download.data).walk("VEVENT")[0]["DESCRIPTION"]


def test_the_registrant_keeps_their_language_whoever_triggers_the_mail(client, db):
    starts = datetime.now(UTC) + timedelta(days=1, hours=2)
    event = make_event(starts_at=starts)
    register(client, event, ENGLISH)
    french = PERSON | {"given_name": "Élodie", "email": "elodie@finances.gouv.fr"}
    register(client, event, {"Accept-Language": "fr-FR"}, french)
    # The reminder is queued by cron, with no browser at all.
    queue_reminders(now=starts - timedelta(days=1))
    reminders = {m.recipient: m.subject for m in messages(db) if m.kind == "reminder"}
    assert reminders["jane.doe@cabinet-office.gov.uk"].startswith("Reminder")
    assert reminders["elodie@finances.gouv.fr"].startswith("Rappel")
