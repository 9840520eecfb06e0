"""Seat rules as a person meets them: pages for each state, waiting list, cancellation."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.i18n import french_typography as fr
from app.models import EventStatus, OrganisationOverflow, OutboxMessage, Registration
from tests.conftest import csrf_token
from tests.factories import make_event, make_registration
from tests.registration.test_register import VALID

NOW = datetime.now(UTC)


def registrations(db) -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).order_by(Registration.id)))


@pytest.mark.parametrize(
    ("overrides", "full", "shows_form", "says"),
    [
        ({}, False, True, "1 place restante"),
        ({"registration_opens_at": NOW + timedelta(days=1)}, False, False, "pas encore ouvertes"),
        ({"registration_closes_at": NOW - timedelta(hours=1)}, False, False, "sont closes"),
        ({}, True, True, "Inscrivez-vous sur la liste d'attente"),
        ({"waitlist_enabled": False}, True, False, "n'a pas de liste d'attente"),
        ({"status": EventStatus.CANCELLED}, False, False, "Cette réunion est annulée"),
        ({"starts_at": NOW - timedelta(days=2)}, False, False, "a déjà eu lieu"),
    ],
    ids=["open", "not-yet-open", "closed", "waitlist", "full", "cancelled", "past"],
)
def test_each_state_has_its_own_page(client, db, post_form, overrides, full, shows_form, says):
    event = make_event(capacity=1, **overrides)
    if full:
        make_registration(event)
    page = html.unescape(client.get(f"/e/{event.slug}").text)
    assert says in page
    assert ('name="given_name"' in page) is shows_form
    if not shows_form:
        before = len(registrations(db))
        assert post_form(f"/e/{event.slug}", VALID).status_code == 409
        assert len(registrations(db)) == before


def test_waitlisted_ticket_shows_the_position(client, db, post_form):
    event = make_event(capacity=1)
    make_registration(event)
    response = post_form(f"/e/{event.slug}", VALID)
    assert response.status_code == 303
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Vous êtes sur la liste d'attente, en position 1." in page
    assert "Votre inscription est confirmée" not in page


def test_replayed_post_leads_to_the_same_ticket(client, db):
    event = make_event()
    page = client.get(f"/e/{event.slug}").text
    key = re.search(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    data = {**VALID, "csrf_token": csrf_token(page), "submission_key": key}
    first = client.post(f"/e/{event.slug}", data=data)
    second = client.post(f"/e/{event.slug}", data=data)  # double click, or back and resend
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(registrations(db)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_refused_domain_is_explained_next_to_the_email_field(client, db, post_form):
    event = make_event(allowed_email_domains="gouv.fr")
    assert "Réservé aux adresses gouv.fr" in client.get(f"/e/{event.slug}").text
    response = post_form(f"/e/{event.slug}", {**VALID, "email": "elodie@gmail.com"})
    assert response.status_code == 422
    page = html.unescape(response.text)
    error = re.search(r'<p class="fr-error-text" id="email-error">(.*?)</p>', page, re.S).group(1)
    assert fr("réservée aux adresses des domaines suivants : gouv.fr") in error
    assert 'value="elodie@gmail.com"' in page
    assert registrations(db) == []


def test_organisation_limit_is_explained_next_to_the_organisation_field(client, db, post_form):
    event = make_event(per_organisation_limit=1, organisation_overflow=OrganisationOverflow.REFUSE)
    make_registration(event, organisation="Direction générale des finances publiques")
    response = post_form(f"/e/{event.slug}", VALID)
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert 'id="organisation-error"' in page
    assert "a déjà atteint la limite de 1 inscrit" in page
    assert len(registrations(db)) == 1


def test_cancelling_says_where_the_seat_goes_and_only_once(client, db):
    event = make_event(capacity=1)
    registration = make_registration(event)
    url = f"/m/{registration.manage_secret}/cancel"
    asks = html.unescape(client.get(url).text)
    assert "libérée pour une autre personne" in asks  # nobody waits: no promise of the line
    assert "première personne de la liste d'attente" not in asks
    make_registration(event, status="waitlisted", waitlist_position=1)
    asks = html.unescape(client.get(url).text)
    assert "aussitôt attribuée à la première personne de la liste d'attente" in asks

    client.post(url, data={"csrf_token": csrf_token(asks)})
    page = html.unescape(client.get(f"/m/{registration.manage_secret}").text)
    main = page[page.index("<main") : page.index("</main>")]
    assert len(re.findall(r'class="fr-alert ', main)) == 1  # one box says it, not two
    assert "Votre place est allée à la première personne de la liste d'attente." in main
    assert "data-autofocus" in main
