"""Staff fixtures: a logged-in test client of each role."""

import pytest
from flask import g

from app.models import StaffUser
from tests.staff.helpers import log_in, make_staff


@pytest.fixture(autouse=True)
def fresh_user_per_request(request):
    """Load the user anew on each request, as in production.

    The `db` fixture keeps one app context for the whole test, so Flask-Login's
    cached `g._login_user` would carry over from one client's request to the next.
    """
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        app.teardown_request(lambda _error: g.pop("_login_user", None))


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
    return staff("admin")


@pytest.fixture
def organiser(staff):
    return staff("organiser")
