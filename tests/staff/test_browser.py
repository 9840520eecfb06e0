"""Staff in headless Chromium: log in, duplicate a session, publish it, read the attendee list.

axe-core checks every staff page visited against WCAG 2.1 A and AA.
"""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Event
from tests.factories import PASSWORD, make_event, make_registration, make_staff
from tests.test_browser import ARTIFACTS, assert_accessible

pytestmark = pytest.mark.browser


def test_log_in_duplicate_publish_and_read_the_attendees(live_server, page, db):
    source = make_event(
        slug="reunion-information-ami-ia-2031",
        title="Réunion d'information AMI IA",
        starts_at=datetime(2031, 4, 16, 12, 0, tzinfo=UTC),
        capacity=2,
    )
    make_registration(source, given_name="Zoé", family_name="Nguyễn", organisation="DINUM")
    make_registration(source, family_name="Bernard", organisation="DGFiP")
    make_registration(source, family_name="Chevalier", status="waitlisted", waitlist_position=1)
    make_staff("organiser", "orga@numerique.gouv.fr")

    # Log in: the dashboard asks for it first.
    page.goto(f"{live_server}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace organisateurs")
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill("orga@numerique.gouv.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    expect(page.locator("tbody").get_by_role("cell", name="2 / 2")).to_be_visible()
    assert_accessible(page)

    # Duplicate the meeting into a new session.
    page.get_by_role("link", name="Réunion d'information AMI IA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunion d'information AMI IA")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle session à partir de celle-ci").click()
    assert_accessible(page)
    page.get_by_label("Date de la nouvelle session").fill("2031-11-13")
    page.get_by_role("button", name="Créer la nouvelle session").click()
    expect(page.get_by_text("La nouvelle session est créée en brouillon.")).to_be_visible()
    expect(page.locator(".fr-badge", has_text="Brouillon")).to_be_visible()
    expect(page.get_by_text("jeudi 13 novembre 2031, de 14 h à 16 h")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("La réunion est publiée")).to_be_visible()
    expect(page.locator(".fr-badge", has_text="Publiée")).to_be_visible()

    db.session.rollback()  # end the test's read snapshot to see the server's writes
    copy = db.session.scalar(
        select(Event).where(Event.slug == "reunion-information-ami-ia-2031-11-13")
    )
    assert copy.status == "published"
    assert copy.starts_at == datetime(2031, 11, 13, 13, 0, tzinfo=UTC)  # 14:00 in Paris
    assert copy.registrations.count() == 0

    # The attendee list of the first session: search, then one person's page.
    page.goto(f"{live_server}/staff/events/{source.slug}/attendees")
    expect(page.get_by_text("3 inscriptions trouvées.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("searchbox", name="Rechercher").fill("nguy")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_text("1 inscription trouvée.")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("DINUM")
    page.get_by_label("Inscriptions à afficher").select_option("waitlisted")
    page.get_by_role("searchbox", name="Rechercher").fill("")
    page.get_by_role("button", name="Appliquer").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Attente n° 1")
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Chevalier")
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-attendee.png"), full_page=True)
