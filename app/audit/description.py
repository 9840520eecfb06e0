"""An audit entry in words: each recorded value with its label, instants in local time."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from app.audit.labels import FIELDS, VALUES
from app.labels import YES_NO, label
from app.models import AuditEntry

INSTANT_KEYS = {"starts_at", "ends_at", "registration_opens_at", "registration_closes_at"}
#: Long values (a description) are shortened on screen; the log keeps them whole.
MAX_SHOWN = 160
DEFAULT_ZONE = ZoneInfo("Europe/Paris")


@dataclass
class Change:
    label: str
    #: None when the entry has no "before" for this value (a creation).
    before: str | None
    after: str


def describe(entry: AuditEntry, hidden: frozenset[str] = frozenset()) -> list[Change]:
    """Return an entry's values in words, instants in the event's local time; the `hidden`
    ones (fields the reader's role may not see) are left out."""
    zone = entry.event.tz if entry.event is not None else DEFAULT_ZONE
    before, after = entry.before or {}, entry.after or {}
    return [
        Change(
            label=label(FIELDS, key),
            before=_shown(key, before[key], zone) if key in before else None,
            after=_shown(key, after.get(key), zone),
        )
        for key in dict.fromkeys([*before, *after])
        if key not in hidden
        # A creation lists what was set, not every empty field.
        and (entry.before is not None or after.get(key) not in (None, "", []))
    ]


def _shown(key: str, value, zone: ZoneInfo) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True or value is False:
        return str(YES_NO[value])
    if key in INSTANT_KEYS and isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(zone).strftime("%d/%m/%Y %H:%M")
    if key in VALUES:
        return label(VALUES[key], value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
