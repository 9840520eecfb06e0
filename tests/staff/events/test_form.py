"""The event form: the time zone chosen from a list, the address proposed from the title (in
the browser as one types, on the server when left empty), the coordinates tucked away."""

import re

import pytest
from playwright.sync_api import expect

from app.staff.events import slugs
from tests.factories import log_in, make_event, make_staff
from tests.staff.events.test_events import FORM, stored
from tests.staff.test_navigation import log_in_with_the_form
from tests.test_browser import assert_accessible


def options(html: str) -> list[str]:
    select = html.split('<select class="fr-select" id="timezone"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option(?: selected)? value="([^"]+)"', select)


def test_the_time_zone_is_a_list_that_starts_with_paris(client, db, organiser):
    page = client.get("/staff/events/new").text
    zones = options(page)
    assert zones[:2] == ["Europe/Paris", "America/Guadeloupe"]
    assert {"Indian/Reunion", "Pacific/Noumea", "Europe/Brussels", "Asia/Tokyo"} <= set(zones)
    assert not any(zone.startswith(("Etc/", "US/")) for zone in zones)
    assert '<option selected value="Europe/Paris">' in page
    assert '<optgroup label="France">' in page


@pytest.mark.parametrize("zone", ["Pacific/Noumea", "Europe/Brussels"])
def test_a_listed_zone_is_stored(db, post_form, organiser, zone):
    assert post_form("/staff/events/new", FORM | {"timezone": zone}).status_code == 303
    assert stored(FORM["slug"]).timezone == zone


@pytest.mark.parametrize("zone", ["Europe/Lutece", "Etc/GMT+5", "", "posixrules"])
def test_a_zone_off_the_list_is_refused(db, post_form, organiser, zone):
    response = post_form("/staff/events/new", FORM | {"timezone": zone})
    assert response.status_code == 422
    assert 'id="timezone-error"' in response.text and stored(FORM["slug"]) is None


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Réunion d'information AMI IA", "reunion-d-information-ami-ia"),
        ("  Œuvres & données : l'État, 2027 !", "oeuvres-donnees-l-etat-2027"),
        ("Straße", "strasse"),
        ("会议", "reunion"),
        ("new", "new-2"),  # /staff/events/new is a page of its own
        (
            "Séminaire des référents données des ministères économiques et financiers de Bercy",
            "seminaire-des-referents-donnees-des-ministeres-economiques",
        ),
    ],
)
def test_an_empty_slug_is_made_from_the_title(db, post_form, organiser, title, slug):
    response = post_form("/staff/events/new", FORM | {"title": title, "slug": ""})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/events/{slug}"
    assert len(slug) <= slugs.SUGGESTED_LENGTH


def test_a_made_slug_takes_the_next_free_number(db, post_form, organiser):
    make_event(slug="reunion-d-information-ami-ia")
    make_event(slug="reunion-d-information-ami-ia-2")
    form = FORM | {"title": "Réunion d'information AMI IA", "slug": ""}
    response = post_form("/staff/events/new", form)
    assert response.headers["Location"] == "/staff/events/reunion-d-information-ami-ia-3"


def test_emptying_a_drafts_slug_keeps_it(db, post_form, organiser):
    event = make_event(slug="ami-ia-brouillon", status="draft")
    response = post_form(f"/staff/events/{event.slug}/edit", FORM | {"slug": ""})
    assert response.status_code == 303
    assert stored("ami-ia-brouillon") is not None


def coordinates_open(html: str) -> bool:
    tag = re.search(r'<details class="map-details"[^>]*>', html).group(0)
    assert "emplacement sur la carte</summary>" in html
    return " open" in tag


def test_the_coordinates_are_tucked_away_unless_they_hold_something(client, db, post_form):
    log_in(client, make_staff("organiser"))
    assert not coordinates_open(client.get("/staff/events/new").text)
    placed = make_event(latitude=48.8503, longitude=2.3072)
    assert coordinates_open(client.get(f"/staff/events/{placed.slug}/edit").text)
    refused = post_form("/staff/events/new", FORM | {"latitude": "quarante-huit"})
    assert refused.status_code == 422 and coordinates_open(refused.text)
    assert 'id="latitude-error"' in refused.text


@pytest.mark.browser
def test_the_browser_proposes_the_slug_as_one_types_and_leaves_a_typed_one(live_server, page, db):
    make_staff("organiser", "orga@numerique.gouv.fr")
    log_in_with_the_form(page, live_server, "orga@numerique.gouv.fr")
    page.get_by_role("link", name="Créer une réunion").click()
    title = page.get_by_label("Titre", exact=True)
    slug = page.get_by_label("Adresse de la page")

    # The same rule as the server's, whatever the title.
    for text in ["Réunion d'information AMI IA", "  Œuvres & données : l'État, 2027 !", "会议"]:
        title.fill("")
        title.press_sequentially(text)
        expect(slug).to_have_value(slugs.suggest(text))
    long_title = "Séminaire des référents données des ministères économiques et financiers"
    title.fill(long_title)
    expect(slug).to_have_value(slugs.suggest(long_title))

    # Typed by hand, it stays; emptied, the proposal comes back.
    slug.fill("ami-ia-automne")
    title.press_sequentially(" (automne)")
    expect(slug).to_have_value("ami-ia-automne")
    slug.fill("")
    title.press_sequentially(" 2027")
    expect(slug).to_have_value(slugs.suggest(title.input_value()))

    # The coordinates open on request; the zone is Paris unless chosen otherwise.
    expect(page.get_by_label("Latitude (facultatif)")).to_be_hidden()
    page.get_by_text("Préciser l'emplacement sur la carte").click()
    expect(page.get_by_label("Latitude (facultatif)")).to_be_visible()
    expect(page.get_by_label("Fuseau horaire")).to_have_value("Europe/Paris")
    assert_accessible(page)
