"""JSON shapes of the API: plain functions of model objects, no request."""


def _instant(value):
    return value.isoformat() if value is not None else None


def registration_json(registration) -> dict:
    """The fields of the contract, for a registration."""
    return {
        "code": registration.code,
        "given_name": registration.given_name,
        "family_name": registration.family_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "job_title": registration.job_title,
        "status": registration.status,
        "waitlist_position": registration.waitlist_position,
        "registered_at": _instant(registration.created_at),
        "checked_in_at": _instant(registration.checked_in_at),
    }


def scan_json(outcome, event) -> dict:
    """What the door shows for a scan: the status, whom it was, and the first check-in."""
    body = {"status": str(outcome.result)}
    registration = outcome.registration
    if registration is not None:
        body["registration"] = registration_json(registration)
        if registration.event_id != event.id:
            body["registration"] = {
                "given_name": registration.given_name,
                "family_name": registration.family_name,
                "event_title": registration.event.title,
            }
    if outcome.checked_in_at is not None:
        body["checked_in_at"] = _instant(outcome.checked_in_at)
        body["by"] = outcome.checked_in_by
    return body
