"""JSON shapes of the API: plain functions of model objects, no request.

A registration is shown only through the fields its reader may see (app.auth.fields).
"""


def _instant(value):
    return value.isoformat() if value is not None else None


#: How each field reads off a registration (read only when the reader may see it).
_FIELDS = {
    "id": lambda r: r.id,
    "code": lambda r: r.code,
    "reference": lambda r: r.reference,
    "given_name": lambda r: r.given_name,
    "family_name": lambda r: r.family_name,
    "email": lambda r: r.email,
    "organisation": lambda r: r.organisation,
    "job_title": lambda r: r.job_title,
    "phone": lambda r: r.phone,
    "accessibility_needs": lambda r: r.accessibility_needs,
    "status": lambda r: r.status,
    "waitlist_position": lambda r: r.waitlist_position,
    "registered_at": lambda r: _instant(r.created_at),
    "checked_in_at": lambda r: _instant(r.checked_in_at),
    "checked_in_by": lambda r: r.checked_in_by.email if r.checked_in_by else None,
    "conflict": lambda r: r.has_conflict,
}


def registration_json(registration, fields: frozenset[str]) -> dict:
    """The registration's fields that `fields` allows, under the contract's names."""
    return {name: read(registration) for name, read in _FIELDS.items() if name in fields}


def scan_json(outcome, fields: frozenset[str]) -> dict:
    """What the door shows for a scan: the status, whom it was, and the first check-in."""
    body = {"status": str(outcome.result)}
    registration = outcome.registration
    if registration is not None:
        body["registration"] = registration_json(registration, fields)
        if outcome.result == "other_event":
            body["registration"] = {
                "given_name": registration.given_name,
                "family_name": registration.family_name,
                "event_title": registration.event.title,
            }
    if outcome.checked_in_at is not None:
        body["checked_in_at"] = _instant(outcome.checked_in_at)
        body["by"] = outcome.checked_in_by
    return body


def offline_ticket_json(registration, keys: list[str]) -> dict:
    """A ticket in a door phone's offline copy: hashes of its code and reference, never them."""
    return {
        "id": registration.id,
        "keys": keys,
        "given_name": registration.given_name,
        "family_name": registration.family_name,
        "organisation": registration.organisation,
        "status": registration.status,
        "checked_in_at": _instant(registration.checked_in_at),
    }


def _scan_json(scan) -> dict:
    who = scan.staff_user.email if scan.staff_user else None
    return {
        "at": _instant(scan.created_at),
        "by": who,
        "device": scan.device,
        "offline": bool(scan.synced_at),
    }


def synced_json(synced, event, fields: frozenset[str]) -> dict:
    """What a phone hears back of one offline scan: its result, and the conflict if any."""
    registration = synced.registration
    body = {
        "nonce": synced.nonce,
        "status": str(synced.result),
        "registration": registration_json(registration, fields),
        "checked_in_at": _instant(registration.checked_in_at),
        "conflict": None,
    }
    if synced.conflict is not None:
        body["conflict"] = {
            "first": _scan_json(synced.conflict.first_scan),
            "second": _scan_json(synced.conflict.second_scan),
        }
    return body
