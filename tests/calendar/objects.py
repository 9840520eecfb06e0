"""Plain stand-ins for the models (the builders read attributes, nothing else), and the builds."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.calendar.ical import build_cancel, build_feed, build_invite, build_public_event

#: A ticket code as tickets.codes makes them; no .ics may contain it.
TICKET_CODE = "Xq7-TICKET_c0de-9fJ2kLmNoPqRsTuVwXyZ01234aB"

DOMAIN = "accueil.example"
EVENT_URL = "https://accueil.example/e/reunion-ami-ia"
STAMP = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def make_event(**overrides) -> SimpleNamespace:
    """Return the information meeting: 16 April 2026, 14:00 to 16:00 in Paris."""
    starts_at = overrides.pop("starts_at", datetime(2026, 4, 16, 12, 0, tzinfo=UTC))
    values = {
        "id": 7,
        "slug": "reunion-ami-ia",
        "title": "Réunion d'information AMI IA",
        "description": "Présentation de l'appel.\n\nQuestions et réponses.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "timezone": "Europe/Paris",
        "venue_name": "Ministère des Armées",
        "street": "20 avenue de Ségur",
        "postcode": "75007",
        "city": "Paris",
        "latitude": 48.8493,
        "longitude": 2.3094,
        "organiser_name": "DINSIC et DITP",
        "organiser_email": "equipe-ami-ia@data.gouv.fr",
        "status": "published",
        "calendar_sequence": 0,
        "updated_at": datetime(2026, 2, 20, 10, 0, tzinfo=UTC),
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def make_registration(**overrides) -> SimpleNamespace:
    values = {
        "id": 42,
        "code": TICKET_CODE,
        "given_name": "Zoé",
        "family_name": "Lefèvre-Ñúñez",
        "email": "zoe.lefevre@interieur.gouv.fr",
        "status": "confirmed",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def invite(event=None, registration=None, sequence=3) -> bytes:
    return build_invite(
        event or make_event(),
        registration or make_registration(),
        sequence=sequence,
        event_url=EVENT_URL,
        domain=DOMAIN,
        dtstamp=STAMP,
    )


def cancel(event=None, registration=None, sequence=4) -> bytes:
    return build_cancel(
        event or make_event(),
        registration or make_registration(),
        sequence=sequence,
        event_url=EVENT_URL,
        domain=DOMAIN,
        dtstamp=STAMP,
    )


def public(event=None) -> bytes:
    return build_public_event(event or make_event(), event_url=EVENT_URL, domain=DOMAIN)


def feed(*events) -> bytes:
    events = events or (make_event(),)
    pairs = [(event, f"https://accueil.example/e/{event.slug}") for event in events]
    return build_feed(pairs, domain=DOMAIN, name="Réunions d'information", dtstamp=STAMP)


BUILDERS = {"invite": invite, "cancel": cancel, "public": public, "feed": feed}
