"""The audit log: every staff action writes an entry inside its own unit of work."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Event, Registration, StaffUser

#: French labels of the actions, for the log page.
ACTIONS = {
    "event.create": _l("Réunion créée"),
    "event.update": _l("Réunion modifiée"),
    "event.duplicate": _l("Réunion créée par duplication"),
    "event.publish": _l("Réunion publiée"),
    "event.unpublish": _l("Réunion dépubliée"),
    "event.cancel": _l("Réunion annulée"),
    "registration.add": _l("Inscription ajoutée à la main"),
    "registration.cancel": _l("Inscription annulée"),
    "registration.promote": _l("Inscription confirmée depuis la liste d'attente"),
    "registration.resend_ticket": _l("Billet renvoyé"),
    "registration.correct": _l("Coordonnées corrigées"),
    "account.create": _l("Compte créé"),
    "account.update": _l("Compte modifié"),
    "account.password_change": _l("Mot de passe changé"),
    "account.password_reset": _l("Mot de passe réinitialisé"),
    "export.csv": _l("Liste exportée (CSV)"),
    "export.xlsx": _l("Liste exportée (Excel)"),
    "export.pdf": _l("Feuille d'émargement exportée (PDF)"),
    "export.badges": _l("Badges exportés (PDF)"),
    "export.json": _l("Liste lue par l'API (JSON)"),
}

#: French names of the values the log records.
FIELD_LABELS = {
    "slug": _l("Adresse de la page"),
    "title": _l("Titre"),
    "description": _l("Présentation"),
    "starts_at": _l("Début"),
    "ends_at": _l("Fin"),
    "timezone": _l("Fuseau horaire"),
    "venue_name": _l("Nom du lieu"),
    "street": _l("Adresse"),
    "postcode": _l("Code postal"),
    "city": _l("Ville"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "capacity": _l("Places"),
    "registration_opens_at": _l("Ouverture des inscriptions"),
    "registration_closes_at": _l("Clôture des inscriptions"),
    "per_organisation_limit": _l("Limite par organisation"),
    "organisation_overflow": _l("Au-delà de la limite"),
    "allowed_email_domains": _l("Domaines autorisés"),
    "waitlist_enabled": _l("Liste d'attente"),
    "status": _l("État"),
    "organiser_name": _l("Organisé par"),
    "organiser_email": _l("Contact"),
    "given_name": _l("Prénom"),
    "family_name": _l("Nom"),
    "email": _l("Adresse électronique"),
    "organisation": _l("Organisation"),
    "job_title": _l("Fonction"),
    "phone": _l("Téléphone"),
    "accessibility_needs": _l("Besoins d'accessibilité"),
    "waitlist_position": _l("Position en liste d'attente"),
    "over_capacity": _l("Au-delà de la capacité"),
    "reason": _l("Motif"),
    "promoted": _l("Place donnée à"),
    "notified": _l("Personnes prévenues"),
    "source": _l("Dupliquée de"),
    "role": _l("Rôle"),
    "active": _l("Actif"),
}

#: French words for the coded values of these fields.
VALUE_LABELS = {
    "status": {
        "confirmed": _l("confirmée"),
        "waitlisted": _l("en liste d'attente"),
        "cancelled": _l("annulée"),
        "draft": _l("brouillon"),
        "published": _l("publiée"),
    },
    "role": {
        "admin": _l("administrateur"),
        "organiser": _l("organisateur"),
        "viewer": _l("lecteur"),
        "checkin": _l("accueil"),
    },
    "organisation_overflow": {"waitlist": _l("liste d'attente"), "refuse": _l("refus")},
}

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
REGISTRATION_FIELDS = (
    "given_name",
    "family_name",
    "email",
    "organisation",
    "job_title",
    "phone",
    "accessibility_needs",
    "status",
    "waitlist_position",
)


def record(
    actor: StaffUser | None,
    action: str,
    *,
    event: Event | None = None,
    registration: Registration | None = None,
    target: str,
    before: dict | None,
    after: dict | None,
) -> AuditEntry:
    """Add an entry to the current session (no commit): the caller's unit commits it.

    `actor` None means the command line.
    """
    if registration is not None and event is None:
        event = registration.event
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


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """Return the named attributes of a model as a plain dict."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose value changed, as (before, after)."""
    changed = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


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


def describe(entry: AuditEntry) -> list[Change]:
    """Return an entry's values in French words, instants in the event's local time."""
    zone = entry.event.tz if entry.event is not None else DEFAULT_ZONE
    before, after = entry.before or {}, entry.after or {}
    return [
        Change(
            label=str(FIELD_LABELS.get(key, key)),
            before=_shown(key, before[key], zone) if key in before else None,
            after=_shown(key, after.get(key), zone),
        )
        for key in dict.fromkeys([*before, *after])
        # A creation lists what was set, not every empty field.
        if entry.before is not None or after.get(key) not in (None, "", [])
    ]


def _shown(key: str, value, zone: ZoneInfo) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True or value is False:
        return str(_l("oui") if value else _l("non"))
    if key in INSTANT_KEYS and isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(zone).strftime("%d/%m/%Y %H:%M")
    if key in VALUE_LABELS:
        return str(VALUE_LABELS[key].get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def entries(
    *, event_id: int | None = None, actor_id: int | None = None, page: int = 1, per_page: int = 50
):
    """Return one page of the log, newest first, filtered by event and staff member."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if event_id is not None:
        query = query.where(AuditEntry.event_id == event_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


def registration_entries(registration: Registration) -> list[AuditEntry]:
    """Return the log entries about one registration, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.registration_id == registration.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    return list(db.session.scalars(query))
