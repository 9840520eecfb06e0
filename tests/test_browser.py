"""A person's journey in headless Chromium, phone-sized: keyboard only from the home page to the
ticket; the focus after a failed submit; the ticket's QR code full screen, its print layout
(one A4 page); the event page's copy-link button. axe-core checks the pages it passes."""

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader
from sqlalchemy import select

from app.models import Registration
from tests.conftest import CHROMIUM_ARGS
from tests.factories import make_event, make_registration

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def assert_accessible(page) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.innerText || document.activeElement.id || ''")


def tab_to(page, text: str, limit: int = 40) -> None:
    """Press Tab until the focused element says `text` (keyboard only, as a person would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in focused_text(page):
            return
    raise AssertionError(f"{text!r} never got the focus")


def test_register_with_the_keyboard_only_from_the_home_page_to_the_ticket(live_server, page, db):
    event = make_event(title="Réunion d'information AMI IA", capacity=150)
    page.goto(live_server + "/")
    assert_accessible(page)

    # The skip link, then the first meeting of the list.
    page.keyboard.press("Tab")
    assert focused_text(page) == "Aller au contenu"
    page.keyboard.press("Enter")
    tab_to(page, event.title)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)

    # "S'inscrire" leads to the form: the next Tab reaches its first field.
    tab_to(page, "S'inscrire")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Prénom")).to_be_focused()
    for value in [
        "Zoé",
        "N'Guyễn-Łukasiewicz",
        "zoe.nguyen@numerique.gouv.fr",
        "DINUM",
        "Cheffe de projet IA",
        "01 23 45 67 89",
        "Aucun",
    ]:
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    # No consent box: the privacy notice's link, then the button it describes.
    assert focused_text(page) == "Vos droits et comment les exercer"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="M'inscrire")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Votre inscription est confirmée.")).to_be_visible()
    expect(page.locator(".ticket").get_by_text("Zoé N'Guyễn-Łukasiewicz")).to_be_visible()
    db.session.rollback()  # end the test's read snapshot to see the server's write
    registration = db.session.scalars(select(Registration)).one()
    assert page.url == f"{live_server}/t/{registration.code}"
    assert registration.organisation == "DINUM"
    reference = f"{registration.reference[:4]}-{registration.reference[4:]}"
    expect(page.locator(".ticket .reference")).to_have_text(reference)
    assert re.fullmatch(r"[ACEFGHJKMNPRTWXY34679]{4}-[ACEFGHJKMNPRTWXY34679]{4}", reference)
    assert_accessible(page)

    # The QR code, full screen, with the keyboard too; Escape closes it.
    tab_to(page, "Agrandir le QR code")
    page.keyboard.press("Enter")
    dialog = page.locator("#qr-plein-ecran")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("luminosité")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_a_failed_submit_brings_the_error_summary_into_view_with_the_focus(live_server, page, db):
    event = make_event()
    page.goto(f"{live_server}/e/{event.slug}")
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_label("Adresse électronique professionnelle").fill("pas-une-adresse")
    page.get_by_role("button", name="M'inscrire").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Le formulaire contient des erreurs")
    expect(page.get_by_label("Prénom")).to_have_value("Zoé")
    email = page.get_by_label("Adresse électronique professionnelle")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email-error")).to_contain_text("adresse électronique valide")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "event-errors.png"), full_page=True)

    # Each line of the summary leads to its field.
    summary.get_by_role("link", name=re.compile("Adresse électronique")).click()
    expect(email).to_be_focused()


def test_the_qr_code_fills_a_phone_screen_and_the_ticket_prints_on_one_a4_page(
    live_server, page, db
):
    registration = make_registration(make_event(), given_name="Zoé", family_name="Nguyễn")
    page.goto(f"{live_server}/t/{registration.code}")
    small = page.locator(".ticket-qr svg").bounding_box()["width"]
    page.get_by_role("button", name=re.compile("Agrandir le QR code")).click()
    large = page.locator("#qr-plein-ecran svg").bounding_box()
    assert small >= 224  # larger than it was, on the ticket itself
    assert large["width"] >= 0.9 * 390 and large["width"] > small
    assert large["y"] + large["height"] <= 844  # whole, on the screen
    page.keyboard.press("Escape")

    expect(page.get_by_role("button", name="Imprimer le billet")).to_be_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Zoé Nguyễn" in text and registration.reference[:4] in text


def test_the_event_page_copies_its_link(live_server, chromium_path, db):
    event = make_event()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
        page = context.new_page()
        page.goto(f"{live_server}/e/{event.slug}")
        calendar = page.get_by_role("region", name="Ajouter à mon agenda, partager")
        ics = calendar.get_by_role("link", name=re.compile(r"\.ics"))
        expect(ics).to_have_attribute("href", f"/e/{event.slug}/event.ics")
        expect(calendar.get_by_role("link", name="Google Agenda")).to_have_attribute(
            "href", re.compile(r"^https://calendar\.google\.com/")
        )
        expect(calendar.get_by_role("link", name="Outlook.com")).to_have_attribute(
            "href", re.compile(r"^https://outlook\.live\.com/")
        )
        calendar.get_by_role("button", name="Copier le lien de la réunion").click()
        expect(page.locator("#copy-status")).to_contain_text("Lien de la réunion copié")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == f"http://accueil.test/e/{event.slug}"
        browser.close()
