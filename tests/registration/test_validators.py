"""What may go into official mail: no web address in a name, no direction override, nothing
invisible; no consent box; addresses in IDNA form; a flood of
duplicate registrations is absorbed, not mailed."""

import html

import pytest
from sqlalchemy import func, select

from app.i18n import french_typography as fr
from app.models import OutboxMessage, Registration
from tests.conftest import csrf_token
from tests.factories import make_event
from tests.registration.test_register import VALID


def count(db, model=Registration) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("given_name", "URGENT : validez votre compte sur https://evil.test/l", "adresse web"),
        ("given_name", "Allez sur www.evil.test", "adresse web"),
        ("family_name", "Martin evil.test", "adresse web"),
        ("organisation", "Support informatique (support-gouv.com)", "adresse web"),
        ("family_name", "Martin\u202eeldoc", "caractères non autorisés"),
        ("given_name", "Zoé\u2066", "caractères non autorisés"),
        ("given_name", "\u200b", "aucun caractère visible"),
        ("family_name", "\u200b\u2060\ufeff", "aucun caractère visible"),
        ("organisation", "\u3164", "aucun caractère visible"),
    ],
)
def test_names_that_would_make_mail_a_weapon_are_refused(client, db, post_form, field, value, says):
    event = make_event()
    response = post_form(f"/e/{event.slug}", {**VALID, field: value})
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert says in text
    assert f'id="{field}-error"' in text  # next to the field
    assert count(db) == 0 and count(db, OutboxMessage) == 0


@pytest.mark.parametrize("name", ["Jean-Pierre", "Marie-Ève", "N'Diaye", "Min. de l'Intérieur"])
def test_ordinary_names_pass(client, db, post_form, name):
    event = make_event()
    response = post_form(f"/e/{event.slug}", {**VALID, "given_name": name, "organisation": name})
    assert response.status_code == 303


@pytest.mark.parametrize("value", ["0", "off", "y"])
def test_there_is_no_consent_box_to_tick(client, db, post_form, value):
    # The basis is the public-interest mission (GDPR 6-1-e), not consent: a stray value of
    # the old box neither helps nor hinders.
    event = make_event()
    response = post_form(f"/e/{event.slug}", {**VALID, "consent": value})
    assert response.status_code == 303 and count(db) == 1


def test_domains_are_stored_in_idna_and_unicode_mailboxes_refused(client, db, post_form):
    event = make_event()
    response = post_form(f"/e/{event.slug}", {**VALID, "email": "Zoé.Martin@Mairie-Évry.fr"})
    assert response.status_code == 422
    assert fr("avant le « @ »") in html.unescape(response.text)
    response = post_form(f"/e/{event.slug}", {**VALID, "email": "zoe.martin@Mairie-Évry.fr"})
    assert response.status_code == 303
    stored = db.session.scalar(select(Registration.email))
    assert stored == "zoe.martin@" + "mairie-évry.fr".encode("idna").decode() and stored.isascii()
    assert db.session.scalar(select(OutboxMessage.recipient)) == stored


def test_a_flood_of_duplicates_is_absorbed_not_mailed(client, db):
    event = make_event()
    for _ in range(5):
        page = client.get(f"/e/{event.slug}").text
        client.post(f"/e/{event.slug}", data={"csrf_token": csrf_token(page), **VALID})
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "ticket_resent"]  # at most 2 mails
    assert count(db) == 1
