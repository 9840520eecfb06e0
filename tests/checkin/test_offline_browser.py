"""The door without network, in headless Chromium at 390×844: the issue's scenario end to end.

The phone stores the tickets, loses the network, lets three people in from its copy while
another phone admits a fourth online, which the phone scans too; back online, the server keeps
the offline times and lists the conflict for staff. A reload offline still shows the door; a
logout leaves nothing on the device.
"""

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.api import tokens
from tests.factories import PASSWORD, make_event, make_registration, make_staff

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOOR_STORAGE = """async () => {
  const databases = (await indexedDB.databases()).map((d) => d.name);
  const cached = await caches.keys();
  const workers = await navigator.serviceWorker.getRegistrations();
  return {databases, cached, workers: workers.length};
}"""


def log_in(page, server: str, email: str) -> None:
    page.goto(f"{server}/staff/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server}/staff/**")


def api(server: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    """Call the API over HTTP as another device would (urllib: no browser involved)."""
    request = urllib.request.Request(
        f"{server}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "X-Device": "autre-telephone",
        },
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 (the test's own server)
        return response.status, json.load(response)


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_door_keeps_working_offline(live_server, page, db):
    now = datetime.now(UTC)
    event = make_event(starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2))
    people = [
        make_registration(event, given_name=given, family_name=family, organisation="DINUM")
        for given, family in [
            ("Zoé", "Nguyễn"),
            ("Élodie", "Lefèvre"),
            ("Karim", "Benali"),
            ("Anne", "Quatrième"),
            ("Paul", "Défait"),
        ]
    ]
    cancelled = make_registration(
        event, given_name="Jean", family_name="Annulé", status="cancelled"
    )
    make_staff("checkin", email="porte@numerique.gouv.fr")
    make_staff("checkin", email="porte2@numerique.gouv.fr")
    make_staff("organiser", email="orga@numerique.gouv.fr")
    make_staff("viewer", email="lecture@numerique.gouv.fr")
    _, other_phone = tokens.create_token("porte2@numerique.gouv.fr")
    _, reader = tokens.create_token("lecture@numerique.gouv.fr")
    context = page.context
    door = f"{live_server}/staff/events/{event.slug}/checkin"

    log_in(page, live_server, "porte@numerique.gouv.fr")
    page.goto(door)
    body = page.locator("body")
    status = page.locator("#offline-status")
    result = page.locator("#result")
    expect(body).to_have_attribute("data-offline", "ready")
    expect(status).to_have_text(
        f"Prêt hors ligne\u202f: 6 billets, à jour à {datetime.now(event.tz):%H:%M}"
    )
    # The service worker holds the page and its files before the network goes.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        "() => caches.open('accueil-door-v1').then((c) => c.match(location.pathname))"
        ".then((r) => !!r)"
    )
    shoot(page, "door-offline-ready.png")

    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    offline_from = datetime.now(UTC)
    typed = [
        f"http://accueil.test/t/{people[0].code}",
        people[1].code,
        f"{people[2].reference[:4]}-{people[2].reference[4:]}".lower(),
    ]
    for count, (text, person) in enumerate(zip(typed, people, strict=False), start=1):
        page.locator("#scan-code").fill(text)
        page.keyboard.press("Enter")
        expect(result).to_have_class("door-result door-result--ok")
        expect(result).to_contain_text(f"{person.given_name} {person.family_name}")
        expect(body).to_have_attribute("data-pending", str(count))
    offline_until = datetime.now(UTC)
    expect(status).to_contain_text("Hors ligne")
    expect(status).to_contain_text("3 scans attendent l'envoi.")

    # Meanwhile another phone, online, lets the fourth person in; this phone scans her too.
    assert (
        api(live_server, f"/events/{event.slug}/checkins", other_phone, {"code": people[3].code})[0]
        == 200
    )
    page.locator("#scan-code").fill(people[3].code)
    page.keyboard.press("Enter")
    # Wait for her own verdict (the class alone is still the previous scan's) before the next.
    expect(body).to_have_attribute("data-pending", "4")
    expect(result).to_contain_text(f"{people[3].given_name} {people[3].family_name}")
    expect(result).to_have_class("door-result door-result--ok")
    # Known offline: the same ticket again is orange, a cancelled one red.
    page.locator("#scan-code").fill(people[0].code)
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--warn")
    page.locator("#scan-code").fill(cancelled.reference)
    page.keyboard.press("Enter")
    expect(result).to_have_class("door-result door-result--error")
    expect(result).to_contain_text("Refusé : inscription annulée")
    # A fifth, found by name and let in by mistake, then undone while still queued.
    page.locator("#scan-code").fill("defait")
    page.get_by_role("button", name="Faire entrer Paul Défait").click()
    expect(result).to_contain_text("Paul Défait")
    expect(body).to_have_attribute("data-pending", "5")
    page.get_by_role("button", name="Annuler l'entrée de Paul Défait…").click()
    page.get_by_role("button", name="Oui, annuler l'entrée").click()
    expect(result).to_contain_text("Entrée annulée")
    expect(body).to_have_attribute("data-pending", "4")
    # The counters count this phone's scans (the copy did not know of the other phone's).
    expect(page.locator("#count-checked-in")).to_have_text("4", timeout=10000)
    shoot(page, "door-offline-queue.png")

    # A reload without network still shows the door, with its queue.
    response = page.reload()
    assert response is None or response.from_service_worker
    expect(page.get_by_role("heading", name="Accueil à la porte")).to_be_visible()
    expect(body).to_have_attribute("data-pending", "4")
    expect(body).to_have_attribute("data-network", "offline")
    shoot(page, "door-offline-reloaded.png")

    page.wait_for_timeout(5000)  # the "at least 5 s" offline
    back_online = datetime.now(UTC)
    context.set_offline(False)
    expect(body).to_have_attribute("data-pending", "0", timeout=20000)
    conflicts = page.locator("#offline-conflicts")
    expect(conflicts).to_contain_text("Anne Quatrième")
    expect(result).to_contain_text("Conflit")
    shoot(page, "door-offline-conflict.png")

    rows = {
        row["family_name"]: row
        for row in api(live_server, f"/events/{event.slug}/registrations", reader)[1][
            "registrations"
        ]
    }
    for person in people[:3]:
        checked_in_at = datetime.fromisoformat(rows[person.family_name]["checked_in_at"])
        assert offline_from <= checked_in_at <= offline_until < back_online - timedelta(seconds=5)
        assert rows[person.family_name]["conflict"] is False
    assert rows["Quatrième"]["conflict"] is True
    assert rows["Défait"]["checked_in_at"] is None

    # Staff see the conflict with both scans: who, when, which device.
    staff = context.browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    staff_page = staff.new_page()
    log_in(staff_page, live_server, "orga@numerique.gouv.fr")
    staff_page.goto(f"{live_server}/staff/events/{event.slug}")
    section = staff_page.locator("section", has=staff_page.get_by_role("heading", name="Conflits"))
    expect(section).to_contain_text("Anne Quatrième")
    expect(section).to_contain_text("porte2@numerique.gouv.fr")
    expect(section).to_contain_text("porte@numerique.gouv.fr")
    expect(section).to_contain_text("autre-telephone")
    expect(section).to_contain_text("hors ligne")
    section.screenshot(path=str(SCREENSHOTS / "staff-conflicts.png"))
    staff_page.set_viewport_size({"width": 1280, "height": 900})
    section.screenshot(path=str(SCREENSHOTS / "staff-conflicts-desktop.png"))
    staff.close()

    # Logout: nothing of the door stays on the phone.
    assert page.evaluate(DOOR_STORAGE)["databases"]
    page.goto(f"{live_server}/staff/")
    page.get_by_role("button", name="Menu").click()  # a phone: the header's tools are in it
    page.get_by_role("dialog").get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server}/staff/login")
    page.wait_for_function(
        "async () => !(await indexedDB.databases()).some((d) => d.name.startsWith('accueil-door'))"
    )
    left = page.evaluate(DOOR_STORAGE)
    assert left == {"databases": [], "cached": [], "workers": 0}


def test_copy_is_wiped_once_the_event_is_over(live_server, page, db):
    now = datetime.now(UTC)
    # Ends in 12 seconds: the door stores its copy, then the next refresh hears « event_over ».
    event = make_event(starts_at=now - timedelta(hours=2), ends_at=now + timedelta(seconds=12))
    make_registration(event)
    make_staff("checkin", email="porte@numerique.gouv.fr")
    log_in(page, live_server, "porte@numerique.gouv.fr")
    page.goto(f"{live_server}/staff/events/{event.slug}/checkin")
    expect(page.locator("body")).to_have_attribute("data-offline", "ready")

    page.wait_for_function("() => !document.body.dataset.offline", timeout=40000)
    page.wait_for_function(
        "async () => !(await indexedDB.databases()).some((d) => d.name.startsWith('accueil-door'))"
    )
