"""The meeting of the announcement (numerique.gouv.fr, 2 April 2019): `flask events seed`."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.database import run_in_transaction
from app.extensions import db
from app.models import Event, EventStatus

MEETING = {
    "title": "Réunion d'information : expérimenter l'intelligence artificielle "
    "dans l'administration (AMI IA)",
    "description": (
        "La DINSIC et la DITP organisent une réunion d'information à destination des "
        "administrations sur le deuxième appel à manifestation d'intérêt « Intelligence "
        "artificielle » : expérimenter l'IA dans les services publics.\n\n"
        "Les administrations d'État et les opérateurs peuvent proposer leurs projets "
        "jusqu'au 31 mai. Les lauréats bénéficieront d'un accompagnement de la DINSIC et "
        "de la DITP afin d'aboutir à un prototype fonctionnel, tout en anticipant et en "
        "préparant les transformations métier associées. Nouveauté de ce deuxième appel : "
        "les projets techniquement plus exploratoires pourront bénéficier d'un "
        "accompagnement spécifique, via un partenariat avec un institut de recherche ou "
        "une entreprise innovante.\n\n"
        "La réunion présente l'appel, les sept critères de sélection et le calendrier "
        "(audition par un jury début juillet, lauréats annoncés mi-juillet, accompagnement "
        "à partir de septembre), et répond à vos questions."
    ),
    "venue_name": "",
    "street": "20 avenue de Ségur",
    "postcode": "75007",
    "city": "Paris",
    "organiser_name": "DINSIC et DITP",
    "organiser_email": "equipe-ami-ia@data.gouv.fr",
    "timezone": "Europe/Paris",
}
DEFAULT_CAPACITY = 150


def next_meeting_date(today: date) -> date:
    """Return the next 16 April, today included."""
    candidate = date(today.year, 4, 16)
    return candidate if candidate >= today else date(today.year + 1, 4, 16)


def seed_meeting(
    day: date | None = None, capacity: int = DEFAULT_CAPACITY, slug: str | None = None
) -> tuple[Event, bool]:
    """Create the announced meeting, published and open; return it and whether it is new.

    An existing event with the same slug is returned untouched, so seeding twice
    is harmless.
    """
    zone = ZoneInfo(MEETING["timezone"])
    day = day or next_meeting_date(datetime.now(zone).date())
    slug = slug or f"reunion-information-ami-ia-{day.year}"
    starts_at = datetime.combine(day, time(14, 0), zone).astimezone(UTC)

    def create() -> tuple[Event, bool]:
        existing = db.session.scalar(select(Event).where(Event.slug == slug))
        if existing is not None:
            return existing, False
        event = Event(
            slug=slug,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            capacity=capacity,
            registration_opens_at=None,
            registration_closes_at=starts_at,
            status=EventStatus.PUBLISHED,
            **MEETING,
        )
        db.session.add(event)
        return event, True

    return run_in_transaction(create)
