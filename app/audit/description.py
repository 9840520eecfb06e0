"""An audit entry in words: its headline (the action, and the values it says), then each
other recorded value with its label, instants in local time. Never a raw key or code."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from app.audit.labels import ACTIONS, EXPORT_STATUS, FIELDS, HEADLINE_VALUES, VALUES
from app.labels import YES_NO, label
from app.models import AuditEntry

INSTANT_KEYS = {"starts_at", "ends_at", "registration_opens_at", "registration_closes_at"}
#: Long values (a description) are shortened on screen; the log keeps them whole.
MAX_SHOWN = 160
DEFAULT_ZONE = ZoneInfo("Europe/Paris")


#: How a headline value reads; None: the action's words already say it.
PHRASES = {
    "format": None,
    "rows": lambda rows: ngettext("%(num)s ligne", "%(num)s lignes", rows),
    "status": lambda status: _("statut : %(status)s", status=label(STATUS_WORDS, status)),
}
#: An export's filter said of people; any other status as the log says it elsewhere.
STATUS_WORDS = {**VALUES["status"], **EXPORT_STATUS}


def headline(entry: AuditEntry) -> str:
    """Return what the entry did, in words: « Export CSV, 7 lignes, statut : confirmés »."""
    words = ACTIONS.get(entry.action)
    parts = [str(words) if words is not None else _("Action sans description")]
    after = entry.after or {}
    for key in HEADLINE_VALUES.get(entry.action, ()):
        phrase = PHRASES.get(key)
        if phrase is not None and after.get(key) is not None:
            parts.append(phrase(after[key]))
    return ", ".join(parts)


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
    hidden = hidden | set(HEADLINE_VALUES.get(entry.action, ()))
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
