"""The attendee list in headless Chromium: on a 390 px phone a card per person with the status
in view and no sideways scrolling; on a desktop the header's columns over their content."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_event, make_registration, make_staff
from tests.test_browser import ARTIFACTS, assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def attendees(db):
    event = make_event(title="Réunion d'information AMI IA")
    make_registration(
        event,
        given_name="Jean-Baptiste",
        family_name="de La Rochefoucauld-Montmorency",
        email="jean-baptiste.de-la-rochefoucauld-montmorency@interieur.gouv.fr",
        organisation="Direction générale des finances publiques (DGFiP)",
    )
    make_registration(event, given_name="Zoé", family_name="Nguyễn", organisation="DINUM")
    make_registration(event, family_name="Chevalier", status="waitlisted", waitlist_position=1)
    return event


def open_list(page, live_server, event) -> None:
    staff = make_staff("viewer")
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Adresse électronique").fill(staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name=event.title).first.click()
    page.get_by_role("link", name="Liste des inscrits", exact=True).click()
    expect(page.get_by_text("3 inscriptions trouvées.")).to_be_visible()


def test_on_a_phone_each_person_is_a_card_with_the_status_in_view(live_server, page, attendees):
    open_list(page, live_server, attendees)
    width = page.viewport_size["width"]
    assert width == 390
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for index in range(3):
        status = rows.nth(index).locator(".fr-badge").first
        expect(status).to_be_visible()
        box = status.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, "status off the screen"
        row = rows.nth(index).bounding_box()
        assert row["x"] >= 0 and row["x"] + row["width"] <= width
    expect(rows.first).to_contain_text("Chevalier")
    expect(rows.first).to_contain_text("Attente n° 1")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-attendees-phone.png"), full_page=True)


def test_on_a_desktop_each_header_sits_over_its_column(live_server, page, attendees):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_list(page, live_server, attendees)
    edges = page.evaluate(
        """() => {
          const table = document.querySelector(".attendee-table table");
          const box = (cell) => cell.getBoundingClientRect();
          const left = (cells) => [...cells].map((cell) => Math.round(box(cell).left));
          const width = (cells) => [...cells].map((cell) => Math.round(box(cell).width));
          const head = table.querySelectorAll("thead th");
          const rows = [...table.querySelectorAll("tbody tr")].map((row) => row.children);
          return {
            head: left(head), headWidth: width(head),
            rows: rows.map(left), rowWidth: rows.map(width),
          };
        }"""
    )
    assert len(edges["head"]) == 5
    for left, width in zip(edges["rows"], edges["rowWidth"], strict=True):
        assert left == edges["head"] and width == edges["headWidth"]
    # The whole table in its box: no sideways scrolling to reach the last column.
    container = page.locator(".attendee-table .fr-table__container")
    assert container.evaluate("(box) => box.scrollWidth <= box.clientWidth")
    # A status stays on one line.
    badge = page.locator("table tbody tr").first.locator(".fr-badge").first
    assert badge.bounding_box()["height"] < 2 * 16 * 1.25
    assert_accessible(page)
