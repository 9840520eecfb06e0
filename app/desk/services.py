"""The building's security desk: its list of people expected, sent on time, then the changes.

At the cutoff (by default the day before the event at 12:00, Paris time) the desk's addresses
get the frozen list of confirmed people, checked in or not: a PDF sign-in sheet and a
spreadsheet with accessibility needs. `DeskEntry` remembers whom the desk knows; each later run
sends an addendum of only the people added and withdrawn since, and nothing when nothing
changed. A run locks the event row, so two runs at once (cron, worker, a click) send once.
Every sending is audited; staff can send one again.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from app import audit
from app.database import run_in_transaction
from app.desk import messages
from app.errors import DomainError, NotFound
from app.events.services import lock_event
from app.extensions import db
from app.models import (
    DeskEntry,
    DeskSending,
    DeskSetting,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    utcnow,
)

#: The desk's day-before cutoff is read in Paris time, where the building is.
DESK_ZONE = ZoneInfo("Europe/Paris")
DEFAULT_CUTOFF = time(12, 0)
MAX_RECIPIENTS = 10


class DeskSendingNotFound(NotFound):
    code = "desk_sending_not_found"


class InvalidDeskSetting(DomainError):
    code = "invalid_desk_setting"


@dataclass
class Changes:
    """Who the desk should now know about: everyone (a list) or the changes (an addendum)."""

    kind: str
    added: list[Registration]
    removed: list[Registration]


def default_cutoff(event: Event) -> datetime:
    """Return the day before the event at 12:00, Paris time, as a UTC instant."""
    day = event.starts_at.astimezone(DESK_ZONE).date() - timedelta(days=1)
    return datetime.combine(day, DEFAULT_CUTOFF, DESK_ZONE).astimezone(UTC)


def cutoff(event: Event) -> datetime:
    """Return when the desk's list goes: the one set for the event, or the default."""
    setting = db.session.get(DeskSetting, event.id)
    if setting is not None and setting.cutoff_at is not None:
        return setting.cutoff_at
    return default_cutoff(event)


def setting(event: Event) -> DeskSetting | None:
    return db.session.get(DeskSetting, event.id)


def apply_setting(event: Event, recipients: list[str], cutoff_at: datetime | None) -> dict:
    """Set an event's desk inside the caller's unit; return what changed ({} if nothing)."""
    if len(recipients) > MAX_RECIPIENTS:
        raise InvalidDeskSetting(f"at most {MAX_RECIPIENTS} addresses", field="desk_recipients")
    current = db.session.get(DeskSetting, event.id) or DeskSetting(event_id=event.id)
    before = {"recipients": current.recipients or "", "cutoff_at": current.cutoff_at}
    after = {"recipients": ",".join(recipients), "cutoff_at": cutoff_at}
    if before == after:
        return {}
    current.recipients, current.cutoff_at = after["recipients"], cutoff_at
    db.session.add(current)
    return after


def parse_addresses(text: str) -> list[str]:
    """Read comma- or space-separated addresses, normalised; raise InvalidDeskSetting."""
    addresses = []
    for candidate in text.replace(";", ",").replace(" ", ",").split(","):
        if not candidate.strip():
            continue
        try:
            address = validate_email(candidate.strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise InvalidDeskSetting(f"not an e-mail address: {candidate.strip()}") from None
        if address not in addresses:
            addresses.append(address)
    if len(addresses) > MAX_RECIPIENTS:
        raise InvalidDeskSetting(f"at most {MAX_RECIPIENTS} addresses")
    return addresses


def apply_form_values(event: Event, values: dict) -> dict:
    """Apply the event form's desk fields, if given; return what changed, for the audit."""
    if "desk_recipients" not in values:
        return {}
    addresses = parse_addresses(values["desk_recipients"] or "")
    changed = apply_setting(event, addresses, values.get("desk_cutoff_at"))
    return {f"desk_{name}": value for name, value in changed.items()}


def set_desk(
    slug: str, recipients: list[str], cutoff_at: datetime | None, actor
) -> tuple[dict, datetime]:
    """Set an event's desk addresses and cutoff, audited.

    A naive `cutoff_at` is read in the event's time zone; None means the default. Return
    what changed ({} if nothing) and the cutoff in the event's time zone.
    """

    def unit() -> tuple[dict, datetime]:
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None:
            raise NotFound(f"no event {slug}", slug=slug)
        event = lock_event(event.id)
        moment = cutoff_at
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=event.tz).astimezone(UTC)
        changed = apply_setting(event, recipients, moment)
        if changed:
            audit.record(actor, "desk.settings", event=event, before=None, after=changed)
        return changed, (moment or default_cutoff(event)).astimezone(event.tz)

    return run_in_transaction(unit)


def due_events(now: datetime) -> list[int]:
    """Return the ids of the events whose desk list is due: cutoff passed, event not over."""
    query = (
        select(Event, DeskSetting)
        .join(DeskSetting, DeskSetting.event_id == Event.id)
        .where(
            DeskSetting.recipients != "",
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at > now,
        )
    )
    return [
        event.id
        for event, desk in db.session.execute(query)
        if (desk.cutoff_at or default_cutoff(event)) <= now
    ]


def send_due(now: datetime | None = None, actor=None) -> list[DeskSending]:
    """Send every list and addendum that is due; return the sendings (none if none is due).

    Idempotent and safe to run from cron as often as wanted.
    """
    now = now or utcnow()
    sendings = []
    for event_id in due_events(now):
        sending = run_in_transaction(lambda event_id=event_id: _send(event_id, now, actor))
        if sending is not None:
            sendings.append(sending)
    return sendings


def _send(event_id: int, now: datetime, actor) -> DeskSending | None:
    event = lock_event(event_id)
    desk = db.session.get(DeskSetting, event_id)
    changes = _changes(event)
    if changes is None or desk is None or not desk.addresses:
        return None
    sending = DeskSending(
        event_id=event.id,
        kind=changes.kind,
        recipients=desk.recipients,
        added=len(changes.added),
        removed=len(changes.removed),
        created_at=now,
        actor_id=actor.id if actor is not None else None,
    )
    db.session.add(sending)
    for registration in changes.added:
        db.session.add(DeskEntry(event_id=event.id, registration_id=registration.id))
    for registration in changes.removed:
        db.session.delete(db.session.get(DeskEntry, (event.id, registration.id)))
    sending.message = messages.queue(event, changes, desk.addresses, now, sending)
    db.session.flush()
    after = {"recipients": desk.recipients, "added": sending.added, "removed": sending.removed}
    audit.record(actor, f"desk.{changes.kind}", event=event, before=None, after=after)
    return sending


def _changes(event: Event) -> Changes | None:
    """Return what the desk must be told now, or None when it knows everything."""
    expected = {
        registration.id: registration
        for registration in db.session.scalars(
            select(Registration).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
    }
    first = db.session.scalar(select(DeskSending.id).where(DeskSending.event_id == event.id))
    known = set(
        db.session.scalars(select(DeskEntry.registration_id).where(DeskEntry.event_id == event.id))
    )
    added = [registration for key, registration in expected.items() if key not in known]
    removed = [db.session.get(Registration, key) for key in known - expected.keys()]
    if first is None:
        return Changes("list", added, [])
    if not added and not removed:
        return None
    return Changes("addendum", added, removed)


def resend(slug: str, sending_id: int, actor) -> DeskSending:
    """Send one sending again, same text and files, to the desk's current addresses."""

    def unit() -> DeskSending:
        original = db.session.get(DeskSending, sending_id)
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if original is None or event is None or original.event_id != event.id:
            raise DeskSendingNotFound(sending_id=sending_id)
        if original.message is None:
            raise DeskSendingNotFound(sending_id=sending_id)
        desk = db.session.get(DeskSetting, event.id)
        addresses = desk.addresses if desk is not None and desk.addresses else []
        addresses = addresses or original.recipients.split(",")
        copy = DeskSending(
            event_id=event.id,
            kind="resend",
            resent_id=original.id,
            recipients=",".join(addresses),
            added=original.added,
            removed=original.removed,
            created_at=utcnow(),
            actor_id=actor.id if actor is not None else None,
        )
        db.session.add(copy)
        copy.message = messages.copy(original.message, addresses, copy)
        after = {"recipients": copy.recipients, "resent": original.id, "kind": original.kind}
        audit.record(actor, "desk.resend", event=event, before=None, after=after)
        return copy

    return run_in_transaction(unit)


def sendings(event: Event) -> list[DeskSending]:
    """Return what was sent to the desk for an event, newest first."""
    query = (
        select(DeskSending)
        .where(DeskSending.event_id == event.id)
        .order_by(DeskSending.created_at.desc(), DeskSending.id.desc())
    )
    return list(db.session.scalars(query))
