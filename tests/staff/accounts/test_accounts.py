"""Staff accounts: admins manage them, everyone changes their own password, logins are throttled."""

import os
import socket
import uuid

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.accounts import authenticate
from app.extensions import db as _db
from app.models import StaffUser
from app.staff.accounts import services
from config import TestingConfig
from tests.conftest import csrf_token
from tests.factories import PASSWORD, audit_entries, log_in, make_staff


def account(email: str) -> StaffUser:
    _db.session.expire_all()
    return _db.session.scalar(select(StaffUser).where(StaffUser.email == email))


def test_an_admin_creates_an_account_that_can_log_in(app, client, db, post_form, admin):
    response = post_form(
        "/staff/users/new",
        {"email": "Lecteur@DITP.gouv.fr", "role": "viewer", "password": "une phrase assez longue"},
    )
    assert response.status_code == 303
    user = account("lecteur@ditp.gouv.fr")
    assert user.role == "viewer" and user.password_hash.startswith("$argon2id$")
    assert authenticate("lecteur@ditp.gouv.fr", "une phrase assez longue") == user
    (entry,) = audit_entries("account.create")
    assert entry.actor_id == admin.id and entry.target == "lecteur@ditp.gouv.fr"
    assert entry.after == {"email": "lecteur@ditp.gouv.fr", "role": "viewer", "active": True}
    assert "password" not in str(entry.after)

    again = post_form(
        "/staff/users/new",
        {"email": "lecteur@ditp.gouv.fr", "role": "admin", "password": "une phrase assez longue"},
    )
    assert again.status_code == 422 and "Un compte existe déjà" in again.text
    short = post_form(
        "/staff/users/new", {"email": "x@y.fr", "role": "viewer", "password": "court"}
    )
    assert short.status_code == 422 and "entre 12 et 200 caractères" in short.text
    assert account("x@y.fr") is None


def test_an_admin_changes_a_role_and_switches_an_account_off(app, client, db, post_form, admin):
    other = make_staff("organiser", "orga@numerique.gouv.fr")
    other_client = app.test_client()
    log_in(other_client, other)
    response = post_form(f"/staff/users/{other.id}", {"role": "viewer"})  # "active" unticked
    assert response.status_code == 303
    assert (account(other.email).role, account(other.email).active) == ("viewer", False)
    (entry,) = audit_entries("account.update")
    assert entry.before == {"email": other.email, "role": "organiser", "active": True}
    assert entry.after == {"email": other.email, "role": "viewer", "active": False}
    # Switched off: the open session ends and logging in fails.
    _db.session.expire_all()
    assert other_client.get("/staff/").status_code == 302
    assert authenticate(other.email, PASSWORD) is None


def test_an_admin_cannot_lock_themselves_out(db, post_form, admin):
    response = post_form(f"/staff/users/{admin.id}", {"role": "viewer", "active": "y"})
    assert response.status_code == 422
    assert "votre propre rôle" in response.text
    assert account(admin.email).role == "admin"


def test_the_last_active_admin_stays(db):
    first = make_staff("admin", "un@numerique.gouv.fr")
    second = make_staff("admin", "deux@numerique.gouv.fr")
    services.update_user(second.id, role="organiser", active=True, actor=first)
    third = make_staff("admin", "trois@numerique.gouv.fr")
    services.update_user(third.id, role="admin", active=False, actor=first)
    # `first` is the last active admin; only another admin could change it, and none is left.
    assert account("un@numerique.gouv.fr").role == "admin"
    with pytest.raises(services.LastAdmin):
        services.update_user(first.id, role="viewer", active=True, actor=second)


def test_an_admin_replaces_a_forgotten_password(app, db, post_form, admin):
    other = make_staff("viewer", "oubli@numerique.gouv.fr")
    other_client = app.test_client()
    log_in(other_client, other)
    response = post_form(
        f"/staff/users/{other.id}/password",
        {"password": "un tout nouveau mot de passe"},
        page=f"/staff/users/{other.id}",
    )
    assert response.status_code == 303
    assert authenticate(other.email, PASSWORD) is None
    assert authenticate(other.email, "un tout nouveau mot de passe") is not None
    _db.session.expire_all()
    assert other_client.get("/staff/").status_code == 302  # the old session ended
    (entry,) = audit_entries("account.password_reset")
    assert entry.before is None and entry.after is None


def test_change_own_password(app, client, db, post_form, staff):
    user = staff("viewer")
    other_session = app.test_client()
    log_in(other_session, user)
    wrong = post_form(
        "/staff/password",
        {
            "current": "pas le bon",
            "new": "nouvelle phrase secrète",
            "confirm": "nouvelle phrase secrète",
        },
    )
    assert wrong.status_code == 422 and "Ce n&#39;est pas votre mot de passe actuel." in wrong.text
    mismatch = post_form(
        "/staff/password",
        {"current": PASSWORD, "new": "nouvelle phrase secrète", "confirm": "autre chose encore"},
    )
    assert mismatch.status_code == 422 and "ne sont pas identiques" in mismatch.text
    assert authenticate(user.email, PASSWORD) is not None

    response = post_form(
        "/staff/password",
        {
            "current": PASSWORD,
            "new": "nouvelle phrase secrète",
            "confirm": "nouvelle phrase secrète",
        },
    )
    assert response.status_code == 303
    assert authenticate(user.email, PASSWORD) is None
    assert authenticate(user.email, "nouvelle phrase secrète") is not None
    _db.session.expire_all()
    assert client.get("/staff/").status_code == 200  # this session goes on
    assert other_session.get("/staff/").status_code == 302  # the others end
    (entry,) = audit_entries("account.password_change")
    assert entry.actor_id == user.id


def test_login_goes_back_to_the_page_asked_for_and_only_locally(client, db, post_form):
    make_staff("viewer")
    first = client.get("/staff/events/x/attendees")
    assert first.status_code == 302
    login_url = first.headers["Location"]
    assert login_url.startswith("/staff/login?next=")
    page = client.get(login_url).text
    credentials = {"email": "viewer@numerique.gouv.fr", "password": PASSWORD}
    response = client.post(login_url, data={"csrf_token": csrf_token(page), **credentials})
    assert response.headers["Location"] == "/staff/events/x/attendees"
    for evil in ["//evil.example/x", "/\\evil.example", "/\t/evil.example", "https://evil.example"]:
        # Each login starts a new session with a new CSRF token: read the current one.
        client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/").text)})
        page = client.get("/staff/login").text
        response = client.post(
            "/staff/login",
            query_string={"next": evil},
            data={"csrf_token": csrf_token(page), **credentials},
        )
        assert response.headers["Location"] == "/staff/", evil


def test_cli_replaces_a_password(runner, db):
    make_staff("admin", "admin@numerique.gouv.fr")
    args = ["users", "password", "--email", "Admin@numerique.gouv.fr", "--password-stdin"]
    result = runner.invoke(args=args, input="une nouvelle phrase de passe\n")
    assert result.exit_code == 0, result.output
    assert authenticate("admin@numerique.gouv.fr", "une nouvelle phrase de passe")
    unknown = runner.invoke(
        args=["users", "password", "--email", "x@y.fr", "--password-stdin"], input="x" * 20
    )
    assert unknown.exit_code == 1 and "no account" in unknown.output
    (entry,) = audit_entries("account.password_reset")
    assert entry.actor_id is None


def test_repeated_failed_logins_are_throttled(other_app, db):
    make_staff("viewer", "viewer@numerique.gouv.fr")
    make_staff("viewer", "autre@numerique.gouv.fr")
    client = other_app(RATELIMIT_ENABLED=True).test_client()

    def attempt(email: str, password: str):
        # A login starts a new session, with a new CSRF token: read the current one.
        token = csrf_token(client.get("/staff/login").text)
        return client.post(
            "/staff/login", data={"csrf_token": token, "email": email, "password": password}
        )

    # A success does not count against the limit.
    assert attempt("viewer@numerique.gouv.fr", PASSWORD).status_code == 303
    for _ in range(5):
        assert attempt("viewer@numerique.gouv.fr", "mauvais").status_code == 422
    blocked = attempt("viewer@numerique.gouv.fr", PASSWORD)
    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.text and 'lang="fr"' in blocked.text
    # Another account from the same address is not locked by this one's failures.
    assert attempt("autre@numerique.gouv.fr", PASSWORD).status_code == 303


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_apps(database_uri, tmp_path):
    """Two app instances (two gunicorn workers) sharing their rate limits through Redis."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis must answer on 127.0.0.1:6379 in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"accueil-test-{uuid.uuid4().hex}"
    apps = [
        create_app(
            TestingConfig,
            instance_path=str(tmp_path / f"worker{n}"),
            SQLALCHEMY_DATABASE_URI=database_uri,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
            RATELIMIT_KEY_PREFIX=prefix,
        )
        for n in (1, 2)
    ]
    yield apps
    for worker in apps:
        with worker.app_context():
            _db.engine.dispose()


def test_failed_logins_are_counted_across_workers_in_redis(redis_apps, db):
    make_staff("viewer", "viewer@numerique.gouv.fr")
    clients = [worker.test_client() for worker in redis_apps]

    def attempt(client, password: str):
        token = csrf_token(client.get("/staff/login").text)
        data = {"csrf_token": token, "email": "viewer@numerique.gouv.fr", "password": password}
        return client.post("/staff/login", data=data)

    for n in range(5):  # failures spread over both workers
        assert attempt(clients[n % 2], "mauvais").status_code == 422
    assert attempt(clients[0], PASSWORD).status_code == 429
    assert attempt(clients[1], PASSWORD).status_code == 429
