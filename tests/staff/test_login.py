from app.staff.accounts.services import create_user


def test_dashboard_requires_login(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_login_form_has_the_right_autocomplete_tokens(client, db):
    page = client.get("/staff/login").text
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page


def test_login_logout(client, db, post_form):
    create_user("orga@numerique.gouv.fr", "organiser", "mot de passe long")
    response = post_form(
        "/staff/login", {"email": "Orga@numerique.gouv.fr", "password": "mot de passe long"}
    )
    assert response.status_code == 303
    assert "Tableau de bord" in client.get("/staff/").text
    assert post_form("/staff/logout", {}, page="/staff/").status_code == 303
    assert client.get("/staff/").status_code == 302


def test_unknown_account_and_wrong_password_get_the_same_answer(client, db, post_form):
    create_user("orga@numerique.gouv.fr", "organiser", "mot de passe long")
    unknown = post_form("/staff/login", {"email": "x@y.fr", "password": "mot de passe long"})
    wrong = post_form("/staff/login", {"email": "orga@numerique.gouv.fr", "password": "faux"})
    assert unknown.status_code == wrong.status_code == 422
    assert "Adresse ou mot de passe incorrect." in unknown.text
    assert "Adresse ou mot de passe incorrect." in wrong.text


def test_hostile_login_input_never_gives_a_500(client, db, post_form):
    response = post_form("/staff/login", {"email": "a\x00@b.fr", "password": "\x00"})
    assert response.status_code == 422
