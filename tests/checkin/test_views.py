"""The door screen, walk-ins, and the ticket page's check-in button."""

import html

from sqlalchemy import select

from app.i18n import french_typography as fr
from app.models import Registration, Scan
from tests.conftest import csrf_token
from tests.factories import log_in, make_event, make_registration, make_staff

WALK_IN = {
    "given_name": "Agnès",
    "family_name": "Sur-Place",
    "email": "agnes.surplace@culture.gouv.fr",
    "organisation": "Ministère de la Culture",
    "job_title": "Cheffe de bureau",
}


def test_door_screen_has_what_the_door_needs(client, db):
    event = make_event()
    make_registration(event)
    log_in(client, make_staff("checkin"))
    page = client.get(f"/staff/events/{event.slug}/checkin").text
    assert '<meta name="csrf-token"' in page
    assert 'src="/static/js/door.js"' in page
    assert f'data-checkins="/api/v1/events/{event.slug}/checkins"' in page
    assert 'id="count-checked-in">0</strong> / <span id="count-confirmed">1</span>' in page
    assert 'aria-live="assertive"' in page and 'id="search-q"' in page
    assert "<script>" not in page  # no inline script: a strict CSP holds


def test_walk_in_registers_and_checks_in_in_one_step(client, db):
    event = make_event(capacity=2)
    make_registration(event)
    log_in(client, make_staff("checkin"))
    url = f"/staff/events/{event.slug}/checkin"
    token = csrf_token(client.get(url).text)
    response = client.post(f"{url}/walk-in", data={"csrf_token": token, **WALK_IN})
    assert response.status_code == 303
    page = html.unescape(client.get(url).text)
    assert fr("Entrée enregistrée : Agnès Sur-Place") in page
    walked_in = db.session.scalar(
        select(Registration).where(Registration.email == WALK_IN["email"])
    )
    assert walked_in.status == "confirmed" and walked_in.checked_in_at is not None
    assert db.session.scalars(select(Scan.result)).all() == ["checked_in"]


def test_walk_in_is_refused_when_no_seat_remains(client, db):
    event = make_event(capacity=1)
    make_registration(event)
    log_in(client, make_staff("checkin"))
    url = f"/staff/events/{event.slug}/checkin"
    token = csrf_token(client.get(url).text)
    response = client.post(f"{url}/walk-in", data={"csrf_token": token, **WALK_IN})
    assert response.status_code == 409
    assert "il ne reste aucune place" in html.unescape(response.text)
    assert (
        db.session.scalar(select(Registration).where(Registration.email == WALK_IN["email"]))
        is None
    )


def test_walk_in_form_errors_are_shown_next_to_the_fields(client, db):
    event = make_event()
    log_in(client, make_staff("checkin"))
    url = f"/staff/events/{event.slug}/checkin"
    token = csrf_token(client.get(url).text)
    response = client.post(f"{url}/walk-in", data={"csrf_token": token, **WALK_IN, "email": "x"})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text


def test_ticket_page_shows_the_door_button_to_door_staff_only(app, client, db):
    event = make_event()
    registration = make_registration(event)
    ticket = f"/t/{registration.code}"
    button = "Enregistrer l'entrée"
    assert button not in html.unescape(app.test_client().get(ticket).text)
    log_in(client, make_staff("viewer"))
    assert button not in html.unescape(client.get(ticket).text)
    log_in(client, make_staff("checkin", email="porte@numerique.gouv.fr"))
    page = client.get(ticket).text
    assert button in html.unescape(page)
    response = client.post(
        f"/staff/events/{event.slug}/checkin/ticket/{registration.code}",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 303 and response.headers["Location"] == ticket
    after = html.unescape(client.get(ticket).text)
    assert "Entrée enregistrée." in after and "Déjà entré(e) le" in after
