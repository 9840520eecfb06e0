"""The État's frame on every page (bloc-marque, footer's legal links), the legal pages, and the
operator: another administration publishes under its own name through configuration alone."""

import html
from types import SimpleNamespace

import pytest

from app import create_app, operator
from app.extensions import db
from config import TestingConfig
from tests.factories import make_event

FOOTER_LINKS = [
    ('href="/accessibilite"', "Accessibilité : non conforme"),
    ('href="/mentions-legales"', "Mentions légales"),
    ('href="/confidentialite"', "Données personnelles"),
    ('href="/confidentialite#cookies"', "Gestion des cookies"),
]


def page(client, path: str, **headers) -> str:
    return html.unescape(client.get(path, headers=headers).text).replace("\u202f", " ")


@pytest.mark.parametrize("path", ["/", "/e/{slug}", "/staff/login", "/mentions-legales", "/nope"])
def test_every_page_wears_the_bloc_marque_and_the_legal_links(client, db, path):
    text = page(client, path.format(slug=make_event().slug))
    assert '<p class="fr-logo" lang="fr">République<br>Française</p>' in text
    assert "Réunions d'information" in text  # the service's name, not « Accueil »
    assert "/static/dsfr/dsfr.min.css" in text and "/static/dsfr/dsfr.module.min.js" in text
    for href, words in FOOTER_LINKS:
        assert f"{href}>{words}</a>" in text


def test_the_legal_notice_names_publisher_director_and_host(client, db):
    text = page(client, "/mentions-legales")
    assert "(DINSIC)" in text and "(DITP)" in text
    assert "Directeur de la publication" in text and "Le directeur interministériel" in text
    assert "Hébergement" in text
    assert 'href="mailto:equipe-ami-ia@data.gouv.fr"' in text


def test_the_accessibility_statement_follows_the_rgaa_structure(client, db):
    text = page(client, "/accessibilite")
    for heading in [
        "État de conformité",
        "Résultats des tests",
        "Établissement de cette déclaration d'accessibilité",
        "Contenus non accessibles",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert f">{heading}</h2>" in text
    assert "est non conforme avec le référentiel général d'amélioration" in text
    assert "axe-core" in text and "Défenseur des droits" in text
    assert "Libre réponse 71120" in text


def test_an_operator_publishes_under_its_own_name(monkeypatch, database_uri, tmp_path):
    settings = {
        "SERVICE_NAME": "Réunions de la préfecture",
        "SERVICE_TAGLINE": "Préfecture de la Gironde",
        "OPERATOR_BRAND": "Préfet|de la Gironde",
        "OPERATOR_NAME": "Préfecture de la Gironde",
        "OPERATOR_ADDRESS": "2 esplanade Charles-de-Gaulle, 33000 Bordeaux",
        "OPERATOR_DIRECTOR": "Le préfet de la Gironde",
        "OPERATOR_HOST": "Ministère de l'Intérieur, place Beauvau, 75008 Paris",
        "OPERATOR_DPO": "dpd@gironde.gouv.fr",
        "OPERATOR_CONTACT": "reunions@gironde.gouv.fr",
        "ACCESSIBILITY_STATUS": "partial",
        "ACCESSIBILITY_AUDIT": "Audit du 1er mars 2027 : 82 % des critères respectés.",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    app = create_app(
        TestingConfig, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=database_uri
    )
    client = app.test_client()
    home = page(client, "/")
    assert '<p class="fr-logo" lang="fr">Préfet<br>de la Gironde</p>' in home
    assert "Réunions de la préfecture" in home and "Préfecture de la Gironde" in home
    assert "Accessibilité : partiellement conforme" in home
    notice = page(client, "/mentions-legales")
    for name in ("OPERATOR_NAME", "OPERATOR_ADDRESS", "OPERATOR_DIRECTOR", "OPERATOR_HOST"):
        assert settings[name] in notice
    assert "DINSIC" not in notice
    privacy = page(client, "/confidentialite")
    assert "dpd@gironde.gouv.fr" in privacy and "Préfecture de la Gironde" in privacy
    statement = page(client, "/accessibilite")
    assert "est partiellement conforme" in statement and "82 % des critères" in statement
    with app.app_context():
        db.engine.dispose()  # this app's own pool: no connection left for the collector


def test_english_visitors_read_the_frame_in_english(client, db):
    text = page(client, "/", **{"Accept-Language": "en"})
    assert "Accessibility: non-compliant" in text and "Legal notice" in text
    assert "Information meetings" in text
    assert '<p class="fr-logo" lang="fr">République<br>Française</p>' in text  # never translated


def test_production_refuses_to_serve_pages_without_the_dsfr(tmp_path):
    app = SimpleNamespace(static_folder=str(tmp_path), config={"APP_ENV": "production"})
    with pytest.raises(RuntimeError, match="make install"):
        operator._check_dsfr(app)
