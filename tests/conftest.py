"""Fixtures: a migrated database (SQLite file, or TEST_DATABASE_URL), the app and its clients."""

import os
import re
import shutil
import threading

import pytest
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db as _db
from config import TestingConfig, database_url

#: Factories and the fixtures built on them (staff, admin, organiser, outbox…), suite-wide.
pytest_plugins = ["tests.factories", "tests.worker.fixtures"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real headless Chromium")
    config.addinivalue_line("markers", "postgres: needs TEST_DATABASE_URL (PostgreSQL)")
    config.addinivalue_line("markers", "concurrency: bursts against gunicorn workers")


def reset_database(url: str) -> None:
    """Give PostgreSQL an empty public schema (SQLite files start empty)."""
    if url.startswith("postgresql"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    """Return the URL of a database migrated to head, for the whole session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = database_url(url)
        reset_database(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(TestingConfig, instance_path=str(instance), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


@pytest.fixture
def app(database_uri, tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path / "instance"),
        SQLALCHEMY_DATABASE_URI=database_uri,
    )
    yield app
    with app.app_context():
        _db.session.remove()
        # Empty every table, children first, so that each test starts clean.
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
        _db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def post_form(client):
    """Post a form as a browser does: fetch the page, then send its CSRF token."""

    def post(url: str, data: dict, page: str | None = None):
        html = client.get(page or url).text
        if not CSRF_INPUT.search(html):
            # A page that shows no form (full, closed...): a stale tab still has
            # a token of this session; any form of the site gives the same one.
            html = client.get("/staff/login").text
        return client.post(url, data={"csrf_token": csrf_token(html), **data})

    return post


@pytest.fixture
def chromium_path() -> str:
    """Return Debian's chromium; CI (ACCUEIL_REQUIRE_BROWSER=1) must have it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("ACCUEIL_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (ACCUEIL_REQUIRE_BROWSER is set) but missing")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def _closed_at_once(app):
    """Read each response whole and close it before the server writes it.

    Werkzeug's development server closes a response only after draining the socket, and
    that raises when the browser has reset the connection (it does, leaving a page): the
    response, a static file, then stays open and its ResourceWarning fails whichever test
    the garbage collector lands in.
    """

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, _closed_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
        yield context.new_page()
        browser.close()
