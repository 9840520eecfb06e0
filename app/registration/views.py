"""Registration over HTTP: the event's page and its form, the ticket, self-service cancellation.

A lookup that finds nothing (unknown event or ticket) raises a NotFound, which the
application answers with 404 (app.errors).
"""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth import Permission, has_permission
from app.calendar.invites import registration_calendar
from app.calendar.links import google_calendar_url, outlook_calendar_url
from app.events import services as events
from app.events.views import ics_response
from app.i18n import force_locale, locale_of
from app.registration import page, services
from app.registration.errors import (
    AlreadyRegistered,
    EmailDomainNotAllowed,
    OrganisationLimitReached,
    RegistrationCancelled,
    RegistrationRefused,
    ResendTooSoon,
)
from app.registration.forms import RegistrationForm
from app.tickets.qr import qr_svg
from app.urls import public_url

bp = Blueprint("registration", __name__)


@bp.get("/e/<slug>")
def event_page(slug: str):
    return render_event_page(slug)


def render_event_page(
    slug: str, form: RegistrationForm | None = None, status: int = 200, notice=None
):
    """Render an event's page with the registration form: blank, or a refused POST's."""
    event, counts = events.get_public_event_and_counts(slug)
    state = events.registration_state(event, counts.confirmed)
    return page.render_event_page(event, counts, state, form, notice), status


@bp.post("/e/<slug>")
def register(slug: str):
    form = RegistrationForm()
    if not form.validate_on_submit():
        return render_event_page(slug, form, status=422)
    try:
        registration = services.register(slug, form.applicant(), form.submission())
    except AlreadyRegistered:
        notice = _(
            "Cette adresse est déjà inscrite à cette réunion. "
            "Nous venons de renvoyer le billet à cette adresse."
        )
        return render_event_page(slug, RegistrationForm(formdata=None), status=409, notice=notice)
    except (EmailDomainNotAllowed, OrganisationLimitReached) as error:
        _show_refusal(form, error)
        return render_event_page(slug, form, status=422)
    except RegistrationRefused:
        # The page itself says why (full, closed...) and shows no form.
        return render_event_page(slug, form, status=409)
    return redirect(url_for("registration.ticket", code=registration.code), 303)


def _show_refusal(form: RegistrationForm, error) -> None:
    """Put a refusal next to the field it is about."""
    if isinstance(error, EmailDomainNotAllowed):
        message = _(
            "Cette réunion est réservée aux adresses des domaines suivants : %(domains)s.",
            domains=", ".join(error.domains),
        )
        form.email.errors.append(message)
        return
    message = ngettext(
        "Votre organisation a déjà atteint la limite de %(num)s inscrit à cette réunion.",
        "Votre organisation a déjà atteint la limite de %(num)s inscrits à cette réunion.",
        error.limit,
    )
    form.organisation.errors.append(message)


@bp.get("/t/<code>")
def ticket(code: str):
    registration = services.get_registration(code)
    event = registration.event
    if has_permission(current_user, Permission.CHECKIN) and "participant" not in request.args:
        # Door staff who opened it with the phone's camera: the door's own view of it.
        return redirect(url_for("checkin.ticket", slug=event.slug, code=code), 303)
    return render_template(
        "registration/ticket.html",
        registration=registration,
        qr=qr_svg(
            public_url("registration.ticket", code=code),
            label=_("QR code du billet de %(name)s", name=registration.full_name),
        ),
        google_url=google_calendar_url(event),
        outlook_url=outlook_calendar_url(event),
    )


@bp.get("/t/<code>/invite.ics")
def invite(code: str) -> Response:
    registration = services.get_registration(code)
    # The same invite as the last one e-mailed, in the registrant's language.
    with force_locale(locale_of(registration.locale)):
        calendar = registration_calendar(registration)
    if calendar is None:  # in line, or never invited: no calendar entry yet
        abort(404)
    return ics_response(calendar[2], "invite.ics")


@bp.route("/t/<code>/cancel", methods=["GET", "POST"])
def cancel_with_code(code: str):
    """The ticket code never cancels: the page points to the link of the e-mail instead."""
    registration = services.get_registration(code)
    status = 403 if request.method == "POST" else 200
    page = render_template("registration/ticket_cancel.html", registration=registration)
    return page, status


@bp.post("/t/<code>/resend")
def resend(code: str):
    """Send the confirmation e-mail (ticket and management link) again to the registrant."""
    resend_and_say(services.get_registration(code).id)
    return redirect(url_for("registration.ticket", code=code), 303)


def resend_and_say(registration_id: int) -> None:
    """Send the confirmation again (at most once every few minutes), and say what happened."""
    try:
        services.resend_ticket(registration_id)
    except ResendTooSoon:
        flash(_("L'e-mail vient d'être renvoyé : patientez quelques minutes avant de redemander."))
    except RegistrationCancelled:
        flash(_("Cette inscription est annulée."))
    else:
        flash(_("L'e-mail de confirmation est renvoyé à l'adresse de l'inscription."))
