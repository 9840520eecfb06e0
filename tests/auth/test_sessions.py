"""Staff sessions live on the server: logout, a new password, switching an account off and
the time limits end them; a replayed cookie gets the login page."""

from datetime import timedelta

from sqlalchemy import select

from app.models import StaffSession
from tests.conftest import csrf_token
from tests.factories import PASSWORD, log_in, make_staff


def log_in_for_real(client, email: str, password: str = PASSWORD):
    token = csrf_token(client.get("/staff/login").text)
    data = {"csrf_token": token, "email": email, "password": password}
    response = client.post("/staff/login", data=data)
    assert response.status_code == 303
    return token


def test_a_cookie_replayed_after_logout_gets_the_login_page(app, client, db):
    make_staff("admin", "admin@numerique.gouv.fr")
    log_in_for_real(client, "admin@numerique.gouv.fr")
    stolen = client.get_cookie("session").value
    assert client.get("/staff/users").status_code == 200
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/").text)})

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/staff/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    sessions = db.session.scalars(select(StaffSession)).all()
    assert len(sessions) == 1 and sessions[0].revoked_at is not None


def test_the_csrf_token_changes_at_login(client, db):
    make_staff("viewer", "viewer@numerique.gouv.fr")
    before = log_in_for_real(client, "viewer@numerique.gouv.fr")
    after = csrf_token(client.get("/staff/password").text)
    assert before != after


def test_idle_and_absolute_limits(app, client, db):
    user = make_staff("checkin")
    log_in(client, user)
    assert client.get("/staff/").status_code == 200
    record = db.session.scalars(select(StaffSession)).one()
    record.last_seen_at -= app.config["STAFF_SESSION_IDLE"]
    db.session.commit()
    assert client.get("/staff/").status_code == 302  # idle too long

    log_in(client, user)
    lifetime = app.config["STAFF_SESSION_LIFETIME"]
    assert lifetime >= timedelta(hours=12)  # a door shift
    live = db.session.scalars(select(StaffSession).where(StaffSession.revoked_at.is_(None)))
    newest = max(live, key=lambda record: record.id)
    newest.created_at -= lifetime
    db.session.commit()
    assert client.get("/staff/").status_code == 302  # however busy, 12 hours at most


def test_a_new_password_ends_the_other_sessions_but_this_one(app, client, db):
    user = make_staff("organiser", "orga@numerique.gouv.fr")
    phone = app.test_client()
    log_in(phone, user)
    log_in_for_real(client, "orga@numerique.gouv.fr")
    data = {
        "csrf_token": csrf_token(client.get("/staff/password").text),
        "current": PASSWORD,
        "new": "une toute nouvelle phrase",
        "confirm": "une toute nouvelle phrase",
    }
    assert client.post("/staff/password", data=data).status_code == 303
    assert client.get("/staff/").status_code == 200
    assert phone.get("/staff/").status_code == 302


def test_an_admin_s_reset_or_switching_off_ends_every_session(app, client, db, staff):
    admin = staff("admin", "admin@numerique.gouv.fr")
    target = make_staff("organiser", "orga@numerique.gouv.fr")
    phone = app.test_client()
    log_in(phone, target)
    token = csrf_token(client.get(f"/staff/users/{target.id}").text)
    data = {"csrf_token": token, "password": "un mot de passe remplacé"}
    assert client.post(f"/staff/users/{target.id}/password", data=data).status_code == 303
    assert phone.get("/staff/").status_code == 302

    log_in(phone, target)
    data = {"csrf_token": token, "role": "organiser"}  # no "active": switched off
    assert client.post(f"/staff/users/{target.id}", data=data).status_code == 303
    assert phone.get("/staff/").status_code == 302
    assert admin.active and client.get("/staff/").status_code == 200
