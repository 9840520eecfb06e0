"""The door screen, and the check-in button of the ticket page."""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth import Permission, acting_user, requires
from app.checkin import services as door
from app.checkin.forms import WalkInForm
from app.events.services import get_public_event
from app.models import ScanResult
from app.registration.errors import AlreadyRegistered, NoSeatLeft

bp = Blueprint("checkin", __name__, url_prefix="/staff/events")

#: What the ticket page says after its check-in button.
TICKET_MESSAGES = {
    ScanResult.CHECKED_IN: _l("Entrée enregistrée."),
    ScanResult.ALREADY_CHECKED_IN: _l("Déjà entré(e) : cette entrée était déjà enregistrée."),
    ScanResult.CANCELLED: _l("Refusé : cette inscription est annulée."),
    ScanResult.WAITLISTED: _l("Refusé : cette personne est sur la liste d'attente."),
    ScanResult.OTHER_EVENT: _l("Refusé : billet d'une autre réunion."),
}


@bp.get("/<slug>/checkin")
@requires(Permission.CHECKIN)
def screen(slug: str):
    return _screen(get_public_event(slug), WalkInForm(formdata=None))


def _screen(event, form: WalkInForm, status: int = 200):
    page = render_template(
        "checkin/door.html", event=event, counts=door.door_counts(event), walk_in_form=form
    )
    return page, status


@bp.get("/door-sw.js")
def service_worker():
    """The door's service worker, served here so that its scope covers every door page."""
    script = Path(current_app.static_folder, "js", "door-sw.js").read_bytes()
    return Response(script, mimetype="text/javascript")


@bp.post("/<slug>/checkin/walk-in")
@requires(Permission.CHECKIN)
def walk_in(slug: str):
    """Register someone who turns up without a ticket, and let them in, in one step."""
    event = get_public_event(slug)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _screen(event, form, 422)
    applicant = form.applicant()
    try:
        outcome = door.walk_in(event, applicant, actor=acting_user(), device="walk-in")
    except NoSeatLeft:
        flash(_("Refusé : il ne reste aucune place. Personne n'a été inscrit."))
        return _screen(event, form, 409)
    except AlreadyRegistered:
        flash(_("Cette adresse est déjà inscrite : cherchez la personne par son nom."))
        return _screen(event, form, 409)
    flash(
        _(
            "Entrée enregistrée : %(name)s, inscrit(e) sur place.",
            name=outcome.registration.full_name,
        )
    )
    return redirect(url_for("checkin.screen", slug=slug), 303)


@bp.post("/<slug>/checkin/ticket/<code>")
@requires(Permission.CHECKIN)
def from_ticket(slug: str, code: str):
    """The big button a logged-in door person sees on a ticket opened by a phone's camera."""
    event = get_public_event(slug)
    outcome = door.check_in(
        event,
        code,
        actor=acting_user(),
        device=f"ticket page {request.user_agent.string[:100]}",
    )
    flash(str(TICKET_MESSAGES.get(outcome.result, TICKET_MESSAGES[ScanResult.OTHER_EVENT])))
    return redirect(url_for("registration.ticket", code=code), 303)
