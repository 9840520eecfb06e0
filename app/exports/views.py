"""Export routes: the attendee list as CSV and XLSX, the sign-in sheet and badges as PDF."""

from flask import Blueprint, Response, abort, request, stream_with_context
from flask_babel import gettext as _

from app.auth import Permission, acting_user, requires
from app.events.services import get_event
from app.exports import services
from app.exports.csv import csv_chunks
from app.exports.pdf import badges_pdf, sign_in_sheet_pdf
from app.exports.xlsx import xlsx_chunks
from app.models import utcnow

bp = Blueprint("exports", __name__, url_prefix="/staff/events")

SEPARATORS = {None: ";", ";": ";", ",": ","}


def _download(body, event, extension: str, mimetype: str) -> Response:
    day = utcnow().astimezone(event.tz).date()
    response = Response(body, mimetype=mimetype)
    name = services.export_filename(event, extension, day)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response


def _status() -> str | None:
    status = request.args.get("status") or None
    if status is not None and status not in services.STATUS_FILTERS:
        abort(400, _("Statut inconnu."))
    return status


@bp.get("/<slug>/attendees.csv")
@requires(Permission.EXPORT)
def csv(slug: str):
    event = get_event(slug)
    status = _status()
    separator = SEPARATORS.get(request.args.get("sep"))
    if separator is None:
        abort(400)
    services.record_export(event, acting_user(), "csv", status)
    rows = services.attendee_rows(event, status)
    body = stream_with_context(csv_chunks(rows, separator=separator))
    return _download(body, event, "csv", "text/csv")


@bp.get("/<slug>/attendees.xlsx")
@requires(Permission.EXPORT)
def xlsx(slug: str):
    event = get_event(slug)
    status = _status()
    services.record_export(event, acting_user(), "xlsx", status)
    body = stream_with_context(xlsx_chunks(services.attendee_rows(event, status)))
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, event, "xlsx", mimetype)


def _pdf(slug: str, export_format: str, builder) -> Response:
    """A PDF of the confirmed attendees (sign-in sheet or badges)."""
    event = get_event(slug)
    services.record_export(event, acting_user(), export_format, "confirmed")
    body = builder(services.event_heading(event), services.attendee_rows(event, "confirmed"))
    return _download(body, event, "pdf", "application/pdf")


@bp.get("/<slug>/sign-in-sheet.pdf")
@requires(Permission.EXPORT)
def sign_in_sheet(slug: str):
    return _pdf(slug, "pdf", sign_in_sheet_pdf)


@bp.get("/<slug>/badges.pdf")
@requires(Permission.EXPORT)
def badges(slug: str):
    return _pdf(slug, "badges", badges_pdf)
