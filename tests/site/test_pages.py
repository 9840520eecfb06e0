import html


def test_privacy_notice_says_what_why_how_long_and_whom(client, db):
    page = html.unescape(client.get("/confidentialite").text)
    for heading in [
        "Qui est responsable",
        "Pourquoi",
        "Sur quelle base",
        "Ce que nous conservons",
        "Qui y a accès",
        "Combien de temps",
        "Vos droits, et comment les exercer",
        "Réclamation",
        "Cookies",
    ]:
        assert f">{heading}</h2>" in page
    assert "180 jours après la réunion" in page
    assert "article 6, paragraphe 1, point e" in page
    for right in ["Accès", "Rectification", "Effacement", "Limitation", "Opposition"]:
        assert f'<th scope="row">{right}</th>' in page
    assert "Délégué à la protection des données, DINSIC" in page  # the default DPO
    assert "https://www.cnil.fr/fr/plaintes" in page


def test_healthz_answers_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_wrong_method_is_a_french_405(client, db):
    response = client.put("/confidentialite")
    assert response.status_code == 405
    assert "Méthode non autorisée" in response.text
