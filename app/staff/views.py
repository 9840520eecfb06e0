"""Staff login, logout and the dashboard."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from app.events.services import confirmed_count, upcoming_events
from app.extensions import login_manager
from app.staff import services
from app.staff.forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
login_manager.login_view = "staff.login"
login_manager.login_message = None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(url_for("staff.dashboard"), 303)
        # The same answer for an unknown account and a wrong password.
        form.password.errors.append(_("Adresse ou mot de passe incorrect."))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté."))
    return redirect(url_for("staff.login"), 303)


@bp.get("/")
@login_required
def dashboard():
    events = [(event, confirmed_count(event)) for event in upcoming_events()]
    return render_template("staff/dashboard.html", events=events)
