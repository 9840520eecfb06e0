import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import OutboxMessage, Registration
from app.registration import placement
from app.tickets import codes
from tests.conftest import csrf_token
from tests.factories import make_event, make_registration, outbox_messages

VALID = {
    "given_name": "Élodie",
    "family_name": "Lefèvre-Ørsted",
    "email": "Elodie.Lefevre@Finances.GOUV.fr",
    "organisation": "Direction générale des Finances publiques",
    "job_title": "Cheffe du bureau des données",
    "phone": "+33 1 23 45 67 89",
    "accessibility_needs": "",
}


def count(db, model=Registration) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_valid_registration_redirects_to_the_ticket(client, db, post_form):
    event = make_event(capacity=2)
    response = post_form(f"/e/{event.slug}", VALID)
    assert response.status_code == 303
    registration = db.session.scalars(select(Registration)).one()
    assert response.headers["Location"] == f"/t/{registration.code}"
    assert registration.status == "confirmed"
    assert registration.email == "elodie.lefevre@finances.gouv.fr"
    assert registration.family_name == "Lefèvre-Ørsted"
    assert registration.phone == "+33 1 23 45 67 89"
    assert registration.accessibility_needs is None
    assert len(registration.code) >= 22

    ticket = client.get(response.headers["Location"])
    assert ticket.status_code == 200
    assert "Votre inscription est confirmée" in ticket.text
    assert "Élodie Lefèvre-Ørsted" in ticket.text
    assert "elodie.lefevre@finances.gouv.fr" not in ticket.text  # the door sees tickets too

    [message] = outbox_messages()
    assert message.kind == "confirmation"
    assert message.recipient == "elodie.lefevre@finances.gouv.fr"
    assert f"http://accueil.test/t/{registration.code}" in message.body_text


def test_seats_left_goes_down(client, db, post_form):
    event = make_event(capacity=5)
    post_form(f"/e/{event.slug}", VALID)
    assert "4 places restantes" in client.get(f"/e/{event.slug}").text


LONG = "x" * 300


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "", "Indiquez votre prénom."),
        ("given_name", "   ", "Indiquez votre prénom."),
        ("given_name", "a" * 101, "Le prénom ne peut dépasser 100 caractères."),
        ("given_name", "Jean\x00", "Ce champ contient des caractères non autorisés."),
        ("family_name", "", "Indiquez votre nom."),
        ("family_name", "Dupont\nBcc: x", "Ce champ contient des caractères non autorisés."),
        ("email", "", "Indiquez votre adresse électronique."),
        ("email", "pas-une-adresse", "Saisissez une adresse électronique valide"),
        ("email", "a@b", "Saisissez une adresse électronique valide"),
        ("email", "x@" + "d" * 250 + ".fr", "L'adresse ne peut dépasser 254 caractères."),
        ("email", "x@" + "d" * 70 + ".fr", "Saisissez une adresse électronique valide"),
        ("organisation", "", "Indiquez votre administration ou organisme."),
        ("organisation", LONG, "Ce champ ne peut dépasser 200 caractères."),
        ("job_title", "", "Indiquez votre fonction."),
        ("job_title", LONG, "La fonction ne peut dépasser 150 caractères."),
        ("phone", "appelez-moi", "Saisissez un numéro de téléphone valide"),
        ("phone", "1" * 31, "Le numéro ne peut dépasser 30 caractères."),
        ("accessibility_needs", "x" * 1001, "Ce champ ne peut dépasser 1 000 caractères."),
    ],
)
def test_each_bad_field_gets_a_french_message_and_nothing_is_stored(
    client, db, post_form, field, value, message
):
    event = make_event()
    data = {**VALID, field: value}
    response = post_form(f"/e/{event.slug}", data)
    assert response.status_code == 422
    page = response.text
    assert message in html.unescape(page)
    # The message sits next to the field and is announced with it.
    assert f'id="{field}-error"' in page
    assert f'aria-describedby="{field}-error"' in page or f"{field}-hint {field}-error" in page
    assert "Le formulaire contient des erreurs" in page
    # What was typed in the other fields is kept.
    assert 'value="Direction générale des Finances publiques"' in page or field == "organisation"
    assert count(db) == 0
    assert count(db, OutboxMessage) == 0


HOSTILE = {
    "emoji": "😀" * 50,
    "sql": "'; DROP TABLE registration; --",
    "percent-00": "%00",
    "rtl-override": "\u202eRTL override",
    "100k": "a" * 100_000,
}


@pytest.mark.parametrize("value", list(HOSTILE.values()))
def test_hostile_input_never_gives_a_500(client, db, post_form, value):
    event = make_event()
    # Each submission is a new person (its own address), so none is refused as a duplicate.
    for field in ["given_name", "organisation", "phone", "accessibility_needs"]:
        response = post_form(f"/e/{event.slug}", {**VALID, field: value, "email": f"{field}@x.fr"})
        assert response.status_code in {303, 409, 413, 422}, (field, response.status_code)


@pytest.mark.parametrize(
    "email",
    [
        *(pytest.param(value, id=name) for name, value in HOSTILE.items()),
        # Shaped like an address, so that the address check itself must refuse them.
        pytest.param("camille@x.fr\r\nBcc: victime@y.fr", id="address-header-injection"),
        pytest.param("camille\x00@x.fr", id="address-nul"),
        pytest.param("\u202ecamille@x.fr", id="address-rtl-override"),
        pytest.param("'; DROP TABLE registration; --@x.fr", id="address-sql"),
    ],
)
def test_hostile_emails_are_refused(client, db, post_form, email):
    event = make_event()
    response = post_form(f"/e/{event.slug}", {**VALID, "email": email})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text
    assert count(db) == 0
    assert count(db, OutboxMessage) == 0


def test_invalid_utf8_never_gives_a_500(client, db):
    event = make_event()
    token = csrf_token(client.get(f"/e/{event.slug}").text)
    body = f"csrf_token={token}&given_name=%ED%A0%80%FF&family_name=%00&email=a%C0@b.fr"
    response = client.post(
        f"/e/{event.slug}",
        data=body.encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422
    assert count(db) == 0


def test_oversized_post_is_refused_in_french(client, db):
    event = make_event()
    response = client.post(f"/e/{event.slug}", data={"given_name": "x" * 2_000_000})
    assert response.status_code == 413
    assert "trop volumineuses" in response.text


def test_name_with_html_is_shown_escaped(client, db, post_form):
    event = make_event()
    hostile = {**VALID, "given_name": "<script>alert(1)</script>", "family_name": "<b>Gras</b>"}
    response = post_form(f"/e/{event.slug}", hostile)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Gras&lt;/b&gt;" in page
    [message] = outbox_messages()
    assert "<script>" not in message.body_html


def test_full_event_without_waitlist_shows_no_form_and_refuses_a_stale_post(client, db, post_form):
    event = make_event(capacity=1, waitlist_enabled=False)
    stale = client.get(f"/e/{event.slug}").text
    make_registration(event)
    page = client.get(f"/e/{event.slug}").text
    assert "Complet" in page
    assert 'name="given_name"' not in page
    response = client.post(f"/e/{event.slug}", data={"csrf_token": csrf_token(stale), **VALID})
    assert response.status_code == 409
    assert "Complet" in response.text
    assert count(db) == 1


def test_registration_not_yet_open(client, db, post_form):
    opens = datetime.now(UTC) + timedelta(days=2)
    event = make_event(registration_opens_at=opens)
    page = client.get(f"/e/{event.slug}").text
    assert "Les inscriptions ne sont pas encore ouvertes" in page
    assert "Elles ouvriront le" in page
    assert 'name="given_name"' not in page
    response = post_form(f"/e/{event.slug}", VALID)
    assert response.status_code == 409
    assert count(db) == 0


def test_registration_closed(client, db, post_form):
    event = make_event(registration_closes_at=datetime.now(UTC) - timedelta(minutes=1))
    page = client.get(f"/e/{event.slug}").text
    assert "Les inscriptions sont closes" in page
    assert 'name="given_name"' not in page
    assert post_form(f"/e/{event.slug}", VALID).status_code == 409
    assert count(db) == 0


def test_duplicate_email_creates_nothing_and_resends_the_ticket(client, db, post_form):
    event = make_event()
    first = post_form(f"/e/{event.slug}", VALID)
    code = first.headers["Location"].rsplit("/", 1)[1]
    # The same address with other capitals and spaces is the same person.
    again = post_form(
        f"/e/{event.slug}",
        {**VALID, "email": "  elodie.lefevre@finances.gouv.FR ", "given_name": "É"},
    )
    assert again.status_code == 409
    assert "Cette adresse est déjà inscrite" in again.text
    assert "renvoyer le billet" in again.text
    assert code not in again.text
    assert count(db) == 1
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "ticket_resent"]


def test_same_email_may_register_to_another_event(client, db, post_form):
    one, two = make_event(), make_event()
    assert post_form(f"/e/{one.slug}", VALID).status_code == 303
    assert post_form(f"/e/{two.slug}", VALID).status_code == 303
    assert count(db) == 2


def test_post_without_csrf_token_is_rejected(client, db):
    event = make_event()
    response = client.post(f"/e/{event.slug}", data=VALID)
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.text
    assert count(db) == 0


def test_post_with_forged_csrf_token_is_rejected(client, db):
    event = make_event()
    client.get(f"/e/{event.slug}")
    response = client.post(f"/e/{event.slug}", data={**VALID, "csrf_token": "forged"})
    assert response.status_code == 400
    assert count(db) == 0


def test_post_to_unknown_event_is_404(client, db, post_form):
    event = make_event()
    response = post_form("/e/inconnue", VALID, page=f"/e/{event.slug}")
    assert response.status_code == 404


@pytest.mark.parametrize("code", ["inconnu", "A" * 24, "x" * 200, "%2e%2e"])
def test_unknown_ticket_is_404(client, db, code):
    response = client.get(f"/t/{code}")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_each_registration_gets_a_short_readable_reference_unique_in_its_event(
    client, db, post_form, monkeypatch
):
    event = make_event()
    response = post_form(f"/e/{event.slug}", VALID)
    registration = db.session.scalars(select(Registration)).one()
    assert re.fullmatch(f"[{codes.REFERENCE_ALPHABET}]{{8}}", registration.reference)
    assert not set("0O1IL2Z5S8BUVQD") & set(codes.REFERENCE_ALPHABET)  # no look-alikes
    page = client.get(response.headers["Location"]).text
    reference = f"{registration.reference[:4]}-{registration.reference[4:]}"
    assert f'<span class="reference">{reference}</span>' in page
    [message] = outbox_messages()
    assert reference in message.body_text and reference in message.body_html

    # A reference already taken in the event is drawn again (the draw is forced to collide).
    draws = iter([registration.reference, registration.reference, "ACEFGHJK"])
    monkeypatch.setattr(placement, "new_reference", lambda: next(draws))
    assert placement.free_reference(event) == "ACEFGHJK"
