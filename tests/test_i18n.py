"""Languages: the catalogue is complete, extraction finds nothing untranslated, French gets
French typography and plurals, and each visitor gets the language they chose."""

import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, ngettext

from app import create_app, i18n
from app.models import StaffUser
from config import ProductionConfig
from tests.factories import log_in, make_event, make_staff

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app/translations/en/LC_MESSAGES/messages.po"


def read_catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def ids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


def test_the_english_catalogue_is_complete_and_consistent():
    catalogue = read_catalogue(CATALOGUE)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]
    assert untranslated == []
    problems = [(message.id, str(error)) for message in catalogue for error in message.check()]
    assert problems == []  # placeholders missing, extra or of another type


def test_extraction_finds_nothing_the_catalogue_lacks(tmp_path):
    pot = tmp_path / "messages.pot"
    # The documented command's own extraction step (`make translations` runs it first).
    subprocess.run(["make", "-s", "pot", f"POT={pot}"], cwd=ROOT, check=True)
    extracted, translated = ids(read_catalogue(pot)), ids(read_catalogue(CATALOGUE))
    assert sorted(extracted - translated, key=str) == [], "run `make translations`"
    assert sorted(translated - extracted, key=str) == [], "stale entries: `make translations`"


def test_the_compiled_catalogue_is_up_to_date():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists(), "the catalogue is compiled by `make test` / `make run`"
    assert compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime, "recompile: `make test`"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date : 16 avril", "Date\u202f: 16 avril"),
        ("Vraiment ? Oui ! Non ; peut-être", "Vraiment\u202f? Oui\u202f! Non\u202f; peut-être"),
        ("« Intelligence artificielle »", "«\u202fIntelligence artificielle\u202f»"),
        ("https://exemple.gouv.fr/a?b=c", "https://exemple.gouv.fr/a?b=c"),
        ("14:05", "14:05"),
    ],
)
def test_french_typography(text, expected):
    assert i18n.french_typography(text) == expected


def test_french_output_gets_french_rules_and_english_its_own(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert gettext("Date : %(when)s", when="x") == "Date\u202f: x"
        found = "%(num)s inscription trouvée.", "%(num)s inscriptions trouvées."
        assert [ngettext(*found, n) for n in (0, 1, 2)] == [
            "0 inscription trouvée.",
            "1 inscription trouvée.",
            "2 inscriptions trouvées.",
        ]
        with force_locale("en"):
            assert ngettext(*found, 0) == "0 registrations found."
            assert gettext("Liste d'attente : %(title)s", title="IA") == "Waiting list: IA"


@pytest.mark.parametrize(
    ("headers", "cookie", "expected"),
    [
        ({}, None, "fr"),
        ({"Accept-Language": "en-GB,en;q=0.9"}, None, "en"),
        ({"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}, None, "en"),
        ({"Accept-Language": "de-DE"}, None, "fr"),
        ({"Accept-Language": "en"}, "fr", "fr"),
        ({"Accept-Language": "fr"}, "en", "en"),
        ({}, "xx", "fr"),
    ],
)
def test_the_page_language(client, db, headers, cookie, expected):
    if cookie:
        client.set_cookie("lang", cookie)
    page = client.get("/", headers=headers).text
    assert f'<html lang="{expected}">' in page


def test_the_switch_remembers_the_choice_and_stays_on_the_page(client, db):
    event = make_event()
    response = client.get(f"/langue/en?next=/e/{event.slug}")
    assert response.status_code == 303 and response.headers["Location"] == f"/e/{event.slug}"
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get(f"/e/{event.slug}").text
    assert '<html lang="en">' in page and "Register" in page
    # Only a path of this site: never a redirect elsewhere.
    for outside in ("https://evil.test/", "//evil.test", "/\\evil.test"):
        assert client.get("/langue/fr", query_string={"next": outside}).headers["Location"] == "/"


def test_staff_keep_their_language_on_every_device(app, client, db):
    user = make_staff("organiser")
    log_in(client, user)
    client.get("/langue/en?next=/staff/")
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).locale == "en"
    other_device = app.test_client()
    log_in(other_device, user)
    page = other_device.get("/staff/", headers={"Accept-Language": "fr"}).text
    assert '<html lang="en">' in page and "Dashboard" in page


def test_production_refuses_an_uncompiled_catalogue(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("BASE_URL", "https://accueil.example.gouv.fr")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("MAIL_SUPPRESS_SEND", "1")
    catalogue = tmp_path / "translations/en/LC_MESSAGES/messages.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(CATALOGUE.read_bytes())
    settings = {"BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations")}
    with pytest.raises(RuntimeError, match="pybabel compile"):
        create_app(ProductionConfig, instance_path=str(tmp_path / "instance"), **settings)
    catalogue.with_suffix(".mo").write_bytes(CATALOGUE.with_suffix(".mo").read_bytes())
    create_app(ProductionConfig, instance_path=str(tmp_path / "instance"), **settings)
