"""Export routes: the attendee list as CSV and XLSX, the sign-in sheet and badges as PDF.

Every download starts at once: CSV and XLSX stream row by row, a PDF page by page. The CSV
and XLSX hold the people expected unless `?status=` says otherwise (`all`, `waitlisted`,
`cancelled`, `checked_in`), with the columns of the person's role.
"""

from functools import partial

from flask import Blueprint, Response, abort, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth import Permission, acting_user, requires
from app.errors import error_page
from app.events.services import get_event
from app.exports import services
from app.exports.certificates import certificate_file
from app.exports.csv import csv_chunks
from app.exports.pdf import badges_chunks, sign_in_sheet_chunks
from app.exports.xlsx import xlsx_chunks
from app.models import utcnow
from app.registration.attendance import CertificateRefused
from app.registration.services import get_managed

bp = Blueprint("exports", __name__, url_prefix="/staff/events")
#: The registrant's own files, opened from their management page (/m/<secret>).
certificate_bp = Blueprint("certificate", __name__, url_prefix="/m/<secret>")

SEPARATORS = {None: ";", ";": ";", ",": ","}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body, event, content: str, extension: str, mimetype: str) -> Response:
    day = utcnow().astimezone(event.tz).date()
    response = Response(stream_with_context(body), mimetype=mimetype)
    name = services.export_filename(event, content, extension, day)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # personal data
    response.headers["X-Accel-Buffering"] = "no"  # let a proxy pass the first bytes on
    return response


def _status() -> str:
    status = request.args.get("status") or services.DEFAULT_STATUS
    if status != "all" and status not in services.STATUS_FILTERS:
        abort(400, _("Statut inconnu."))
    return status


def _list(slug: str, export_format: str, build, extension: str, mimetype: str) -> Response:
    event = get_event(slug)
    status = _status()
    query_status = None if status == "all" else status
    services.record_export(event, acting_user(), export_format, query_status)
    rows = services.attendee_rows(event, query_status)
    body = build(rows, columns=services.export_columns(acting_user()))
    return _download(body, event, status, extension, mimetype)


@bp.get("/<slug>/attendees.csv")
@requires(Permission.EXPORT)
def csv(slug: str):
    separator = SEPARATORS.get(request.args.get("sep"))
    if separator is None:
        abort(400)
    return _list(slug, "csv", partial(csv_chunks, separator=separator), "csv", "text/csv")


@bp.get("/<slug>/attendees.xlsx")
@requires(Permission.EXPORT)
def xlsx(slug: str):
    return _list(slug, "xlsx", xlsx_chunks, "xlsx", XLSX)


def _pdf(slug: str, export_format: str, builder, content: str) -> Response:
    """A PDF of the confirmed attendees (sign-in sheet or badges)."""
    event = get_event(slug)
    services.record_export(event, acting_user(), export_format, "confirmed")
    heading = services.event_heading(event)
    rows = services.attendee_rows(event, "confirmed")
    return _download(builder(heading, rows), event, content, "pdf", "application/pdf")


@bp.get("/<slug>/sign-in-sheet.pdf")
@requires(Permission.EXPORT)
def sign_in_sheet(slug: str):
    return _pdf(slug, "pdf", sign_in_sheet_chunks, "sign_in_sheet")


@bp.get("/<slug>/badges.pdf")
@requires(Permission.EXPORT)
def badges(slug: str):
    return _pdf(slug, "badges", badges_chunks, "badges")


#: Why a certificate is refused, in the registrant's words.
CERTIFICATE_REFUSALS = {
    "not_checked_in": _l(
        "Aucune entrée n'a été enregistrée à votre nom pour cette réunion : "
        "nous ne pouvons pas attester votre présence."
    ),
    "event_not_over": _l("L'attestation de présence sera disponible à la fin de la réunion."),
}


@certificate_bp.get("/attestation.pdf")
def certificate(secret: str):
    """The registrant's attendance certificate, once the event is over, if they came."""
    try:
        filename, data = certificate_file(get_managed(secret))
    except CertificateRefused as refusal:
        return error_page(403, str(CERTIFICATE_REFUSALS[refusal.code]))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response
