"""The JSON API (v1): door scanning, counters, search, walk-ins, decoding, registrations."""

import re

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _

from app.api import schemas
from app.api.auth import api_requires, device, error, event_not_found
from app.api.openapi import OPENAPI
from app.auth import DOOR_FIELDS, Permission, visible_fields
from app.checkin import decoding
from app.checkin import services as door
from app.errors import NotFound
from app.events.services import get_public_event
from app.exports import services as exports
from app.extensions import csrf
from app.models import ScanResult
from app.urls import public_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer-token clients have no CSRF token; session callers must send X-CSRFToken
# (checked in app.api.auth).
csrf.exempt(bp)

NONCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: A page cursor or size: ASCII digits, small enough for a 32-bit id.
WHOLE = re.compile(r"^[0-9]{1,9}$")
#: HTTP status of each scan result.
SCAN_STATUS = {
    ScanResult.CHECKED_IN: 200,
    ScanResult.ALREADY_CHECKED_IN: 409,
    ScanResult.UNKNOWN: 404,
    ScanResult.CANCELLED: 422,
    ScanResult.WAITLISTED: 422,
    ScanResult.OTHER_EVENT: 422,
    ScanResult.MALFORMED: 422,
}


bp.register_error_handler(NotFound, event_not_found)


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


@bp.post("/events/<slug>/checkins")
@api_requires(Permission.CHECKIN)
def check_in(slug: str):
    event = get_public_event(slug)
    body = request.get_json(silent=True)
    code, registration_id = _scan_target(body)
    if code is None and registration_id is None:
        message = _('Attendu : {"code": "<adresse du billet ou code>"} ou {"id": <n>}.')
        return error(422, "malformed", message)
    nonce = body.get("nonce")
    if nonce is not None and (not isinstance(nonce, str) or not NONCE.match(nonce)):
        return error(422, "malformed", _("Le nonce : de 1 à 64 lettres, chiffres, - ou _."))
    outcome = door.check_in(
        event,
        (code or "")[:2000],
        actor=g.api_user,
        registration_id=registration_id,
        token_id=g.api_token.id if g.api_token else None,
        device=device(),
        nonce=nonce,
    )
    return jsonify(schemas.scan_json(outcome, DOOR_FIELDS)), SCAN_STATUS[outcome.result]


def _scan_target(body) -> tuple[str | None, int | None]:
    """What to let in: a scanned `code` (URL or code), or a door search's `id`."""
    if not isinstance(body, dict):
        return None, None
    code, registration_id = body.get("code"), body.get("id")
    if isinstance(code, str):
        return code, None
    if type(registration_id) is int and 0 < registration_id < 2**31:
        return None, registration_id
    return None, None


@bp.post("/events/<slug>/checkins/undo")
@api_requires(Permission.CHECKIN)
def undo(slug: str):
    event = get_public_event(slug)
    registration_id = _scan_target(request.get_json(silent=True))[1]
    try:
        registration = door.undo_last(
            event, actor=g.api_user, device=device(), registration_id=registration_id
        )
    except door.NothingToUndo:
        return error(409, "nothing_to_undo", _("Aucune entrée à annuler."))
    person = schemas.registration_json(registration, DOOR_FIELDS)
    return jsonify({"status": "undone", "registration": person})


@bp.get("/events/<slug>/door")
@api_requires(Permission.CHECKIN)
def counters(slug: str):
    event = get_public_event(slug)
    return jsonify(door.door_counts(event))


@bp.get("/events/<slug>/search")
@api_requires(Permission.CHECKIN)
def search(slug: str):
    event = get_public_event(slug)
    found = door.search(event, request.args.get("q", "")[:100])
    return jsonify({"results": [schemas.registration_json(r, DOOR_FIELDS) for r in found]})


@bp.post("/events/<slug>/decode")
@api_requires(Permission.CHECKIN)
def decode(slug: str):
    get_public_event(slug)
    try:
        text = decoding.decode_qr(request.get_data(cache=False))
    except decoding.BadImage:
        return error(422, "bad_image", _("Image illisible."))
    if text is None:
        return error(422, "no_code", _("Aucun QR code dans l'image."))
    return jsonify({"status": "decoded", "text": text})


@bp.get("/events/<slug>/registrations")
@api_requires(Permission.EXPORT)
def registrations(slug: str):
    event = get_public_event(slug)
    status = request.args.get("status") or None
    after = request.args.get("after", "0")
    limit = request.args.get("limit", "100")
    if not (WHOLE.match(after) and WHOLE.match(limit)) or not 1 <= int(limit) <= 500:
        return error(400, "bad_page", _("« after » et « limit » (1 à 500) sont des entiers."))
    try:
        page = exports.registrations_page(
            event, status=status, after=int(after), limit=int(limit), actor=g.api_user
        )
    except exports.UnknownStatusFilter:
        return error(400, "bad_status", _("Statut inconnu."))
    next_url = None
    if len(page) == int(limit):
        args = {"after": page[-1].id, "limit": limit, **({"status": status} if status else {})}
        # From BASE_URL, never from the request's Host header.
        next_url = public_url("api.registrations", slug=slug, **args)
    fields = visible_fields(g.api_user)
    rows = [schemas.registration_json(registration, fields) for registration in page]
    return jsonify({"registrations": rows, "next": next_url})
