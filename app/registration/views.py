"""Registration over HTTP: the form's POST and the ticket page."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _

from app.events.services import EventNotFound
from app.events.views import render_event_page
from app.registration import services
from app.registration.forms import RegistrationForm

bp = Blueprint("registration", __name__)


@bp.post("/e/<slug>")
def register(slug: str):
    form = RegistrationForm()
    if not form.validate_on_submit():
        return render_event_page(slug, form, status=422)
    try:
        registration = services.register(slug, form.applicant())
    except EventNotFound:
        abort(404)
    except services.AlreadyRegistered:
        notice = _(
            "Cette adresse est déjà inscrite à cette réunion. "
            "Nous venons de renvoyer le billet à cette adresse."
        )
        return render_event_page(slug, RegistrationForm(formdata=None), status=409, notice=notice)
    except services.RegistrationRefused:
        # The page itself says why (full, closed...) and shows no form.
        return render_event_page(slug, form, status=409)
    return redirect(url_for("registration.ticket", code=registration.code), 303)


@bp.get("/t/<code>")
def ticket(code: str):
    try:
        registration = services.get_registration(code)
    except services.TicketNotFound:
        abort(404)
    return render_template("registration/ticket.html", registration=registration)
