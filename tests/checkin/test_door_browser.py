"""The door screen in headless Chromium, phone-sized: typed code, then name search."""

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

    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Adresse électronique").fill("porte@numerique.gouv.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/staff/events/{event.slug}/checkin")
    result = page.locator("#result")

    # A hand-held scanner types the ticket URL and Enter.
    page.locator("#scan-code").fill(f"http://accueil.test/t/{zoe.code}")
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--ok")
    expect(result).to_contain_text("Entrée enregistrée")
    expect(result).to_contain_text("Zoé Nguyễn — DINUM")
    expect(page.locator("#count-checked-in")).to_have_text("1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "door-green.png"))
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()

    # The same ticket again: orange, with when and by whom.
    page.locator("#scan-code").fill(zoe.code)
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--warn")
    expect(result).to_contain_text("Déjà entré(e)")
    expect(result).to_contain_text("par porte@numerique.gouv.fr")

    # A cancelled ticket: red.
    page.locator("#scan-code").fill(cancelled.code)
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--error")
    expect(result).to_contain_text("Refusé : inscription annulée")
    page.screenshot(path=str(SCREENSHOTS / "door-red.png"))

    # The phone died: find her by name, one tap.
    page.get_by_label("Nom, prénom ou organisation").fill("lefevre")
    page.get_by_role("button", name="Faire entrer Élodie Lefèvre").click()
    expect(result).to_contain_text("Élodie Lefèvre — DGFiP")
    expect(result).to_have_class("door-result door-result--ok")
    expect(page.locator("#count-checked-in")).to_have_text("2")

    # Undo the last one.
    page.get_by_role("button", name="Annuler la dernière entrée").click()
    expect(result).to_contain_text("Entrée annulée")
    expect(page.locator("#count-checked-in")).to_have_text("1")
    db.session.rollback()
    checked = db.session.scalars(
        select(Registration.family_name).where(Registration.checked_in_at.is_not(None))
    ).all()
    assert checked == ["Nguyễn"]
    assert elodie.id
