"""The door offline: the tickets' copy a phone keeps, and the batch of scans it brings back."""

import re
from datetime import datetime

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.api import schemas
from app.api.auth import api_requires, device, error, event_not_found
from app.auth import DOOR_FIELDS, Permission
from app.checkin import offline, sync
from app.errors import NotFound
from app.events.services import get_public_event
from app.extensions import csrf

bp = Blueprint("api_offline", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

NONCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: Scans in one batch: a phone offline for an hour at a busy door stays well under it.
MAX_BATCH = 500
#: Why a batch is refused, by the stable code callers test.
REFUSED = {
    "unknown_ticket": _l("Billet inconnu : rien n'a été enregistré."),
    "other_event": _l("Billet d'une autre réunion : rien n'a été enregistré."),
    "time_in_future": _l("Heure de scan dans le futur : rien n'a été enregistré."),
    "time_outside_event": _l("Heure de scan hors du jour de la réunion : rien n'a été enregistré."),
    "before_door_opened": _l("Heure de scan bien avant l'ouverture : rien n'a été enregistré."),
    "nonce_reused": _l("Nonce déjà utilisé pour un autre scan : rien n'a été enregistré."),
}


bp.register_error_handler(NotFound, event_not_found)


def _instant(text) -> datetime | None:
    """Read an ISO 8601 instant that says its offset (a bare local time is ambiguous)."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


@bp.get("/events/<slug>/door/tickets")
@api_requires(Permission.CHECKIN)
def tickets(slug: str):
    event = get_public_event(slug)
    since = None
    if request.args.get("since"):
        since = _instant(request.args["since"])
        if since is None:
            return error(400, "bad_cursor", _("Curseur illisible : reprenez la copie complète."))
    try:
        copy = offline.door_copy(event, since)
    except offline.EventOver:
        return error(410, "event_over", _("La réunion est terminée : la copie est effacée."))
    rows = [schemas.offline_ticket_json(r, offline.ticket_keys(copy.key, r)) for r in copy.tickets]
    return jsonify(
        {
            "key": copy.key,
            "cursor": copy.cursor.isoformat(),
            "full": copy.full,
            "total": copy.total,
            "ends_at": event.ends_at.isoformat(),
            "tickets": rows,
        }
    )


def _scans(body) -> list[sync.OfflineScan] | tuple[int, str]:
    """Read the batch; return the scans, or (index, message) of the first malformed one."""
    items = body.get("scans") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        return -1, _('Attendu : {"scans": [{"nonce", "id" ou "code", "scanned_at"}, …]}.')
    scans = []
    for index, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        nonce, when = item.get("nonce"), _instant(item.get("scanned_at"))
        code, registration_id = item.get("code"), item.get("id")
        by_id = type(registration_id) is int and 0 < registration_id < 2**31
        if not (isinstance(nonce, str) and NONCE.match(nonce)) or when is None:
            return index, _("Chaque scan : un nonce et une heure ISO 8601 avec son fuseau.")
        if not by_id and not (isinstance(code, str) and code):
            return index, _('Chaque scan : un "id" ou un "code".')
        ticket = {"registration_id": registration_id} if by_id else {"code": code[:2000]}
        scans.append(sync.OfflineScan(nonce=nonce, scanned_at=when, **ticket))
    return scans


@bp.post("/events/<slug>/checkins/offline")
@api_requires(Permission.CHECKIN)
def sync_scans(slug: str):
    event = get_public_event(slug)
    scans = _scans(request.get_json(silent=True))
    if isinstance(scans, tuple):
        return error(422, "malformed", scans[1], index=scans[0])
    if len(scans) > MAX_BATCH:
        return error(413, "batch_too_large", _("Au plus 500 scans par envoi."))
    token_id = g.api_token.id if g.api_token else None
    try:
        synced = sync.sync_offline(
            event, scans, actor=g.api_user, token_id=token_id, device=device()
        )
    except sync.SyncRefused as refused:
        status = 409 if refused.code == "nonce_reused" else 422
        return error(status, refused.code, str(REFUSED[refused.code]), index=refused.index)
    answers = [schemas.synced_json(one, event, DOOR_FIELDS) for one in synced]
    return jsonify({"status": "synced", "scans": answers})
