"""The door screen, walk-ins (over capacity too), and the staff's view of a ticket."""

import html

import pytest
from sqlalchemy import func, select

from app.i18n import french_typography as fr
from app.models import OutboxMessage, Registration, Scan
from tests.conftest import csrf_token
from tests.factories import audit_entries, log_in, make_event, make_registration, make_staff

WALK_IN = {
    "given_name": "Agnès",
    "family_name": "Sur-Place",
    "organisation": "Ministère de la Culture",
}


def walk_in_post(client, event, **fields):
    url = f"/staff/events/{event.slug}/checkin"
    token = csrf_token(client.get(url).text)
    return client.post(f"{url}/walk-in", data={"csrf_token": token, **WALK_IN, **fields})


def walk_ins(db):
    db.session.expire_all()
    query = select(Registration).where(Registration.family_name == "Sur-Place")
    return db.session.scalars(query).all()


def test_door_screen_has_what_the_door_needs(client, db):
    event = make_event()
    make_registration(event)
    log_in(client, make_staff("checkin"))
    page = client.get(f"/staff/events/{event.slug}/checkin").text
    assert '<meta name="csrf-token"' in page
    assert 'src="/static/js/door.js"' in page
    assert f'data-checkins="/api/v1/events/{event.slug}/checkins"' in page
    assert 'id="count-checked-in">0</strong> / <span id="count-confirmed">1</span>' in page
    assert 'aria-live="assertive"' in page
    # One field for a scan, a reference or a name, its results right after it.
    assert html.unescape(page).count("Billet, référence ou nom") == 1
    assert page.index('id="scan-code"') < page.index('id="search-results"')
    assert page.index('id="search-results"') < page.index('id="camera-toggle"')
    assert "interactive-widget=resizes-content" in page
    assert "<script>" not in page  # no inline script: a strict CSP holds


def test_walk_in_without_address_is_let_in_and_shown_in_the_result_panel(client, db):
    event = make_event(capacity=2)
    make_registration(event)
    log_in(client, make_staff("checkin"))
    response = walk_in_post(client, event)
    assert response.status_code == 303
    page = html.unescape(client.get(response.headers["Location"]).text)
    panel = page[page.index('id="result"') : page.index('id="undo-area"')]
    assert "door-result--ok" in panel and "Entrée enregistrée" in panel
    assert "Agnès Sur-Place — Ministère de la Culture — inscrit(e) sur place" in panel
    assert "Annuler l'entrée de Agnès Sur-Place…" in page  # the undo names her
    (walked_in,) = walk_ins(db)
    assert walked_in.email is None and walked_in.job_title == ""
    assert walked_in.status == "confirmed" and walked_in.checked_in_at is not None
    assert db.session.scalars(select(Scan.result)).all() == ["checked_in"]
    # No address, no message.
    sent = select(func.count()).where(OutboxMessage.registration_id == walked_in.id)
    assert db.session.scalar(sent) == 0
    (entry,) = audit_entries("registration.walk_in")
    assert entry.after["given_name"] == "Agnès"
    # The result is shown once: a reload says « Prêt à scanner » again.
    assert "Prêt à scanner" in html.unescape(client.get(f"/staff/events/{event.slug}/checkin").text)


def test_two_walk_ins_without_address_and_one_with(client, db):
    event = make_event(capacity=5)
    log_in(client, make_staff("checkin"))
    assert walk_in_post(client, event).status_code == 303
    assert walk_in_post(client, event, given_name="Paul").status_code == 303
    address = "agnes.surplace@culture.gouv.fr"
    assert walk_in_post(client, event, given_name="Léa", email=address).status_code == 303
    assert len(walk_ins(db)) == 3
    messages = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert messages == [address]


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"given_name": ""}, "given_name", "Indiquez son prénom."),
        ({"family_name": ""}, "family_name", "Indiquez son nom."),
        ({"organisation": ""}, "organisation", "Indiquez son administration ou organisme."),
        ({"email": "pas-une-adresse"}, "email", None),
        ({"given_name": "x" * 101}, "given_name", "Le prénom ne peut dépasser 100 caractères."),
    ],
)
def test_walk_in_errors_are_next_to_the_field_and_nothing_is_stored(
    client, db, fields, field_id, message
):
    event = make_event()
    log_in(client, make_staff("checkin"))
    response = walk_in_post(client, event, **fields)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert f'id="{field_id}-error"' in page
    if message:
        assert fr(message) in page
    assert 'id="walk-in" open' in page
    assert 'value="Ministère de la Culture"' in page or fields.get("organisation") == ""
    assert walk_ins(db) == [] and db.session.scalar(select(func.count(Scan.id))) == 0


def test_the_walk_in_form_is_worded_for_staff(client, db):
    event = make_event()
    log_in(client, make_staff("checkin"))
    page = html.unescape(client.get(f"/staff/events/{event.slug}/checkin").text)
    form = page[page.index('id="walk-in"') :]
    assert "Adresse électronique (facultatif)" in form
    for attendee_words in (
        "Votre billet",
        "Fonction",
        "Indiquez votre",
        'type="checkbox" id="consent',
    ):
        assert attendee_words not in form
    assert "over_capacity" not in form  # not full: no overbooking


def test_a_full_event_refuses_door_only_accounts_clearly(client, db):
    event = make_event(capacity=1)
    make_registration(event)
    log_in(client, make_staff("checkin"))
    page = html.unescape(client.get(f"/staff/events/{event.slug}/checkin").text)
    assert "over_capacity" not in page
    assert fr("seul(e) un(e) organisateur(rice) ou un(e) administrateur(rice)") in page
    # Even a forged over-capacity request is refused, and what was typed stays.
    response = walk_in_post(client, event, over_capacity="y", reason="Intervenante")
    assert response.status_code == 409
    page = html.unescape(response.text)
    assert fr("Refusé : la réunion est complète. Personne n'a été inscrit.") in page
    assert 'value="Agnès"' in page and 'value="Sur-Place"' in page
    assert walk_ins(db) == []
    assert audit_entries("registration.walk_in") == []


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_organisers_and_admins_admit_over_capacity_with_a_reason(client, db, role):
    event = make_event(capacity=1)
    make_registration(event)
    log_in(client, make_staff(role))
    page = html.unescape(client.get(f"/staff/events/{event.slug}/checkin").text)
    assert "Faire entrer au-delà de la capacité" in page
    # Without ticking the box: refused, the box says why, the form keeps what was typed.
    response = walk_in_post(client, event, email="agnes@culture.gouv.fr")
    assert response.status_code == 409
    page = html.unescape(response.text)
    assert 'id="over_capacity-error"' in page and 'value="agnes@culture.gouv.fr"' in page
    # Ticked without a reason: the reason is asked for, next to its field.
    response = walk_in_post(client, event, over_capacity="y")
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert (
        'id="reason-error"' in page
        and "checked" in page[page.index('id="over_capacity"') - 80 :][:200]
    )
    assert walk_ins(db) == []
    # With the reason: let in beyond the capacity, and audited with it.
    response = walk_in_post(client, event, over_capacity="y", reason="Intervenante du cabinet")
    assert response.status_code == 303
    (walked_in,) = walk_ins(db)
    assert walked_in.status == "confirmed" and walked_in.checked_in_at is not None
    (entry,) = audit_entries("registration.walk_in")
    assert entry.after["over_capacity"] is True
    assert entry.after["reason"] == "Intervenante du cabinet"
    log = html.unescape(client.get("/staff/audit").text) if role == "admin" else ""
    if role == "admin":
        assert "Inscription sur place, à la porte" in log
        assert "registration.walk_in" not in log


def test_a_registered_address_is_refused_next_to_the_field(client, db):
    event = make_event()
    make_registration(event, email="agnes@culture.gouv.fr")
    log_in(client, make_staff("checkin"))
    response = walk_in_post(client, event, email="agnes@culture.gouv.fr")
    assert response.status_code == 409
    assert 'id="email-error"' in response.text
    assert walk_ins(db) == []


def test_door_staff_opening_a_ticket_see_one_state_and_one_action(app, client, db):
    event = make_event()
    registration = make_registration(event, given_name="Zoé", family_name="Nguyễn")
    ticket = f"/t/{registration.code}"
    attendee_words = "Votre inscription est confirmée."
    assert attendee_words in html.unescape(app.test_client().get(ticket).text)
    log_in(client, make_staff("viewer"))
    assert attendee_words in html.unescape(client.get(ticket).text)

    log_in(client, make_staff("checkin", email="porte@numerique.gouv.fr"))
    response = client.get(ticket)
    staff_view = f"/staff/events/{event.slug}/checkin/ticket/{registration.code}"
    assert response.status_code == 303 and response.headers["Location"] == staff_view
    # The staff's attendee page links to the ticket as the person sees it.
    assert attendee_words in html.unescape(client.get(f"{ticket}?participant=1").text)
    page = html.unescape(client.get(staff_view).text)
    assert fr("Billet valide : pas encore entré(e)") in page and "Zoé Nguyễn" in page
    assert page.count('type="submit"') == 1 and ">Faire entrer<" in page
    assert attendee_words not in page

    response = client.post(staff_view, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303 and response.headers["Location"] == staff_view
    after = html.unescape(client.get(staff_view).text)
    assert "Entrée enregistrée à" in after and "Faire entrer" not in after
    assert "Retour à l'accueil à la porte" in after and attendee_words not in after
    again = html.unescape(client.get(staff_view).text)
    assert "Déjà entré(e) à" in again and "Faire entrer" not in again
    # A ticket of another event under this event's address: not found.
    other = make_registration(make_event(title="Autre"))
    assert client.get(f"/staff/events/{event.slug}/checkin/ticket/{other.code}").status_code == 404


@pytest.mark.parametrize(
    ("status", "words"),
    [("cancelled", "Refusé : inscription annulée"), ("waitlisted", "Refusé : sur liste d'attente")],
)
def test_the_staff_ticket_view_refuses_what_cannot_get_in(client, db, status, words):
    event = make_event()
    registration = make_registration(event, status=status)
    log_in(client, make_staff("checkin"))
    page = html.unescape(
        client.get(f"/staff/events/{event.slug}/checkin/ticket/{registration.code}").text
    )
    assert fr(words) in page and "Faire entrer" not in page
