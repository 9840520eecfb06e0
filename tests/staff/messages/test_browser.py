"""An organiser in headless Chromium writes to those who came: compose, preview, send.

The text typed with a blank line keeps its two paragraphs through the preview's hidden
fields; a double click on « Envoyer » sends once.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_staff, outbox_messages
from tests.test_browser import ARTIFACTS, assert_accessible

pytestmark = pytest.mark.browser


def test_compose_preview_send_keeps_paragraphs_and_sends_once(live_server, page, db, people):
    make_staff("organiser", "orga@numerique.gouv.fr")
    page.goto(f"{live_server}/staff/events/reunion-passee/messages/new")
    page.get_by_label("Adresse électronique").fill("orga@numerique.gouv.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire aux participants")
    # The DSFR draws its own radios and boxes: a person clicks the label.
    page.get_by_text("Venus (entrée enregistrée)").click()
    page.get_by_label("Objet").fill("Les supports")
    page.get_by_label("Message").fill("Merci d'être venus.\n\nLes supports sont en ligne.")
    page.get_by_text("Joindre à chaque personne son attestation de présence (PDF)").click()
    page.get_by_role("button", name="Voir l'aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu du message")
    expect(page.locator(".message-preview")).to_contain_text("Bonjour Camille Lefèvre,")
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "message-preview-phone.png"), full_page=True)
    page.get_by_role("button", name="Envoyer à 2 personnes").dblclick()  # an impatient double click

    expect(page.get_by_role("heading", level=1)).to_have_text("Message envoyé")
    expect(page.get_by_role("status")).to_contain_text("Le message part à 2 personnes.")
    assert_accessible(page)

    rows = outbox_messages("message_certificate")
    assert len(rows) == 2
    assert "Merci d'être venus.\n\nLes supports sont en ligne." in rows[0].body_text
