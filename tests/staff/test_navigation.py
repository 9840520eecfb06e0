"""Staff reach every action of an event by clicking: the dashboard's rows, the event page and the
attendee list show each role the actions its permissions allow (app/staff/events/actions.py),
and a hidden action's address still refuses. Headless Chromium for the journeys."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import url_for
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from app.staff.events.actions import ACTIONS
from tests.conftest import csrf_token
from tests.factories import PASSWORD, log_in, make_event, make_registration, make_staff
from tests.test_browser import assert_accessible

EXPORTS = {
    "Liste des inscrits, tableur CSV": "csv",
    "Liste des inscrits, classeur Excel (XLSX)": "xlsx",
    "Toutes les inscriptions, avec attente et annulations (XLSX)": "xlsx",
    "Feuille d'émargement à imprimer (PDF)": "pdf",
    "Badges nominatifs à imprimer (PDF)": "pdf",
}
DOOR = "Écran d'accueil (entrée)"
ADD = "Ajouter une personne"
WRITE = "Écrire aux participants"
MANAGING = [
    "Modifier",
    "Repasser en brouillon",
    "Nouvelle session à partir de celle-ci",
    "Annuler la réunion",
]
#: What each role sees on a published event's page, in order (the door role has no such page).
SHOWN = {
    "admin": [DOOR, "Liste des inscrits", ADD, WRITE, *EXPORTS, *MANAGING],
    "organiser": [DOOR, "Liste des inscrits", ADD, WRITE, *EXPORTS, *MANAGING],
    "viewer": ["Liste des inscrits", *EXPORTS],
}


def log_in_with_the_form(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/staff/")  # the one address typed: the way in
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def read_download(download, kind: str) -> str:
    """Open a downloaded file with the reader of its type; return some of its text."""
    data = Path(download.path()).read_bytes()
    if kind == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        return " ".join(cell for row in rows for cell in row)
    if kind == "xlsx":
        assert zipfile.is_zipfile(io.BytesIO(data))
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert data.startswith(b"%PDF-")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.browser
def test_from_the_dashboard_to_each_export_and_the_door_by_clicking_only(live_server, page, db):
    event = make_event(title="Réunion d'information AMI IA")
    make_registration(event, given_name="Zoé", family_name="Nguyễn", organisation="DINUM")
    make_staff("organiser", "orga@numerique.gouv.fr")
    log_in_with_the_form(page, live_server, "orga@numerique.gouv.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    # The menu (behind the « Menu » button on a phone) marks the page shown.
    current = page.locator("#navigation-organisateurs [aria-current]")
    expect(current).to_have_text("Tableau de bord")
    expect(current).to_have_attribute("aria-current", "page")

    for label, kind in EXPORTS.items():
        menu = page.locator("details.row-actions").first
        menu.get_by_text("Actions").click()
        with page.expect_download() as download:
            menu.get_by_role("link", name=label).click()
        text = read_download(download.value, kind)
        assert "Nguy" in text, f"{label}: the attendee is not in the file"
        assert download.value.suggested_filename.endswith(f".{kind}")
        menu.get_by_text("Actions").click()  # closed again
    assert page.url == f"{live_server}/staff/"  # downloads, not pages

    # The event page, then the door screen.
    page.get_by_role("link", name="Réunion d'information AMI IA").first.click()
    actions = page.get_by_role("navigation", name="Actions sur la réunion")
    expect(actions).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="Vous êtes ici")
    expect(breadcrumb.locator("[aria-current=page]")).to_have_text("Réunion d'information AMI IA")
    # The dashboard's menu item marks the section the event page belongs to.
    expect(current).to_have_text("Tableau de bord")
    expect(current).to_have_attribute("aria-current", "true")
    assert_accessible(page)
    actions.get_by_role("link", name="Liste des inscrits", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inscrits")
    expect(
        page.get_by_role("navigation", name="Actions sur la réunion").get_by_role(
            "link", name="Liste des inscrits", exact=True
        )
    ).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    page.get_by_role("link", name=DOOR).click()
    expect(page).to_have_url(f"{live_server}/staff/events/{event.slug}/checkin")
    expect(page.locator("h1")).to_contain_text("Réunion d'information AMI IA")


@pytest.mark.browser
def test_door_staff_reach_their_door_from_their_home_by_clicking(live_server, page, db):
    event = make_event(title="Réunion d'information AMI IA")
    make_staff("checkin", "porte@numerique.gouv.fr")
    log_in_with_the_form(page, live_server, "porte@numerique.gouv.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil des participants")
    expect(page.get_by_text("Actions")).to_have_count(0)
    page.get_by_role("link", name="Réunion d'information AMI IA").click()
    expect(page).to_have_url(f"{live_server}/staff/events/{event.slug}/checkin")


def shown_actions(html: str) -> list[str]:
    """The labels of the event page's action links and buttons, in order."""
    nav = html.split('aria-label="Actions sur la réunion"', 1)[1].split("</nav>", 1)[0]
    labels = re.findall(r"<(?:a|button)\b[^>]*>([^<]+)</(?:a|button)>", nav)
    return [label.strip().replace("&#39;", "'") for label in labels]


def refuses(client, action, event) -> bool:
    """Whether the action's address answers 403; a POST carries a valid CSRF token, so that
    the refusal comes from the role."""
    with client.application.test_request_context():
        url = url_for(action.endpoint, slug=event.slug, **action.args)
    if action.method == "post":
        token = csrf_token(client.get("/staff/password").text)
        return client.post(url, data={"csrf_token": token}).status_code == 403
    return client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["admin", "organiser", "viewer"])
def test_each_role_sees_the_actions_its_permissions_allow_and_no_other(client, db, role):
    event = make_event(title="Réunion d'information AMI IA")
    log_in(client, make_staff(role))
    page = client.get(f"/staff/events/{event.slug}").text
    assert shown_actions(page) == SHOWN[role]

    # The dashboard's row and the attendee list link to the same actions.
    dashboard = client.get("/staff/").text.replace("&#39;", "'")
    for label in SHOWN[role]:
        assert label in dashboard, f"{label} missing from the dashboard row"
    attendees = client.get(f"/staff/events/{event.slug}/attendees").text
    assert shown_actions(attendees) == [label for label in SHOWN[role] if label not in MANAGING]

    # What is hidden is refused all the same.
    for action in ACTIONS:
        if str(action.label) not in SHOWN[role] and action.when(event):
            assert refuses(client, action, event), f"{role} may reach {action.endpoint}"


def test_door_staff_see_the_door_only_and_every_other_action_refuses(client, db):
    event = make_event(title="Réunion d'information AMI IA")
    log_in(client, make_staff("checkin"))
    home = client.get("/staff/").text
    assert "Accueil des participants" in home and f"/staff/events/{event.slug}/checkin" in home
    assert "Actions" not in home
    assert client.get(f"/staff/events/{event.slug}").status_code == 403
    for action in ACTIONS:
        if action.endpoint != "checkin.screen":
            assert refuses(client, action, event), f"door staff may reach {action.endpoint}"
    assert client.get(f"/staff/events/{event.slug}/checkin").status_code == 200


def test_a_draft_has_no_door_yet_and_a_cancelled_event_keeps_only_its_record(client, db):
    draft = make_event(status="draft")
    cancelled = make_event(status="cancelled")
    log_in(client, make_staff("organiser"))
    draft_actions = shown_actions(client.get(f"/staff/events/{draft.slug}").text)
    assert DOOR not in draft_actions and "Publier" in draft_actions
    gone = shown_actions(client.get(f"/staff/events/{cancelled.slug}").text)
    assert "Modifier" not in gone and "Annuler la réunion" not in gone
    assert "Nouvelle session à partir de celle-ci" in gone and "Liste des inscrits" in gone
