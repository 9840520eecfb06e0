"""The door screen in headless Chromium: on a phone (390×844), and on a phone with the
keyboard open (390×560), where the result panel, the field and the first search result's
admit button must stay in view after every action, measured by their bounding boxes."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Registration
from tests.factories import PASSWORD, make_event, make_registration, make_staff

pytestmark = pytest.mark.browser
#: Screenshots land here (ignored by git); docs/screenshots/ keeps a copy of them.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
KEYBOARD_OPEN = {"width": 390, "height": 560}


def log_in(page, live_server, email):
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_door_screen_typed_code_and_name_search(live_server, page, db):
    event = make_event(title="Réunion d'information AMI IA")
    zoe = make_registration(event, given_name="Zoé", family_name="Nguyễn", organisation="DINUM")
    elodie = make_registration(
        event, given_name="Élodie", family_name="Lefèvre", organisation="DGFiP"
    )
    cancelled = make_registration(
        event, given_name="Jean", family_name="Annulé", status="cancelled"
    )
    make_staff("checkin", email="porte@numerique.gouv.fr")
    log_in(page, live_server, "porte@numerique.gouv.fr")
    page.goto(f"{live_server}/staff/events/{event.slug}/checkin")
    result = page.locator("#result")
    field = page.get_by_label("Billet, référence ou nom")

    # A hand-held scanner types the ticket URL and Enter.
    field.fill(f"http://accueil.test/t/{zoe.code}")
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--ok")
    expect(result).to_contain_text("Entrée enregistrée")
    expect(result).to_contain_text("Zoé Nguyễn — DINUM")
    expect(page.locator("#count-checked-in")).to_have_text("1")
    shoot(page, "door-green")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()

    # The same ticket again: orange, with when and by whom.
    field.fill(zoe.code)
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--warn")
    expect(result).to_contain_text("Déjà entré(e)")
    expect(result).to_contain_text("par porte@numerique.gouv.fr")

    # A cancelled ticket: red.
    field.fill(cancelled.code)
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--error")
    expect(result).to_contain_text("Refusé : inscription annulée")
    shoot(page, "door-red")

    # The phone died: find her by name in the same field, one tap.
    field.fill("lefevre")
    page.get_by_role("button", name="Faire entrer Élodie Lefèvre").click()
    expect(result).to_contain_text("Élodie Lefèvre — DGFiP")
    expect(result).to_have_class("door-result door-result--ok")
    expect(page.locator("#count-checked-in")).to_have_text("2")

    # Undo names her and asks first; « Non » keeps the entry.
    page.get_by_role("button", name="Annuler l'entrée de Élodie Lefèvre…").click()
    expect(page.get_by_text("Annuler l'entrée de Élodie Lefèvre ?")).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("button", name="Non, la garder").click()
    expect(page.locator("#count-checked-in")).to_have_text("2")
    page.get_by_role("button", name="Annuler l'entrée de Élodie Lefèvre…").click()
    page.get_by_role("button", name="Oui, annuler l'entrée").click()
    expect(result).to_contain_text("Entrée annulée")
    expect(page.locator("#count-checked-in")).to_have_text("1")
    db.session.rollback()
    checked = db.session.scalars(
        select(Registration.family_name).where(Registration.checked_in_at.is_not(None))
    ).all()
    assert checked == ["Nguyễn"]
    assert elodie.id


def inside(page, locator) -> bool:
    """Tell whether the element's whole box is inside the viewport."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def assert_in_view(page, action: str, *, admit_button: bool) -> None:
    """The result panel, the field and (when listed) the first admit button are in view."""
    assert inside(page, page.locator("#result")), f"result panel out of view after {action}"
    assert inside(page, page.locator("#scan-code")), f"field out of view after {action}"
    first = page.locator("#search-results li button").first
    if admit_button:
        expect(first).to_be_visible()
    if first.count():
        assert inside(page, first), f"first admit button out of view after {action}"
    shoot(page, f"door-560-{action}")


def test_with_the_keyboard_open_everything_stays_in_view(live_server, page, db):
    event = make_event(title="Réunion d'information AMI IA", capacity=11)
    zoe = make_registration(event, given_name="Zoé", family_name="Nguyễn", organisation="DINUM")
    elodie = make_registration(
        event, given_name="Élodie", family_name="Lefèvre", organisation="DGFiP"
    )
    organisations = ["Insee", "DINUM", "DGFiP", "Cour des comptes", "Drees", "ANCT", "CNIL"]
    for index, organisation in enumerate(organisations):
        make_registration(
            event,
            given_name=["Paul", "Marie", "Luc", "Inès", "Hugo", "Léa", "Yanis"][index],
            family_name="Martin",
            organisation=organisation,
        )
    make_registration(event, given_name="Ana", family_name="Costa")  # 10 of 11 seats
    make_staff("organiser", email="organisatrice@numerique.gouv.fr")
    page.set_viewport_size(KEYBOARD_OPEN)
    log_in(page, live_server, "organisatrice@numerique.gouv.fr")
    page.goto(f"{live_server}/staff/events/{event.slug}/checkin")
    result = page.locator("#result")
    field = page.locator("#scan-code")
    assert_in_view(page, "ready", admit_button=False)

    # A scan (a hand-held scanner types the URL and Enter).
    field.fill(f"http://accueil.test/t/{zoe.code}")
    page.keyboard.press("Enter")
    expect(result).to_contain_text("Zoé Nguyễn — DINUM")
    assert_in_view(page, "scan", admit_button=False)

    # The short reference typed in lower case, without its hyphen.
    field.fill(elodie.reference.lower())
    page.keyboard.press("Enter")
    expect(result).to_contain_text("Élodie Lefèvre — DGFiP")
    expect(result).to_have_class("door-result door-result--ok")
    assert_in_view(page, "reference", admit_button=False)

    # A name: the results come right under the field, each with one-tap admit.
    field.fill("martin")
    expect(page.locator("#search-results li")).to_have_count(7)
    assert_in_view(page, "search", admit_button=True)

    # Admit from the list: the panel says who; the list stays, the next one in view.
    first_name = page.locator("#search-results li strong").first.inner_text()
    page.locator("#search-results li button").first.click()
    expect(result).to_contain_text(f"{first_name} — ")
    expect(result).to_have_class("door-result door-result--ok")
    expect(page.locator("#search-results li").first).to_contain_text("entré(e) à")
    assert_in_view(page, "admit", admit_button=True)

    # Undo: a secondary action naming the person, confirmed in the page.
    page.get_by_role("button", name=f"Annuler l'entrée de {first_name}…").click()
    page.get_by_role("button", name="Oui, annuler l'entrée").click()
    expect(result).to_contain_text("Entrée annulée")
    expect(page.locator("#search-results li").first.locator("button")).to_be_visible()
    assert_in_view(page, "undo", admit_button=True)

    # A walk-in (no address): the main panel shows them, not a small banner.
    page.get_by_text("Inscrire une personne sans billet et la faire entrer").click()
    page.get_by_label("Prénom").fill("Agnès")
    page.get_by_label("Nom", exact=True).fill("Sur-Place")
    page.get_by_label("Administration ou organisme").fill("Ministère de la Culture")
    shoot(page, "door-560-walk-in-form")
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(result).to_contain_text("Agnès Sur-Place — Ministère de la Culture")
    expect(result).to_have_class("door-result door-result--ok")
    assert_in_view(page, "walk-in", admit_button=False)

    # The event is full now (11 of 11): an organiser goes beyond, with a reason.
    page.get_by_text("Inscrire une personne sans billet et la faire entrer").click()
    page.get_by_label("Prénom").fill("Bruno")
    page.get_by_label("Nom", exact=True).fill("Intervenant")
    page.get_by_label("Administration ou organisme").fill("Cabinet du ministre")
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    # Refused without the box: the box says why, and what was typed is still there.
    expect(page.locator("#over_capacity-error")).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Bruno")
    shoot(page, "door-560-walk-in-full")
    assert page.evaluate("document.documentElement.scrollWidth") <= KEYBOARD_OPEN["width"]
    page.locator("label[for=over_capacity]").click()  # the DSFR draws the box on the label
    page.get_by_label("Motif (obligatoire au-delà de la capacité)").fill("Intervenant")
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(result).to_contain_text("Bruno Intervenant — Cabinet du ministre")
    assert_in_view(page, "walk-in-over-capacity", admit_button=False)
    expect(page.locator("#count-checked-in")).to_have_text("4")
