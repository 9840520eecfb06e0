"""The staff shell under /staff: login, logout, own password, the dashboard.

Events, attendees, accounts and the audit log are child blueprints, registered here,
so every staff endpoint is named `staff.*`.
"""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from app.audit import views as audit_views
from app.audit.description import describe
from app.auth import Permission, acting_user, has_permission, requires, visible_fields
from app.auth.accounts import authenticate, normalise_email
from app.auth.fields import ALL_FIELDS
from app.auth.sessions import end_session, open_session
from app.extensions import limiter
from app.models import EventStatus
from app.staff.accounts import services as accounts
from app.staff.accounts import views as account_views
from app.staff.attendees import views as attendee_views
from app.staff.dashboard import queries
from app.staff.dashboard.services import overview
from app.staff.events import actions
from app.staff.events import views as event_views
from app.staff.forms import LoginForm, PasswordForm
from app.staff.messages import views as message_views
from app.urls import local_path

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.register_blueprint(event_views.bp)
bp.register_blueprint(attendee_views.bp)
bp.register_blueprint(account_views.bp)
bp.register_blueprint(audit_views.bp)
bp.register_blueprint(message_views.bp)

#: Failed logins allowed per client and account, then per account whatever the client. Never
#: per client alone: behind a ministry's gateway or our own proxy, many people share an
#: address, and a flood against other accounts must not lock anyone out.
LOGIN_LIMIT_PER_CLIENT_AND_ACCOUNT = "5 per minute"
LOGIN_LIMIT_PER_ACCOUNT = "30 per minute"


@bp.context_processor
def staff_helpers() -> dict:
    fields = visible_fields(current_user)
    return {
        "can": lambda permission: has_permission(current_user, permission),
        "Permission": Permission,
        # What this role may see of a registrant (app.auth.fields), in pages as in JSON.
        "sees": lambda field: field in fields,
        "describe": lambda entry: describe(entry, hidden=ALL_FIELDS - fields),
        # What this role may do with an event (app/staff/events/actions.py).
        "event_actions": lambda event: actions.event_actions(event, current_user),
    }


def _account() -> str:
    return "login|" + normalise_email(request.form.get("email", ""))[:254]


def _client_and_account() -> str:
    return f"{get_remote_address()}|{_account()}"


def _login_failed(response) -> bool:
    return response.status_code == 422


def _next_url() -> str:
    """Where to go after logging in: a path of this site only, never another site."""
    return local_path(request.args.get("next")) or url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    LOGIN_LIMIT_PER_CLIENT_AND_ACCOUNT,
    key_func=_client_and_account,
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    LOGIN_LIMIT_PER_ACCOUNT, key_func=_account, methods=["POST"], deduct_when=_login_failed
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a new session: no state, and a new CSRF token, carried over
            open_session(user, request.user_agent.string)
            login_user(user)
            return redirect(_next_url(), 303)
        # The same answer for an unknown account and a wrong password.
        form.password.errors.append(_("Adresse ou mot de passe incorrect."))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
@requires()
def logout():
    end_session(current_user.session_key)
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté."))
    response = redirect(url_for("staff.login"), 303)
    # The door's offline copy (tickets, queued scans, cached page) leaves with the session.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.get("/")
@requires()
def dashboard():
    if not has_permission(current_user, Permission.VIEW):
        # Door staff: the events to welcome people at, nothing else.
        upcoming, _past = queries.staff_events()
        events = [event for event in upcoming if event.status == EventStatus.PUBLISHED]
        return render_template("staff/door_home.html", events=events)
    return render_template("staff/dashboard.html", **overview())


@bp.route("/password", methods=["GET", "POST"])
@requires()
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(acting_user(), form.current.data, form.new.data)
        except accounts.WrongPassword:
            form.current.errors.append(_("Ce n'est pas votre mot de passe actuel."))
        else:
            flash(_("Votre mot de passe est changé. Vos autres sessions sont fermées."))
            return redirect(url_for("staff.dashboard"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("staff/password.html", form=form), status
