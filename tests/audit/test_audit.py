"""The audit log: its page for admins, and its entries in words."""

import re

from app.audit import description
from app.i18n import french_typography as fr
from app.models import AuditEntry, Event
from app.staff.events import services as events
from tests.factories import make_event, make_staff


def test_the_audit_log_filters_by_event_and_person(client, db, staff):
    admin = staff("admin")
    organiser = make_staff("organiser", "orga@numerique.gouv.fr")
    spring, autumn = make_event(title="Printemps"), make_event(title="Automne")
    events.unpublish_event(spring.id, organiser)
    events.unpublish_event(autumn.id, admin)
    events.publish_event(autumn.id, organiser)

    def rows(**query) -> list[str]:
        page = client.get("/staff/audit", query_string=query).text
        body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        return re.findall(r"<tr>.*?</tr>", body, re.S)

    assert len(rows()) == 3
    by_event = rows(event=autumn.id)
    assert len(by_event) == 2 and all("Automne" in row for row in by_event)
    by_person = rows(actor=organiser.id)
    assert len(by_person) == 2 and all("orga@numerique.gouv.fr" in row for row in by_person)
    both = rows(event=autumn.id, actor=organiser.id)
    assert len(both) == 1 and "Réunion publiée" in both[0]
    assert fr("État : <del>Brouillon</del> → <ins>Publiée</ins>") in both[0]
    assert len(rows(event="nonsense", actor=2**40)) == 3  # bad filters are ignored


def test_audit_entries_read_in_french_and_in_the_event_s_local_time(app):
    entry = AuditEntry(
        action="event.update",
        event=Event(timezone="Indian/Reunion"),
        target="Réunion",
        before={"starts_at": "2031-04-16T12:00:00+00:00", "status": "draft", "capacity": 150},
        after={
            "starts_at": "2031-04-17T08:30:00+00:00",
            "status": "published",
            "capacity": 120,
            "waitlist_enabled": False,
            "description": "x" * 500,
        },
    )
    with app.test_request_context():
        changes = [(c.label, c.before, c.after) for c in description.describe(entry)]
    assert changes[:3] == [
        ("Début", "16/04/2031 16:00", "17/04/2031 12:30"),  # UTC+4 at La Réunion
        ("État", "Brouillon", "Publiée"),
        ("Places", "150", "120"),
    ]
    assert changes[3] == ("Liste d'attente", None, "non")
    assert changes[4][2].endswith("…") and len(changes[4][2]) == description.MAX_SHOWN
    created = AuditEntry(action="event.create", before=None, after={"title": "T", "venue_name": ""})
    with app.test_request_context():
        assert [(c.label, c.before, c.after) for c in description.describe(created)] == [
            ("Titre", None, "T")
        ]
