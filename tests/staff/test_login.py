import subprocess
import sys
from pathlib import Path

from app.staff.accounts.services import create_user
from tests.burst import free_port
from tests.conftest import csrf_token
from tests.factories import PASSWORD, make_staff

ROOT = Path(__file__).resolve().parents[2]


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


def test_a_flood_from_one_client_locks_no_other_account_out(other_app, db):
    make_staff("organiser", "orga@numerique.gouv.fr")
    client = other_app(RATELIMIT_ENABLED=True).test_client()
    token = csrf_token(client.get("/staff/login").text)
    for n in range(40):
        data = {"csrf_token": token, "email": f"inconnu{n}@exemple.fr", "password": "x" * 12}
        assert client.post("/staff/login", data=data).status_code == 422
    data = {"csrf_token": token, "email": "orga@numerique.gouv.fr", "password": PASSWORD}
    assert client.post("/staff/login", data=data).status_code == 303


#: Run in its own process: the limiter is one object per process, and a dead storage is a
#: state it keeps (as a gunicorn worker would).
LOGIN_WITHOUT_REDIS = """
import logging, re, sys
from app import create_app
from config import TestingConfig
logging.basicConfig(level=logging.WARNING, stream=sys.stdout)
app = create_app(TestingConfig, instance_path=sys.argv[1], SQLALCHEMY_DATABASE_URI=sys.argv[2],
                 RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=sys.argv[3])
client = app.test_client()
page = client.get("/staff/login").text
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
data = {"csrf_token": token, "email": "porte@numerique.gouv.fr", "password": "faux" * 4}
print("wrong", client.post("/staff/login", data=data).status_code)
data["password"] = sys.argv[4]
print("right", client.post("/staff/login", data=data).status_code)
"""


def test_staff_log_in_when_redis_does_not_answer(database_uri, db, tmp_path):
    make_staff("checkin", "porte@numerique.gouv.fr")
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    arguments = [str(tmp_path / "instance"), database_uri, nowhere, PASSWORD]
    done = subprocess.run(
        [sys.executable, "-c", LOGIN_WITHOUT_REDIS, *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "wrong 422" in done.stdout and "right 303" in done.stdout  # no 500, staff get in
    assert "storage" in done.stdout.lower()  # and the failure is logged


def test_behind_a_trusted_proxy_each_client_has_its_own_count(other_app, db):
    make_staff("organiser", "orga@numerique.gouv.fr")
    client = other_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1).test_client()
    token = csrf_token(client.get("/staff/login").text)
    wrong = {"csrf_token": token, "email": "orga@numerique.gouv.fr", "password": "faux" * 4}

    def attempt(client_address: str, data: dict) -> int:
        headers = {"X-Forwarded-For": client_address}
        return client.post("/staff/login", data=data, headers=headers).status_code

    assert [attempt("198.51.100.7", wrong) for _ in range(6)][-1] == 429
    # Another client behind the same proxy is not blocked by the first one's failures.
    assert attempt("203.0.113.9", wrong | {"password": PASSWORD}) == 303
