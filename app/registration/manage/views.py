"""The management page of a registration: only its secret (from the e-mails) opens it.

A GET never changes anything (mail scanners open every link): each change is a POST
with its CSRF token, after a page that says what will happen.
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.events import services as events
from app.registration import erasure, services
from app.registration.attendance import certificate_state
from app.registration.errors import EventStarted, RegistrationCancelled
from app.registration.forms import ConfirmForm, OwnDetailsForm
from app.registration.views import resend_and_say

bp = Blueprint("manage", __name__, url_prefix="/m/<secret>")


def _to_page(secret: str):
    return redirect(url_for("manage.page", secret=secret), 303)


@bp.get("")
def page(secret: str):
    registration = services.get_managed(secret)
    return render_template(
        "registration/manage.html",
        registration=registration,
        form=ConfirmForm(),
        certificate=certificate_state(registration),
    )


@bp.route("/details", methods=["GET", "POST"])
def details(secret: str):
    registration = services.get_managed(secret)
    form = OwnDetailsForm(obj=registration)
    if form.validate_on_submit():
        try:
            changed = services.correct_own_details(registration.id, form.applicant())
        except RegistrationCancelled:
            flash(_("Cette inscription est annulée."))
        else:
            flash(_("Vos coordonnées sont corrigées.") if changed else _("Aucun changement."))
        return _to_page(secret)
    status = 422 if form.is_submitted() else 200
    page = render_template("registration/manage_details.html", registration=registration, form=form)
    return page, status


@bp.post("/resend")
def resend(secret: str):
    registration = services.get_managed(secret)
    if ConfirmForm().validate_on_submit():
        resend_and_say(registration.id)
    return _to_page(secret)


@bp.route("/cancel", methods=["GET", "POST"])
def cancel(secret: str):
    registration = services.get_managed(secret)
    form = ConfirmForm()
    try:
        if registration.event.has_started and registration.status != "cancelled":
            raise EventStarted()
        if form.validate_on_submit():
            before = registration.status
            registration, promoted = services.cancel(registration.id)
            if before != "cancelled":  # cancelling twice changes nothing, and says nothing new
                flash(_cancelled_words(before == "confirmed", bool(promoted), registration.email))
            return _to_page(secret)
    except EventStarted:  # the meeting began (perhaps between the page and the confirmation)
        flash(_("La réunion a commencé : l'inscription ne peut plus être annulée."), "warning")
        return _to_page(secret)
    waiting = events.seat_counts(registration.event).waiting
    page = render_template(
        "registration/cancel.html", registration=registration, waiting=waiting, form=form
    )
    return page


def _cancelled_words(was_confirmed: bool, promoted: bool, email: str) -> str:
    """Say what the cancellation did, and only what is true: the seat went to whom?"""
    if not was_confirmed:
        seat = _("Vous avez quitté la liste d'attente.")
    elif promoted:
        seat = _("Votre place est allée à la première personne de la liste d'attente.")
    else:
        seat = _("Votre place est de nouveau libre pour une autre personne.")
    done = _("Votre inscription est annulée.")
    return " ".join([done, seat, _("Une confirmation part à %(email)s.", email=email)])


@bp.route("/erase", methods=["GET", "POST"])
def erase(secret: str):
    registration = services.get_managed(secret)
    form = ConfirmForm()
    if form.validate_on_submit():
        erasure.erase_person(registration.email)
        flash(_("Vos données sont effacées de toutes les réunions. Ce lien ne fonctionne plus."))
        return redirect(url_for("events.index"), 303)
    return render_template("registration/manage_erase.html", registration=registration, form=form)
