"""Every page a person can see, in every state: the tour that axe-core, the network log and the
Nu HTML checker walk (tests/test_tour.py).

`seed_tour()` makes the data (an event in each registration state, a registration in each
status, staff accounts, an audit trail); `tour(seeded)` lists the stops. A stop is a page
(`path`), seen by a visitor or a logged-in staff `role`; a state that only a POST shows
(errors, "already registered", "just cancelled") names the form to send and what to put in.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.models import EventStatus
from app.registration import services as registration_services
from app.staff.messages import services as message_services
from tests.factories import make_event, make_registration, make_staff

NOW = datetime.now(UTC)
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}

PERSON = {
    "given_name": "Élodie",
    "family_name": "Lefèvre",
    "email": "elodie.lefevre@finances.gouv.fr",
    "organisation": "DGFiP",
    "job_title": "Cheffe de bureau",
    "phone": "01 23 45 67 89",
    "accessibility_needs": "Boucle magnétique",
}


@dataclass(frozen=True)
class Stop:
    name: str
    path: str
    #: None: a visitor; else the staff role logged in ("admin", "checkin").
    role: str | None = None
    #: A POST state: the form to send (CSS selector), the values put in it, where it posts.
    form: str | None = None
    data: dict = field(default_factory=dict)
    action: str | None = None
    #: A button pressed once the page is shown (a dialog, the menu), in the browser only.
    press: str | None = None
    status: int = 200


def seed_tour() -> dict:
    """Create an event in each state, registrations in each status, staff, an audit trail."""
    meeting = make_event(
        slug="reunion-ami-ia",
        title="Réunion d'information AMI IA",
        description="Présentation de l'appel.\r\n\r\nQuestions et réponses.\r\nPuis un café.",
        capacity=150,
    )
    zoe = make_registration(
        meeting,
        given_name="Zoé",
        family_name="Nguyễn",
        email="zoe.nguyen@numerique.gouv.fr",
        organisation="DINUM",
    )
    leaving = make_registration(meeting, given_name="Jean", family_name="Départ")
    gone = make_registration(
        meeting, given_name="Jean", family_name="Annulé", status="cancelled", cancelled_at=NOW
    )
    waitlist = make_event(slug="liste-attente", title="Atelier complet, avec liste", capacity=1)
    make_registration(waitlist)
    waiting = make_registration(waitlist, status="waitlisted", waitlist_position=1)
    full = make_event(slug="complete", title="Atelier complet", capacity=1, waitlist_enabled=False)
    make_registration(full)
    make_event(slug="bientot", title="Bientôt", registration_opens_at=NOW + timedelta(days=2))
    make_event(slug="close", title="Close", registration_closes_at=NOW - timedelta(hours=1))
    cancelled = make_event(slug="annulee", title="Annulée", status=EventStatus.CANCELLED)
    past = make_event(slug="passee", title="Passée", starts_at=NOW - timedelta(days=3))
    came = make_registration(past, checked_in_at=past.starts_at + timedelta(minutes=5))
    make_event(slug="brouillon", title="Brouillon", status=EventStatus.DRAFT)
    admin = make_staff("admin", "admin@numerique.gouv.fr")
    make_staff("checkin", "porte@numerique.gouv.fr")
    # Staff actions leave an audit trail with sub-second instants (the history's <time>).
    added = registration_services.add_by_hand(meeting.id, {**PERSON, "locale": "fr"}, admin)
    thanks = message_services.Draft("checked_in", "Les supports", "Merci d'être venus.", True)
    message = message_services.send_message("passee", thanks, "f" * 32, admin)
    return {
        "meeting": meeting,
        "zoe": zoe,
        "leaving": leaving,
        "gone": gone,
        "waiting": waiting,
        "cancelled": cancelled,
        "added": added,
        "admin": admin,
        "came": came,
        "message": message,
    }


def tour(seeded: dict) -> list[Stop]:
    """Return the stops: every public page and state, then every staff page."""
    meeting, zoe, waiting = seeded["meeting"], seeded["zoe"], seeded["waiting"]
    leaving, gone, added = seeded["leaving"], seeded["gone"], seeded["added"]
    event_form = "#inscription form"
    staff_event = f"/staff/events/{meeting.slug}"
    return [
        Stop("home", "/"),
        Stop("event-open", f"/e/{meeting.slug}"),
        Stop(
            "event-errors",
            f"/e/{meeting.slug}",
            form=event_form,
            data={"given_name": "Zoé", "email": "pas-une-adresse"},
            action=f"/e/{meeting.slug}",
            status=422,
        ),
        Stop(
            "event-already-registered",
            f"/e/{meeting.slug}",
            form=event_form,
            data={**PERSON, "email": zoe.email},
            action=f"/e/{meeting.slug}",
            status=409,
        ),
        Stop("event-waitlist", "/e/liste-attente"),
        Stop("event-full", "/e/complete"),
        Stop("event-not-yet-open", "/e/bientot"),
        Stop("event-closed", "/e/close"),
        Stop("event-cancelled", "/e/annulee"),
        Stop("event-past", "/e/passee"),
        Stop("ticket", f"/t/{zoe.code}"),
        Stop("ticket-qr-full-screen", f"/t/{zoe.code}", press=".qr-button"),
        Stop("ticket-waitlisted", f"/t/{waiting.code}"),
        Stop("ticket-cancelled", f"/t/{gone.code}"),
        Stop("ticket-cancel-explained", f"/t/{zoe.code}/cancel"),
        Stop("manage", f"/m/{zoe.manage_secret}"),
        Stop("manage-certificate", f"/m/{seeded['came'].manage_secret}"),
        Stop("manage-cancelled", f"/m/{gone.manage_secret}"),
        Stop("manage-details", f"/m/{zoe.manage_secret}/details"),
        Stop(
            "manage-details-errors",
            f"/m/{zoe.manage_secret}/details",
            form="main form",
            data={"given_name": "", "phone": "appelez-moi"},
            action=f"/m/{zoe.manage_secret}/details",
            status=422,
        ),
        Stop("manage-erase", f"/m/{zoe.manage_secret}/erase"),
        Stop("cancel-confirm", f"/m/{zoe.manage_secret}/cancel"),
        Stop("cancel-waitlisted", f"/m/{waiting.manage_secret}/cancel"),
        Stop("cancel-already", f"/m/{gone.manage_secret}/cancel"),
        Stop(
            "manage-just-cancelled",
            f"/m/{leaving.manage_secret}/cancel",
            form="main form",
            action=f"/m/{leaving.manage_secret}/cancel",
            status=303,
        ),
        Stop("privacy", "/confidentialite"),
        Stop("legal-notice", "/mentions-legales"),
        Stop("accessibility", "/accessibilite"),
        Stop("not-found", "/e/inconnue", status=404),
        Stop("login", "/staff/login"),
        Stop(
            "login-errors",
            "/staff/login",
            form="main form",
            data={"email": "admin@numerique.gouv.fr", "password": "faux"},
            action="/staff/login",
            status=422,
        ),
        Stop("dashboard", "/staff/", role="admin"),
        Stop("staff-menu", "/staff/", role="admin", press="#bouton-menu"),
        Stop("event-new", "/staff/events/new", role="admin"),
        Stop(
            "event-new-errors",
            "/staff/events/new",
            role="admin",
            form="main form[method=post]",
            data={"title": "", "capacity": "-1"},
            action="/staff/events/new",
            status=422,
        ),
        Stop("event-show", staff_event, role="admin"),
        Stop("event-edit", f"{staff_event}/edit", role="admin"),
        Stop("event-duplicate", f"{staff_event}/duplicate", role="admin"),
        Stop("event-cancel", f"{staff_event}/cancel", role="admin"),
        Stop("event-show-cancelled", "/staff/events/annulee", role="admin"),
        Stop("event-show-draft", "/staff/events/brouillon", role="admin"),
        Stop("attendees", f"{staff_event}/attendees", role="admin"),
        Stop("attendees-waitlisted", "/staff/events/liste-attente/attendees", role="admin"),
        Stop("attendee-add", f"{staff_event}/attendees/new", role="admin"),
        Stop(
            "attendee-add-errors",
            f"{staff_event}/attendees/new",
            role="admin",
            form="main form[method=post]",
            data={"given_name": "", "email": "non"},
            action=f"{staff_event}/attendees/new",
            status=422,
        ),
        Stop("attendee-history", f"{staff_event}/attendees/{added.id}", role="admin"),
        Stop(
            "attendee-waitlisted",
            f"/staff/events/liste-attente/attendees/{waiting.id}",
            role="admin",
        ),
        Stop("attendee-edit", f"{staff_event}/attendees/{added.id}/edit", role="admin"),
        Stop("message-compose", "/staff/events/passee/messages/new", role="admin"),
        Stop(
            "message-errors",
            "/staff/events/passee/messages/new",
            role="admin",
            form="main form[method=post]",
            data={"subject": "", "body": ""},
            action="/staff/events/passee/messages/preview",
            status=422,
        ),
        Stop(
            "message-preview",
            "/staff/events/passee/messages/new",
            role="admin",
            form="main form[method=post]",
            data={
                "segment": "checked_in",
                "subject": "Les supports",
                "body": "Merci.\n\nÀ bientôt.",
            },
            action="/staff/events/passee/messages/preview",
        ),
        Stop("message-sent", f"/staff/events/passee/messages/{seeded['message'].id}", role="admin"),
        Stop("accounts", "/staff/users", role="admin"),
        Stop("account-new", "/staff/users/new", role="admin"),
        Stop("account-edit", f"/staff/users/{seeded['admin'].id}", role="admin"),
        Stop("audit", "/staff/audit", role="admin"),
        Stop("password", "/staff/password", role="admin"),
        Stop("door-home", "/staff/", role="checkin"),
        Stop("door", f"{staff_event}/checkin", role="checkin"),
        # /t/<code> opened by a door account lands here (the door's view of the ticket).
        Stop("ticket-at-the-door", f"{staff_event}/checkin/ticket/{zoe.code}", role="checkin"),
    ]
