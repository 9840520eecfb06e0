"""What staff may do with an event, in one list: the event page, the dashboard's rows and the
attendee list all show it, each entry only to the roles whose permission it needs.

Adding an action is one line in `ACTIONS`: its words, its endpoint (called with the event's
`slug`), the permission its route requires, and its group. A route keeps its own guard
(`app.auth.requires`): hiding a link is a convenience, never the protection.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.auth import Permission, has_permission
from app.models import Event, EventStatus


def _published(event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED


def _draft(event: Event) -> bool:
    return event.status == EventStatus.DRAFT


def _not_cancelled(event: Event) -> bool:
    return event.status != EventStatus.CANCELLED


@dataclass(frozen=True)
class Action:
    label: str
    endpoint: str
    permission: Permission
    #: A key of GROUPS: where the action is listed.
    group: str
    #: Whether the action makes sense for this event now (a draft has no door yet...).
    when: Callable[[Event], bool] = lambda event: True
    #: "post": a button in a form with its CSRF token; "get": a link.
    method: str = "get"
    #: Query arguments added to the URL.
    args: dict = field(default_factory=dict)

    @property
    def download(self) -> bool:
        return self.endpoint.startswith("exports.")


#: The groups, in the order shown, with their titles.
GROUPS = {
    "door": _l("Accueil des participants"),
    "attendees": _l("Inscrits"),
    "exports": _l("Exports"),
    "event": _l("La réunion"),
}

# fmt: off
ACTIONS = (
    Action(_l("Écran d'accueil (entrée)"), "checkin.screen", Permission.CHECKIN, "door", _published),
    Action(_l("Liste des inscrits"), "staff.attendees.index", Permission.VIEW, "attendees"),
    Action(_l("Ajouter une personne"), "staff.attendees.add", Permission.MANAGE_EVENTS, "attendees", _not_cancelled),
    Action(_l("Écrire aux participants"), "staff.messages.new", Permission.MANAGE_EVENTS, "attendees"),
    Action(_l("Liste des inscrits, tableur CSV"), "exports.csv", Permission.EXPORT, "exports"),
    Action(_l("Liste des inscrits, classeur Excel (XLSX)"), "exports.xlsx", Permission.EXPORT, "exports"),
    Action(_l("Toutes les inscriptions, avec attente et annulations (XLSX)"), "exports.xlsx", Permission.EXPORT, "exports", args={"status": "all"}),
    Action(_l("Feuille d'émargement à imprimer (PDF)"), "exports.sign_in_sheet", Permission.EXPORT, "exports"),
    Action(_l("Badges nominatifs à imprimer (PDF)"), "exports.badges", Permission.EXPORT, "exports"),
    Action(_l("Modifier"), "staff.events.edit", Permission.MANAGE_EVENTS, "event", _not_cancelled),
    Action(_l("Publier"), "staff.events.publish", Permission.MANAGE_EVENTS, "event", _draft, "post"),
    Action(_l("Repasser en brouillon"), "staff.events.unpublish", Permission.MANAGE_EVENTS, "event", _published, "post"),
    Action(_l("Nouvelle session à partir de celle-ci"), "staff.events.duplicate", Permission.MANAGE_EVENTS, "event"),
    Action(_l("Annuler la réunion"), "staff.events.cancel", Permission.MANAGE_EVENTS, "event", _not_cancelled),
)
# fmt: on


@dataclass(frozen=True)
class Link:
    """An action made concrete for one event and one person: what a page shows."""

    action: Action
    url: str

    @property
    def label(self) -> str:
        return self.action.label


def allowed(event: Event, user) -> list[Action]:
    """Return the actions `user` may take on `event` now, in the order of ACTIONS."""
    return [
        action
        for action in ACTIONS
        if has_permission(user, action.permission) and action.when(event)
    ]


def event_actions(event: Event, user) -> list[tuple[str, list[Link]]]:
    """Return the allowed actions as links, grouped: [(group title, [Link, ...]), ...]."""
    links = {key: [] for key in GROUPS}
    for action in allowed(event, user):
        url = url_for(action.endpoint, slug=event.slug, **action.args)
        links[action.group].append(Link(action, url))
    return [(GROUPS[key], found) for key, found in links.items() if found]
