"""Registration over HTTP: the form's POST, the ticket page and self-service cancellation."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.calendar.links import google_calendar_url, outlook_calendar_url
from app.events.services import EventNotFound
from app.events.views import render_event_page
from app.registration import services
from app.registration.forms import CancelForm, RegistrationForm
from app.staff.auth import Permission, has_permission
from app.tickets.qr import qr_svg
from app.urls import public_url

bp = Blueprint("registration", __name__)


@bp.post("/e/<slug>")
def register(slug: str):
    form = RegistrationForm()
    if not form.validate_on_submit():
        return render_event_page(slug, form, status=422)
    try:
        registration = services.register(slug, form.applicant(), form.submission())
    except EventNotFound:
        abort(404)
    except services.AlreadyRegistered:
        notice = _(
            "Cette adresse est déjà inscrite à cette réunion. "
            "Nous venons de renvoyer le billet à cette adresse."
        )
        return render_event_page(slug, RegistrationForm(formdata=None), status=409, notice=notice)
    except services.EmailDomainNotAllowed as error:
        form.email.errors.append(
            _(
                "Cette réunion est réservée aux adresses des domaines suivants : %(domains)s.",
                domains=", ".join(error.domains),
            )
        )
        return render_event_page(slug, form, status=422)
    except services.OrganisationLimitReached as error:
        form.organisation.errors.append(
            ngettext(
                "Votre organisation a déjà atteint la limite de %(num)s inscrit à cette réunion.",
                "Votre organisation a déjà atteint la limite de %(num)s inscrits à cette réunion.",
                error.limit,
            )
        )
        return render_event_page(slug, form, status=422)
    except services.RegistrationRefused:
        # The page itself says why (full, closed...) and shows no form.
        return render_event_page(slug, form, status=409)
    return redirect(url_for("registration.ticket", code=registration.code), 303)


def _registration_or_404(code: str):
    try:
        return services.get_registration(code)
    except services.TicketNotFound:
        abort(404)


@bp.get("/t/<code>")
def ticket(code: str):
    registration = _registration_or_404(code)
    event = registration.event
    return render_template(
        "registration/ticket.html",
        registration=registration,
        qr=qr_svg(
            public_url("registration.ticket", code=code),
            label=_("QR code du billet de %(name)s", name=registration.full_name),
        ),
        google_url=google_calendar_url(event),
        outlook_url=outlook_calendar_url(event),
        # A door person who opened the ticket with the phone's camera app can let them in.
        door=has_permission(current_user, Permission.CHECKIN),
    )


@bp.get("/t/<code>/cancel")
def confirm_cancel(code: str):
    # A GET never changes anything: mail scanners open every link.
    registration = _registration_or_404(code)
    return render_template("registration/cancel.html", registration=registration, form=CancelForm())


@bp.post("/t/<code>/cancel")
def cancel(code: str):
    _registration_or_404(code)  # the CSRF token was checked by CSRFProtect
    services.cancel(code)
    flash(_("Votre inscription est annulée. Votre place a été libérée."))
    return redirect(url_for("registration.ticket", code=code), 303)
