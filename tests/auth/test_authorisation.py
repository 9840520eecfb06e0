"""Authorisation as a matrix: every staff route × anonymous and every role → its status."""

import pytest
from flask import url_for

from app.auth import ROLE_PERMISSIONS, Permission, has_permission
from app.models import RegistrationStatus, StaffRole
from tests.factories import log_in, make_event, make_registration, make_staff

ANONYMOUS = "anonymous"
PUBLIC = "public"
LOGGED_IN = "logged_in"

#: (endpoint, method) → (what it needs, status for whoever may use it). Blank POSTs
#: (CSRF off) get their form's 422, or the action's 303; edit forms fill the blanks
#: from the stored values, so they save (303).
ROUTES = {
    ("staff.login", "GET"): (PUBLIC, 200),
    ("staff.login", "POST"): (PUBLIC, 422),
    ("staff.logout", "POST"): (LOGGED_IN, 303),
    ("staff.dashboard", "GET"): (LOGGED_IN, 200),
    ("staff.password", "GET"): (LOGGED_IN, 200),
    ("staff.password", "POST"): (LOGGED_IN, 422),
    ("staff.events.new", "GET"): (Permission.MANAGE_EVENTS, 200),
    ("staff.events.new", "POST"): (Permission.MANAGE_EVENTS, 422),
    ("staff.events.show", "GET"): (Permission.VIEW, 200),
    ("staff.events.edit", "GET"): (Permission.MANAGE_EVENTS, 200),
    ("staff.events.edit", "POST"): (Permission.MANAGE_EVENTS, 422),
    ("staff.events.duplicate", "GET"): (Permission.MANAGE_EVENTS, 200),
    ("staff.events.duplicate", "POST"): (Permission.MANAGE_EVENTS, 422),
    ("staff.events.publish", "POST"): (Permission.MANAGE_EVENTS, 303),
    ("staff.events.unpublish", "POST"): (Permission.MANAGE_EVENTS, 303),
    ("staff.events.cancel", "GET"): (Permission.MANAGE_EVENTS, 200),
    ("staff.events.cancel", "POST"): (Permission.MANAGE_EVENTS, 303),
    # No sending with that id: 404 for whoever may send again.
    ("staff.events.resend_desk", "POST"): (Permission.MANAGE_EVENTS, 404),
    ("staff.attendees.index", "GET"): (Permission.VIEW, 200),
    ("staff.attendees.add", "GET"): (Permission.MANAGE_EVENTS, 200),
    ("staff.attendees.add", "POST"): (Permission.MANAGE_EVENTS, 422),
    ("staff.attendees.show", "GET"): (Permission.VIEW, 200),
    ("staff.attendees.edit", "GET"): (Permission.MANAGE_EVENTS, 200),
    ("staff.attendees.edit", "POST"): (Permission.MANAGE_EVENTS, 303),
    ("staff.attendees.cancel", "POST"): (Permission.MANAGE_EVENTS, 303),
    ("staff.attendees.promote", "POST"): (Permission.MANAGE_EVENTS, 303),
    ("staff.attendees.resend", "POST"): (Permission.MANAGE_EVENTS, 303),
    ("staff.messages.new", "GET"): (Permission.MANAGE_EVENTS, 200),
    # « Modifier » on the preview posts the draft back to the form.
    ("staff.messages.new", "POST"): (Permission.MANAGE_EVENTS, 200),
    ("staff.messages.preview", "POST"): (Permission.MANAGE_EVENTS, 422),
    ("staff.messages.send", "POST"): (Permission.MANAGE_EVENTS, 422),
    # No message with that id: 404 for whoever may write.
    ("staff.messages.show", "GET"): (Permission.MANAGE_EVENTS, 404),
    ("staff.accounts.index", "GET"): (Permission.MANAGE_ACCOUNTS, 200),
    ("staff.accounts.new", "GET"): (Permission.MANAGE_ACCOUNTS, 200),
    ("staff.accounts.new", "POST"): (Permission.MANAGE_ACCOUNTS, 422),
    ("staff.accounts.edit", "GET"): (Permission.MANAGE_ACCOUNTS, 200),
    ("staff.accounts.edit", "POST"): (Permission.MANAGE_ACCOUNTS, 303),
    ("staff.accounts.reset_password", "POST"): (Permission.MANAGE_ACCOUNTS, 422),
    ("staff.audit.index", "GET"): (Permission.VIEW_AUDIT, 200),
    ("checkin.screen", "GET"): (Permission.CHECKIN, 200),
    ("checkin.ticket", "GET"): (Permission.CHECKIN, 200),
    # The door's service worker: code only, no data (the scope needs it under /staff/events/).
    ("checkin.service_worker", "GET"): (PUBLIC, 200),
    ("checkin.from_ticket", "POST"): (Permission.CHECKIN, 303),
    ("checkin.walk_in", "POST"): (Permission.CHECKIN, 422),
    ("exports.csv", "GET"): (Permission.EXPORT, 200),
    ("exports.xlsx", "GET"): (Permission.EXPORT, 200),
    ("exports.sign_in_sheet", "GET"): (Permission.EXPORT, 200),
    ("exports.badges", "GET"): (Permission.EXPORT, 200),
}
WHO = [ANONYMOUS, *StaffRole]


def expected_status(needs, allowed_status: int, who: str) -> int:
    if needs == PUBLIC:
        return allowed_status
    if who == ANONYMOUS:
        return 302
    if needs == LOGGED_IN or needs in ROLE_PERMISSIONS[who]:
        return allowed_status
    return 403


def staff_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) served under /staff."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule == "/staff" or rule.rule.startswith("/staff/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_staff_route_is_in_the_matrix(app):
    missing = staff_routes(app) - set(ROUTES)
    assert not missing, f"add these staff routes to ROUTES: {sorted(missing)}"
    assert set(ROUTES) <= staff_routes(app)


def test_the_role_table_is_the_issue_s():
    assert ROLE_PERMISSIONS["admin"] == set(Permission)
    assert ROLE_PERMISSIONS["organiser"] == {
        Permission.MANAGE_EVENTS,
        Permission.VIEW,
        Permission.EXPORT,
        Permission.EXPORT_PERSONAL,
        Permission.CHECKIN,
    }
    assert ROLE_PERMISSIONS["viewer"] == {Permission.VIEW, Permission.EXPORT}
    assert ROLE_PERMISSIONS["checkin"] == {Permission.CHECKIN}
    assert set(StaffRole) == set(ROLE_PERMISSIONS)


def test_an_inactive_account_has_no_permission(db):
    user = make_staff("admin", active=False)
    assert not has_permission(user, Permission.VIEW)
    assert not has_permission(None, Permission.VIEW)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("endpoint", "method"), sorted(ROUTES))
def test_authorisation_matrix(app, client, db, endpoint, method, who):
    app.config["WTF_CSRF_ENABLED"] = False
    event = make_event(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED, waitlist_position=1)
    other = make_staff("viewer", "autre@numerique.gouv.fr")
    if who != ANONYMOUS:
        log_in(client, make_staff(who))
    values = {
        "slug": event.slug,
        "registration_id": waiting.id,
        "user_id": other.id,
        "code": waiting.code,
        "sending_id": 999_999,
        "message_id": 999_999,
    }
    with app.test_request_context():
        rule_args = next(r.arguments for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = url_for(endpoint, **{name: values[name] for name in rule_args})

    response = client.open(url, method=method, data={"matrix": "1"})

    needs, allowed = ROUTES[(endpoint, method)]
    expected = expected_status(needs, allowed, who)
    assert response.status_code == expected, response.text[:500]
    if expected == 302:
        assert response.headers["Location"].startswith("/staff/login")
    if expected == 403:
        assert "Accès refusé" in response.text
        assert "Votre compte ne donne pas accès à cette page." in response.text
