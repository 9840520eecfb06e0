"""Staff pages of an event: its dashboard, create, edit, duplicate, publish, cancel."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth import Permission, acting_user, requires
from app.checkin.sync import conflicts as door_conflicts
from app.desk import services as desk
from app.events.services import get_event
from app.models import EventStatus
from app.registration.seats import CapacityBelowConfirmed
from app.staff.dashboard.queries import figures
from app.staff.dashboard.services import event_overview
from app.staff.events import services
from app.staff.events.forms import (
    EVENT_ERRORS,
    ConfirmForm,
    DuplicateForm,
    EventForm,
    initial_values,
)

bp = Blueprint("events", __name__, url_prefix="/events")


def _to_event(slug: str):
    return redirect(url_for("staff.events.show", slug=slug), 303)


def _show_error(form, error) -> None:
    """Put a service's refusal next to the field it is about."""
    if isinstance(error, CapacityBelowConfirmed):
        form.capacity.errors.append(
            ngettext(
                "%(num)d personne est déjà confirmée : pas moins de places que cela.",
                "%(num)d personnes sont déjà confirmées : pas moins de places que cela.",
                error.confirmed,
            )
        )
        return
    name = getattr(error, "field", "slug")
    field = form[name] if name in form else form.title  # noqa: SIM401 (a Form has no .get)
    field.errors.append(str(EVENT_ERRORS.get(error.code, _("Valeur refusée."))))


def _form_page(form, event):
    status = 422 if form.is_submitted() else 200
    return render_template("staff/events/form.html", form=form, event=event), status


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def new():
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = services.create_event(form.values(), acting_user())
        except (services.InvalidEvent, services.SlugTaken) as error:
            _show_error(form, error)
        else:
            flash(_("La réunion est créée en brouillon. Publiez-la quand elle est prête."))
            return _to_event(event.slug)
    return _form_page(form, None)


@bp.get("/<slug>")
@requires(Permission.VIEW)
def show(slug: str):
    event = get_event(slug)
    return render_template(
        "staff/events/show.html",
        event=event,
        action_form=ConfirmForm(),
        desk=desk.setting(event),
        desk_cutoff=desk.cutoff(event).astimezone(event.tz),
        desk_sendings=desk.sendings(event),
        conflicts=door_conflicts(event),
        **event_overview(event),
    )


@bp.post("/<slug>/desk/<int:sending_id>/resend")
@requires(Permission.MANAGE_EVENTS)
def resend_desk(slug: str, sending_id: int):
    if ConfirmForm().validate_on_submit():
        sending = desk.resend(slug, sending_id, acting_user())
        flash(_("La liste est renvoyée à l'accueil sécurité : %(to)s.", to=sending.recipients))
    return _to_event(slug)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def edit(slug: str):
    event = get_event(slug)
    if event.status == EventStatus.CANCELLED:
        flash(_("Une réunion annulée ne se modifie plus ; vous pouvez la dupliquer."))
        return _to_event(slug)
    form = EventForm(data=initial_values(event, desk.setting(event)))
    if event.status != EventStatus.DRAFT:
        del form.slug  # its links are out: the address stays
    if form.validate_on_submit():
        try:
            result = services.update_event(event.id, form.values(), acting_user())
        except (services.InvalidEvent, services.SlugTaken, CapacityBelowConfirmed) as error:
            _show_error(form, error)
        except services.EventCancelled:
            abort(409)
        else:
            _flash_update(result)
            return _to_event(result.event.slug)
    return _form_page(form, event)


def _flash_update(result: services.EventUpdate) -> None:
    flash(_("Les modifications sont enregistrées.") if result.changed else _("Aucun changement."))
    if result.notified:
        flash(
            ngettext(
                "%(num)d personne inscrite est prévenue du changement de date ou de lieu.",
                "%(num)d personnes inscrites sont prévenues du changement de date ou de lieu.",
                result.notified,
            )
        )
    if result.promoted:
        flash(
            ngettext(
                "%(num)d personne de la liste d'attente obtient une place.",
                "%(num)d personnes de la liste d'attente obtiennent une place.",
                len(result.promoted),
            )
        )


@bp.route("/<slug>/duplicate", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def duplicate(slug: str):
    event = get_event(slug)
    form = DuplicateForm()
    if form.validate_on_submit():
        try:
            copy = services.duplicate_event(
                event.id, form.day.data, acting_user(), slug=form.slug.data or None
            )
        except (services.InvalidEvent, services.SlugTaken) as error:
            form.slug.errors.append(str(EVENT_ERRORS[error.code]))
        else:
            flash(
                _(
                    "La nouvelle session est créée en brouillon. "
                    "Vérifiez-la, puis publiez-la pour ouvrir les inscriptions."
                )
            )
            return _to_event(copy.slug)
    status = 422 if form.is_submitted() else 200
    return render_template("staff/events/duplicate.html", form=form, event=event), status


def _change_status(slug: str, change, done: str):
    event = get_event(slug)
    if ConfirmForm().validate_on_submit():
        try:
            change(event.id, acting_user())
        except services.EventCancelled:
            flash(_("Cette réunion est annulée : elle ne peut plus être publiée."))
        else:
            flash(done)
    return _to_event(slug)


@bp.post("/<slug>/publish")
@requires(Permission.MANAGE_EVENTS)
def publish(slug: str):
    done = _("La réunion est publiée : les inscriptions sont ouvertes.")
    return _change_status(slug, services.publish_event, done)


@bp.post("/<slug>/unpublish")
@requires(Permission.MANAGE_EVENTS)
def unpublish(slug: str):
    done = _("La réunion est repassée en brouillon : sa page n'est plus visible.")
    return _change_status(slug, services.unpublish_event, done)


@bp.route("/<slug>/cancel", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def cancel(slug: str):
    event = get_event(slug)
    form = ConfirmForm()
    if form.validate_on_submit():
        notified = services.cancel_event(event.id, acting_user())
        flash(
            ngettext(
                "La réunion est annulée. %(num)d personne inscrite est prévenue par e-mail.",
                "La réunion est annulée. %(num)d personnes inscrites sont prévenues par e-mail.",
                notified,
            )
        )
        return _to_event(slug)
    counts = figures([event])[event.id]
    return render_template("staff/events/cancel.html", event=event, form=form, figures=counts)
