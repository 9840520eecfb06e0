"""The door screen, walk-ins, and the staff's view of a ticket opened with a phone's camera."""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from app.auth import Permission, acting_user, has_permission, requires
from app.checkin import queries
from app.checkin import services as door
from app.checkin.forms import WalkInForm
from app.events.services import get_public_event
from app.models import Registration, ScanResult
from app.registration.errors import AlreadyRegistered, NoSeatLeft, NotAllowed, ReasonRequired
from app.registration.services import get_registration
from app.tickets.codes import REFERENCE_ALPHABET

bp = Blueprint("checkin", __name__, url_prefix="/staff/events")

#: Where a result waits for the page the browser is sent to next (POST, then GET).
RESULT_KEY = "door_result"


def _keep_result(result: ScanResult, registration: Registration, walk_in: bool = False) -> None:
    session[RESULT_KEY] = {"status": str(result), "id": registration.id, "walk_in": walk_in}


def _take_result(event) -> dict | None:
    """The result of the POST that sent the browser here, with whom it was, once."""
    kept = session.pop(RESULT_KEY, None)
    if not kept:
        return None
    registration = queries.registration_at(event.id, kept["id"])
    if registration is None:
        return None
    return {**kept, "registration": registration}


@bp.get("/<slug>/checkin")
@requires(Permission.CHECKIN)
def screen(slug: str):
    return _screen(get_public_event(slug), WalkInForm(formdata=None))


def _screen(event, form: WalkInForm, status: int = 200, refusal: str | None = None):
    counts = door.door_counts(event)
    page = render_template(
        "checkin/door.html",
        event=event,
        counts=counts,
        walk_in_form=form,
        refusal=refusal,
        result=_take_result(event),
        last_entry=queries.undoable_entry(event.id, acting_user()),
        may_overbook=has_permission(acting_user(), Permission.MANAGE_EVENTS),
        full=counts["confirmed"] >= event.capacity or bool(form.over_capacity.errors),
        reference_alphabet=REFERENCE_ALPHABET,
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
    may_overbook = has_permission(acting_user(), Permission.MANAGE_EVENTS)
    try:
        outcome = door.walk_in(
            event,
            form.applicant(),
            actor=acting_user(),
            over_capacity=may_overbook and form.over_capacity.data,
            reason=form.reason.data or "",
        )
    except (NoSeatLeft, NotAllowed, ReasonRequired, AlreadyRegistered) as error:
        return _refused(event, form, error, may_overbook)
    _keep_result(outcome.result, outcome.registration, walk_in=True)
    return redirect(url_for("checkin.screen", slug=slug), 303)


def _refused(event, form: WalkInForm, error, may_overbook: bool):
    """Say why next to the field it concerns; the form keeps what was typed."""
    if isinstance(error, AlreadyRegistered):
        form.email.errors.append(_("Cette adresse est déjà inscrite : cherchez la personne."))
        return _screen(event, form, 409)
    if isinstance(error, ReasonRequired):
        form.reason.errors.append(_("Indiquez pourquoi vous dépassez la capacité."))
        return _screen(event, form, 422)
    if may_overbook:
        form.over_capacity.errors.append(
            _("La réunion est complète : cochez cette case et donnez un motif pour la dépasser.")
        )
        return _screen(event, form, 409)
    refusal = _(
        "Refusé : la réunion est complète. Personne n'a été inscrit. Seul(e) un(e) "
        "organisateur(rice) ou un(e) administrateur(rice) peut faire entrer au-delà."
    )
    return _screen(event, form, 409, refusal)


def _ticket(slug: str, code: str):
    registration = get_registration(code)
    if registration.event.slug != slug:
        abort(404)
    return registration


@bp.get("/<slug>/checkin/ticket/<code>")
@requires(Permission.CHECKIN)
def ticket(slug: str, code: str):
    """A ticket as the door sees it (opened with a phone's camera): one state, one action."""
    registration = _ticket(slug, code)
    kept = _take_result(registration.event)
    just_now = kept is not None and kept["id"] == registration.id
    state = kept["status"] if just_now else queries.door_state(registration)
    return render_template(
        "checkin/ticket.html",
        event=registration.event,
        registration=registration,
        state=state,
        checked_in_at=_local_time(registration),
    )


def _local_time(registration: Registration) -> str | None:
    if registration.checked_in_at is None:
        return None
    return registration.checked_in_at.astimezone(registration.event.tz).strftime("%H:%M")


@bp.post("/<slug>/checkin/ticket/<code>")
@requires(Permission.CHECKIN)
def from_ticket(slug: str, code: str):
    """The « Faire entrer » button of that view."""
    registration = _ticket(slug, code)
    outcome = door.check_in(
        registration.event,
        code,
        actor=acting_user(),
        device=f"ticket page {request.user_agent.string[:100]}",
    )
    _keep_result(outcome.result, registration)
    return redirect(url_for("checkin.ticket", slug=slug, code=code), 303)
