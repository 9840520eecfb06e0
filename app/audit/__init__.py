"""The audit log: every staff action writes an entry inside its own unit of work.

This module writes: `record` adds an entry to the caller's unit (which commits
it), `snapshot` and `changes` say what changed. `labels` names actions and
values, `description` puts an entry into words, `queries` reads the log, and
`views` is its page for admins (/staff/audit).
"""

import warnings
from datetime import date, datetime

from app.audit.labels import ACTIONS, FIELDS
from app.extensions import db
from app.models import APPLICANT_FIELDS, AuditEntry, Event, Registration, StaffUser

#: What an event's entries record.
EVENT_FIELDS = (
    "slug",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "timezone",
    "venue_name",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "per_organisation_limit",
    "organisation_overflow",
    "allowed_email_domains",
    "waitlist_enabled",
    "status",
    "organiser_name",
    "organiser_email",
)
#: What a registration's entries record.
REGISTRATION_FIELDS = (*APPLICANT_FIELDS, "status", "waitlist_position")


def record(
    actor: StaffUser | None,
    action: str,
    *,
    event: Event | None = None,
    registration: Registration | None = None,
    target: str | None = None,
    before: dict | None,
    after: dict | None,
) -> AuditEntry:
    """Add an entry to the current session (no commit): the caller's unit commits it.

    `actor` None means the command line. The `target`, what the entry is about in
    words, is the registrant's name or the event's title unless given.
    """
    _check_wording(action, before, after)
    if registration is not None and event is None:
        event = registration.event
    if target is None:
        target = registration.full_name if registration is not None else event.title
    entry = AuditEntry(
        actor=actor,
        actor_email=actor.email if actor is not None else "",
        action=action,
        event=event,
        registration=registration,
        target=target[:300],
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(entry)
    return entry


class UnlabelledAuditValue(UserWarning):
    """An action or a value the log page would show raw: give it words in app.audit.labels."""


def _check_wording(action: str, *recorded: dict | None) -> None:
    keys = {key for values in recorded if values for key in values}
    missing = [f"the action {action!r} (ACTIONS)"] if action not in ACTIONS else []
    missing += [f"the value {key!r} (FIELDS)" for key in sorted(keys - FIELDS.keys())]
    if missing:
        message = "no words in app/audit/labels.py for " + ", ".join(missing)
        warnings.warn(message, UnlabelledAuditValue, stacklevel=3)


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """Return the named attributes of a model as a plain dict."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose value changed, as (before, after)."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
