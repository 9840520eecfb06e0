"""A person registers with the keyboard in headless Chromium; axe-core finds no WCAG A/AA issue."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Registration
from tests.factories import make_event

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def assert_accessible(page) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_register_with_the_keyboard_and_see_the_ticket(live_server, page, db):
    event = make_event(title="Réunion d'information AMI IA", capacity=150)
    page.goto(f"{live_server}/e/{event.slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    assert_accessible(page)

    # Keyboard only: focus the first field by its label, then Tab between fields.
    page.get_by_label("Prénom").focus()
    page.keyboard.type("Zoé")
    page.keyboard.press("Tab")
    page.keyboard.type("N'Guyễn-Łukasiewicz")
    page.keyboard.press("Tab")
    page.keyboard.type("zoe.nguyen@numerique.gouv.fr")
    page.keyboard.press("Tab")
    page.keyboard.type("DINUM")
    page.keyboard.press("Tab")
    page.keyboard.type("Cheffe de projet IA")
    page.keyboard.press("Tab")
    page.keyboard.type("01 23 45 67 89")
    page.keyboard.press("Tab")
    page.keyboard.type("Aucun")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the consent checkbox
    expect(page.get_by_label("J'accepte")).to_be_checked()
    page.keyboard.press("Tab")  # the privacy link in the hint
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="M'inscrire")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Votre inscription est confirmée.")).to_be_visible()
    expect(page.get_by_text("Zoé N'Guyễn-Łukasiewicz")).to_be_visible()
    db.session.rollback()  # end the test's read snapshot to see the server's write
    registration = db.session.scalars(select(Registration)).one()
    assert page.url == f"{live_server}/t/{registration.code}"
    assert registration.organisation == "DINUM"
    assert_accessible(page)


def test_errors_are_shown_next_to_the_fields_and_accessible(live_server, page, db):
    event = make_event()
    page.goto(f"{live_server}/e/{event.slug}")
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_label("Adresse électronique professionnelle").fill("pas-une-adresse")
    page.get_by_role("button", name="M'inscrire").click()

    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Zoé")
    email = page.get_by_label("Adresse électronique professionnelle")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_contain_text("adresse électronique valide")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "event-errors.png"), full_page=True)
