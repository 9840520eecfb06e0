"""Test data and the fixtures built on it: events, registrations, staff accounts, the outbox.

Registered for the whole suite by `pytest_plugins` in tests/conftest.py; tests import the
plain functions (`make_event`, `make_staff`, `log_in`…) and request the fixtures by name.
"""

import functools
import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher
from flask import g, has_app_context
from sqlalchemy import select

from app import create_app
from app.auth.sessions import open_session
from app.extensions import db as _db
from app.mail import rendering
from app.models import (
    AuditEntry,
    Event,
    EventStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    StaffUser,
)
from app.tickets.codes import new_code, new_reference
from config import TestingConfig

PASSWORD = "un mot de passe de test"
PARIS = ZoneInfo("Europe/Paris")

_counter = itertools.count(1)


# --- factories -----------------------------------------------------------------------------


def two_weeks_from_now_at_two() -> datetime:
    """14:00 in Paris two weeks from today, as the meeting of 16 April: a fixed hour of the day,
    so that no test depends on the hour it runs at (an event started at 23:00 ends the next day)."""
    day = (datetime.now(PARIS) + timedelta(days=14)).date()
    return datetime.combine(day, time(14), tzinfo=PARIS).astimezone(UTC)


def make_event(**overrides) -> Event:
    """Create a published event, open for registration, two weeks from now at 14:00 in Paris."""
    starts_at = overrides.pop("starts_at", two_weeks_from_now_at_two())
    values = {
        "slug": f"reunion-{next(_counter)}",
        "title": "Réunion d'information AMI IA",
        "description": "Présentation de l'appel.\n\nQuestions et réponses.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "timezone": "Europe/Paris",
        "street": "20 avenue de Ségur",
        "postcode": "75007",
        "city": "Paris",
        "capacity": 150,
        "status": EventStatus.PUBLISHED,
        "organiser_name": "DINSIC et DITP",
        "organiser_email": "equipe-ami-ia@data.gouv.fr",
    }
    values.update(overrides)
    event = Event(**values)
    _db.session.add(event)
    _db.session.commit()
    return event


def make_registration(event: Event, **overrides) -> Registration:
    n = next(_counter)
    values = {
        "event": event,
        "code": new_code(),
        "reference": new_reference(),
        "manage_secret": new_code(),
        "given_name": "Camille",
        "family_name": f"Martin{n}",
        "email": f"camille.martin{n}@interieur.gouv.fr",
        "organisation": "Ministère de l'Intérieur",
        "job_title": "Cheffe de projet",
        "status": RegistrationStatus.CONFIRMED,
    }
    values.update(overrides)
    registration = Registration(**values)
    _db.session.add(registration)
    _db.session.commit()
    return registration


@functools.cache
def password_hash() -> str:
    """Hash once per run: argon2id is slow on purpose."""
    return PasswordHasher().hash(PASSWORD)


def make_staff(role: str, email: str | None = None, **overrides) -> StaffUser:
    user = StaffUser(
        email=email or f"{role}@numerique.gouv.fr",
        role=role,
        password_hash=password_hash(),
        **overrides,
    )
    _db.session.add(user)
    _db.session.commit()
    return user


# --- sessions and readers ------------------------------------------------------------------


def log_in(client, user: StaffUser) -> None:
    """Open a session as `user`, as Flask-Login would after a successful login."""
    key = open_session(user)
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    # The test's app context outlives each request: forget the user loaded before.
    if has_app_context():
        g.pop("_login_user", None)


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    _db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(_db.session.scalars(query))


def outbox_messages(kind: str | None = None) -> list[OutboxMessage]:
    """Return the outbox, oldest first, of one kind if given, each message rendered.

    A message is queued unrendered and rendered by the sender before its first attempt
    (app.mail.rendering); tests run with sending suppressed, so the reader renders, as
    the sender would, what is not rendered yet, and returns the rows as stored.
    """
    _db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    for message in _db.session.scalars(query).all():
        rendering.render_if_needed(message)
    _db.session.expire_all()
    return list(_db.session.scalars(query))


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_user_per_request(request):
    """Load the user, pick the language and read the CSRF token anew on each request, as
    in production.

    The `db` fixture keeps one app context for the whole test, so what Flask-Login
    (`g._login_user`), Flask-Babel (`g._flask_babel`) and Flask-WTF (`g.csrf_token`)
    cache in `g` would carry over from one client's request to the next.
    """
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")

        @app.teardown_request
        def forget(_error):
            g.pop("_login_user", None)
            g.pop("_flask_babel", None)
            g.pop("csrf_token", None)


@pytest.fixture
def staff(client, db):
    """Log the test client in as a new account of a role; return the account."""

    def login(role: str, email: str | None = None) -> StaffUser:
        user = make_staff(role, email)
        log_in(client, user)
        return user

    return login


@pytest.fixture
def admin(staff):
    """Log the test client in as a new admin; return the account."""
    return staff("admin")


@pytest.fixture
def organiser(staff):
    """Log the test client in as a new organiser; return the account."""
    return staff("organiser")


@pytest.fixture
def outbox(db):
    """Return the reader of the outbox: `outbox()` or `outbox("promoted")`."""
    return outbox_messages


@pytest.fixture
def other_app(app, database_uri, tmp_path):
    """Make more app instances on the test's database, with other settings (a gunicorn
    worker configured otherwise: rate limits on, another Redis...)."""
    made = []

    def make(**settings):
        instance = tmp_path / f"instance-{len(made)}"
        made.append(
            create_app(
                TestingConfig,
                instance_path=str(instance),
                SQLALCHEMY_DATABASE_URI=database_uri,
                **settings,
            )
        )
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            _db.engine.dispose()
