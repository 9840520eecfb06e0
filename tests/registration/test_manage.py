"""Two secrets per registration: the ticket code lets people in and changes nothing; the
management link, only in the registrant's e-mails, cancels, corrects, resends and erases."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import OutboxMessage, Registration
from app.registration import services
from tests.conftest import csrf_token
from tests.factories import make_event, make_registration, make_staff, outbox_messages
from tests.registration.test_register import VALID

MANAGE_LINK = re.compile(r"http://accueil\.test(/m/[A-Za-z0-9_-]+)")


def registrations(db) -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


def kinds(db) -> list[str]:
    return db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()


def test_the_ticket_code_alone_never_cancels(client, db):
    registration = make_registration(make_event())
    page = client.get(f"/t/{registration.code}/cancel")
    assert page.status_code == 200 and "Gérer mon inscription" in html.unescape(page.text)
    assert registration.manage_secret not in page.text
    refused = client.post(
        f"/t/{registration.code}/cancel", data={"csrf_token": csrf_token(page.text)}
    )
    assert refused.status_code == 403
    assert registrations(db)[0].status == "confirmed"
    ticket = client.get(f"/t/{registration.code}").text
    assert registration.manage_secret not in ticket and registration.email not in ticket


def test_the_management_link_of_the_confirmation_e_mail_cancels(client, db, post_form):
    event = make_event(capacity=1)
    post_form(f"/e/{event.slug}", VALID)
    waiting = make_registration(event, status="waitlisted", waitlist_position=1)
    [confirmation] = outbox_messages()
    [link] = set(MANAGE_LINK.findall(confirmation.body_text))
    assert link in confirmation.body_html
    assert client.get(link).status_code == 200
    ask = client.get(f"{link}/cancel")
    assert "Oui, annuler mon inscription" in ask.text
    assert registrations(db)[0].status == "confirmed"  # a GET changes nothing
    done = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(ask.text)})
    assert done.status_code == 303 and done.headers["Location"] == link
    assert {r.id: r.status for r in registrations(db)}[waiting.id] == "confirmed"
    assert kinds(db) == ["confirmation", "cancelled", "promoted"]
    again = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(ask.text)})
    assert again.status_code == 303 and kinds(db) == ["confirmation", "cancelled", "promoted"]


def test_every_message_carries_the_management_link_never_a_cancel_by_code(client, db, post_form):
    event = make_event(capacity=1)
    post_form(f"/e/{event.slug}", VALID)
    post_form(f"/e/{event.slug}", {**VALID, "email": "second@finances.gouv.fr"})
    for message in outbox_messages():
        secret = message.registration.manage_secret
        assert f"http://accueil.test/m/{secret}" in message.body_text
        assert f"http://accueil.test/m/{secret}" in message.body_html
        assert f"/t/{message.registration.code}/cancel" not in message.body_text
        assert "equipe-ami-ia@data.gouv.fr" in message.body_text


def test_changes_need_the_csrf_token_and_a_known_secret(client, db):
    registration = make_registration(make_event())
    link = f"/m/{registration.manage_secret}"
    assert client.post(f"{link}/cancel").status_code == 400
    assert registrations(db)[0].status == "confirmed"
    token = csrf_token(client.get("/staff/login").text)
    for path in ("", "/cancel", "/details", "/erase"):
        assert client.get(f"/m/AAAAAAAAAAAAAAAAAAAAAAAA{path}").status_code == 404
        assert client.get(f"/m/{registration.code}{path}").status_code == 404  # the ticket code
    assert (
        client.post("/m/AAAAAAAAAAAAAAAAAAAAAAAA/cancel", data={"csrf_token": token}).status_code
        == 404
    )


def test_the_registrant_corrects_their_details_but_not_their_address(client, db):
    registration = make_registration(make_event(), given_name="Camile")
    link = f"/m/{registration.manage_secret}/details"
    page = client.get(link).text
    assert 'name="email"' not in page
    data = {
        "csrf_token": csrf_token(page),
        "given_name": "Camille",
        "family_name": registration.family_name,
        "organisation": "DINUM",
        "job_title": "Cheffe de projet",
        "email": "pirate@evil.test",
    }
    assert client.post(link, data=data).status_code == 303
    [corrected] = registrations(db)
    assert (corrected.given_name, corrected.organisation) == ("Camille", "DINUM")
    assert corrected.email == registration.email
    refused = client.post(link, data=data | {"given_name": "https://evil.test"})
    assert refused.status_code == 422 and registrations(db)[0].given_name == "Camille"


@pytest.mark.parametrize("where", ["ticket", "manage"])
def test_resending_is_capped_per_registration(client, db, where):
    registration = make_registration(make_event())
    page, action = {
        "ticket": (f"/t/{registration.code}", f"/t/{registration.code}/resend"),
        "manage": (f"/m/{registration.manage_secret}", f"/m/{registration.manage_secret}/resend"),
    }[where]
    for _ in range(4):
        client.post(action, data={"csrf_token": csrf_token(client.get(page).text)})
    assert kinds(db) == ["ticket_resent"]
    assert "patientez quelques minutes" in html.unescape(client.get(page).text)


def test_once_the_meeting_has_begun_the_registrant_no_longer_cancels(client, db):
    event = make_event(capacity=1, starts_at=datetime.now(UTC) - timedelta(minutes=30))
    confirmed = make_registration(event)
    make_registration(event, status="waitlisted", waitlist_position=1)
    link = f"/m/{confirmed.manage_secret}"
    page = client.get(link)
    assert page.status_code == 200 and f"{link}/cancel" not in page.text
    ask = client.get(f"{link}/cancel")
    assert ask.status_code == 303 and ask.headers["Location"] == link
    refused = client.post(f"{link}/cancel", data={"csrf_token": csrf_token(page.text)})
    assert refused.status_code == 303
    told = html.unescape(client.get(link).text)
    assert "fr-alert--warning" in told and "La réunion a commencé" in told
    assert [r.status for r in registrations(db)] == ["confirmed", "waitlisted"]
    assert kinds(db) == []


def test_a_seat_freed_by_staff_after_the_start_goes_to_nobody(db):
    event = make_event(capacity=1, starts_at=datetime.now(UTC) - timedelta(minutes=30))
    confirmed = make_registration(event)
    make_registration(event, status="waitlisted", waitlist_position=1)
    _cancelled, promoted = services.cancel(confirmed.id, actor=make_staff("admin"))
    assert promoted == []
    assert [r.status for r in registrations(db)] == ["cancelled", "waitlisted"]
    assert kinds(db) == ["cancelled"]
