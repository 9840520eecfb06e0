"""The event page is rendered once and filled in at each visit: what must stay live does."""

import html
import re

from flask import template_rendered
from sqlalchemy import func, select

from app.models import Registration
from app.registration.page import page_cache
from tests.conftest import csrf_token
from tests.factories import make_event, make_registration
from tests.registration.test_register import VALID

SUBMISSION_KEY = re.compile(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"')


def registrations(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Registration))


def test_the_page_is_rendered_once_then_served_from_the_cache(app, client, db):
    event = make_event()
    rendered = []

    def record(sender, template, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        first = client.get(f"/e/{event.slug}")
        second = client.get(f"/e/{event.slug}")
    assert first.status_code == second.status_code == 200
    assert rendered.count("events/show.html") == 1
    assert len(page_cache()) == 1
    assert "<!--live:" not in first.text + second.text


def test_seats_left_are_read_at_each_visit(client, db):
    event = make_event(capacity=3)
    assert "3 places restantes" in client.get(f"/e/{event.slug}").text
    make_registration(event)
    page = client.get(f"/e/{event.slug}").text
    assert "2 places restantes" in page and "3 places restantes" not in page
    make_registration(event)
    make_registration(event)
    make_registration(event, status="waitlisted", waitlist_position=1)
    page = html.unescape(client.get(f"/e/{event.slug}").text)
    assert "Inscrivez-vous sur la liste d'attente" in page
    assert "1 personne attend déjà." in page


def test_an_edit_of_the_event_shows_at_once(client, db):
    event = make_event(title="Réunion d'information AMI IA")
    assert "AMI IA" in html.unescape(client.get(f"/e/{event.slug}").text)
    event.title = "Atelier données ouvertes"
    event.description = "Un nouveau programme."
    db.session.commit()
    page = html.unescape(client.get(f"/e/{event.slug}").text)
    assert "Atelier données ouvertes" in page and "Un nouveau programme." in page
    assert "AMI IA" not in page


def test_each_visitor_gets_their_own_csrf_token_and_submission_key(app, db):
    event = make_event()
    pages = [app.test_client().get(f"/e/{event.slug}").text for _ in range(2)]
    tokens = [csrf_token(page) for page in pages]
    keys = [SUBMISSION_KEY.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1] and keys[0] != keys[1]


def test_a_post_without_a_valid_token_is_refused(app, client, db):
    event = make_event()
    url = f"/e/{event.slug}"
    stranger_token = csrf_token(app.test_client().get(url).text)
    client.get(url)  # this visitor's own session, served from the cache
    assert client.post(url, data=VALID).status_code == 400
    assert client.post(url, data={"csrf_token": stranger_token, **VALID}).status_code == 400
    assert registrations(db) == 0
    token = csrf_token(client.get(url).text)
    assert client.post(url, data={"csrf_token": token, **VALID}).status_code == 303
    assert registrations(db) == 1


def test_switching_the_language_serves_each_language_its_page(client, db):
    event = make_event()
    url = f"/e/{event.slug}"
    french = client.get(url).text
    assert '<html lang="fr">' in french and "S'inscrire" in french
    client.get(f"/langue/en?next={url}")
    english = client.get(url).text
    assert '<html lang="en">' in english and "Register" in english
    assert "S'inscrire" not in english and "places restantes" not in english
    client.get(f"/langue/fr?next={url}")
    assert '<html lang="fr">' in client.get(url).text


def test_a_refused_form_is_rendered_whole_with_its_errors(client, db):
    event = make_event()
    url = f"/e/{event.slug}"
    token = csrf_token(client.get(url).text)
    response = client.post(url, data={"csrf_token": token, **VALID, "email": "pas-une-adresse"})
    assert response.status_code == 422
    assert "Le formulaire contient des erreurs" in html.unescape(response.text)
    assert 'value="pas-une-adresse"' in response.text
    # The next visitor still gets the blank form.
    assert "pas-une-adresse" not in client.get(url).text
