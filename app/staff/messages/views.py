"""Staff pages to write to an event's registrants: compose, preview, send, what was sent.

Organisers and admins only (MANAGE_EVENTS): viewers and door staff get 403.
"""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from app.auth import Permission, acting_user, requires
from app.events.services import get_event
from app.staff.messages import services
from app.staff.messages.forms import MessageForm

bp = Blueprint("messages", __name__, url_prefix="/events/<slug>/messages")

ERRORS = {
    "certificate_not_available": (
        "with_certificate",
        _l(
            "L'attestation ne peut être jointe qu'au message aux personnes venues, "
            "une fois la réunion terminée."
        ),  # fmt: skip
    ),
    "nobody_to_write": ("segment", _l("Personne à qui écrire dans ce groupe.")),
}


def _compose(event, form, status: int = 200):
    form.count_segments(services.segment_reach(event))
    page = render_template(
        "staff/messages/compose.html",
        event=event,
        form=form,
        sent=services.sent_messages(event),
    )
    return page, status


def _refused(event, form, error):
    field, message = ERRORS[error.code]
    form[field].errors = [*form[field].errors, str(message)]
    return _compose(event, form, 422)


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVENTS)
def new(slug: str):
    """The form, empty, or as the preview's « Modifier » sends it back."""
    event = get_event(slug)
    return _compose(event, MessageForm())


@bp.post("/preview")
@requires(Permission.MANAGE_EVENTS)
def preview(slug: str):
    event = get_event(slug)
    form = MessageForm()
    if not form.validate_on_submit():
        return _compose(event, form, 422)
    try:
        shown = services.preview(event, form.draft())
    except (services.CertificateNotAvailable, services.NobodyToWrite) as error:
        return _refused(event, form, error)
    return render_template("staff/messages/preview.html", event=event, form=form, preview=shown)


@bp.post("/send")
@requires(Permission.MANAGE_EVENTS)
def send(slug: str):
    event = get_event(slug)
    form = MessageForm()
    if not form.validate_on_submit():
        return _compose(event, form, 422)
    try:
        message = services.send_message(slug, form.draft(), form.submission(), acting_user())
    except (services.CertificateNotAvailable, services.NobodyToWrite) as error:
        return _refused(event, form, error)
    return redirect(url_for("staff.messages.show", slug=slug, message_id=message.id), 303)


@bp.get("/<int:message_id>")
@requires(Permission.MANAGE_EVENTS)
def show(slug: str, message_id: int):
    event = get_event(slug)
    message = services.get_message(event, message_id)
    return render_template("staff/messages/sent.html", event=event, message=message)
