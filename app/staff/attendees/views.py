"""Staff pages of an event's attendees: the list, a person's page, and the special cases."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth import Permission, acting_user, requires
from app.events.services import get_event
from app.models import RegistrationStatus
from app.registration import services as registrations
from app.registration.errors import (
    AlreadyRegistered,
    NoSeatLeft,
    NotAllowed,
    ReasonRequired,
    RegistrationCancelled,
    RegistrationRefused,
    ResendTooSoon,
)
from app.staff.attendees import queries, services
from app.staff.attendees.forms import (
    ActionForm,
    AddAttendeeForm,
    AttendeeFilterForm,
    DetailsForm,
    PromoteForm,
)

bp = Blueprint("attendees", __name__, url_prefix="/events/<slug>/attendees")

REFUSALS = {
    "no_seat_left": _l("Il n'y a plus de place : indiquez un motif pour dépasser la capacité."),
    "reason_required": _l("Indiquez un motif pour dépasser la capacité."),
    "not_allowed": _l("Votre rôle ne permet pas de dépasser la capacité."),
    "not_waitlisted": _l("Cette personne n'est pas sur la liste d'attente."),
    "registration_cancelled": _l("Cette inscription est annulée."),
    "resend_too_soon": _l("Le billet a été renvoyé il y a moins de 10 minutes : pas encore."),
    "cancelled": _l("Cette réunion est annulée."),
    "full": _l("La réunion est complète et n'a pas de liste d'attente."),
}


def _refusal(error) -> str:
    return str(REFUSALS.get(error.code) or _("Cette opération est refusée."))


def _attendee(slug: str, registration_id: int):
    event = get_event(slug)
    return event, queries.get_attendee(event, registration_id)


def _to_attendee(slug: str, registration_id: int):
    url = url_for("staff.attendees.show", slug=slug, registration_id=registration_id)
    return redirect(url, 303)


@bp.get("")
@requires(Permission.VIEW)
def index(slug: str):
    event = get_event(slug)
    form = AttendeeFilterForm(request.args)
    form.validate()
    query = queries.AttendeeQuery(
        search=form.value("q") or "",
        status=form.value("status"),
        sort=form.value("sort"),
        descending=form.value("order") == "desc",
        page=form.value("page"),
    )
    page = queries.list_attendees(event, query)
    return render_template(
        "staff/attendees/index.html", event=event, form=form, query=query, page=page
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def add(slug: str):
    event = get_event(slug)
    form = AddAttendeeForm()
    if form.validate_on_submit():
        try:
            registration = registrations.add_by_hand(
                event.id,
                form.details(),
                acting_user(),
                over_capacity=form.over_capacity.data,
                reason=form.reason.data or "",
            )
        except AlreadyRegistered:
            form.email.errors.append(_("Cette adresse est déjà inscrite à cette réunion."))
        except ReasonRequired as error:
            form.reason.errors.append(_refusal(error))
        except (NotAllowed, RegistrationRefused) as error:
            form.over_capacity.errors.append(_refusal(error))
        else:
            _flash_added(registration)
            return _to_attendee(slug, registration.id)
    status = 422 if form.is_submitted() else 200
    return render_template("staff/attendees/add.html", event=event, form=form), status


def _flash_added(registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        name = registration.full_name
        flash(_("%(name)s est inscrit(e) ; le billet est envoyé.", name=name))
        return
    flash(
        _(
            "La réunion est complète : %(name)s est en liste d'attente, en position %(position)d.",
            name=registration.full_name,
            position=registration.waitlist_position,
        )
    )


@bp.get("/<int:registration_id>")
@requires(Permission.VIEW)
def show(slug: str, registration_id: int):
    event, registration = _attendee(slug, registration_id)
    return render_template(
        "staff/attendees/show.html",
        event=event,
        registration=registration,
        history=queries.registration_history(registration),
        action_form=ActionForm(),
        promote_form=PromoteForm(),
    )


@bp.route("/<int:registration_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def edit(slug: str, registration_id: int):
    event, registration = _attendee(slug, registration_id)
    form = DetailsForm(obj=registration)
    if form.validate_on_submit():
        try:
            changed = services.correct_details(registration.id, form.details(), acting_user())
        except AlreadyRegistered:
            form.email.errors.append(
                _("Une autre inscription active à cette réunion utilise déjà cette adresse.")
            )
        else:
            _flash_corrected(changed, registration)
            return _to_attendee(slug, registration.id)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/attendees/edit.html", event=event, registration=registration, form=form
    ), status


def _flash_corrected(changed: dict, registration) -> None:
    if not changed:
        flash(_("Aucun changement."))
    elif "email" in changed and registration.status != RegistrationStatus.CANCELLED:
        flash(_("Les coordonnées sont corrigées ; le billet est renvoyé à la nouvelle adresse."))
    else:
        flash(_("Les coordonnées sont corrigées."))


@bp.post("/<int:registration_id>/cancel")
@requires(Permission.MANAGE_EVENTS)
def cancel(slug: str, registration_id: int):
    _event, registration = _attendee(slug, registration_id)
    if ActionForm().validate_on_submit():
        _cancelled, promoted = registrations.cancel(registration.id, actor=acting_user())
        flash(_("L'inscription est annulée."))
        for person in promoted:
            flash(_("%(name)s obtient la place libérée.", name=person.full_name))
    return _to_attendee(slug, registration_id)


@bp.post("/<int:registration_id>/promote")
@requires(Permission.MANAGE_EVENTS)
def promote(slug: str, registration_id: int):
    _event, registration = _attendee(slug, registration_id)
    form = PromoteForm()
    if not form.validate_on_submit():
        flash(_("Le motif est trop long ou contient des caractères non autorisés."))
        return _to_attendee(slug, registration_id)
    try:
        services.promote(registration.id, acting_user(), reason=form.reason.data or "")
    except (NoSeatLeft, services.NotWaitlisted, NotAllowed) as error:
        flash(_refusal(error))
    else:
        flash(_("L'inscription est confirmée ; le billet est envoyé."))
    return _to_attendee(slug, registration_id)


@bp.post("/<int:registration_id>/resend")
@requires(Permission.MANAGE_EVENTS)
def resend(slug: str, registration_id: int):
    _event, registration = _attendee(slug, registration_id)
    if ActionForm().validate_on_submit():
        try:
            registrations.resend_ticket(registration.id, acting_user())
        except (RegistrationCancelled, ResendTooSoon) as error:
            flash(_refusal(error))
        else:
            flash(_("Le billet est renvoyé à %(email)s.", email=registration.email))
    return _to_attendee(slug, registration_id)
