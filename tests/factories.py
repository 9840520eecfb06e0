"""Factories for test data, committed through the real session."""

import itertools
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus
from app.tickets.codes import new_code

_counter = itertools.count(1)


def make_event(**overrides) -> Event:
    """Create a published event, open for registration, two weeks from now."""
    starts_at = overrides.pop("starts_at", datetime.now(UTC) + timedelta(days=14))
    values = {
        "slug": f"reunion-{next(_counter)}",
        "title": "Réunion d'information AMI IA",
        "description": "Présentation de l'appel.\n\nQuestions et réponses.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "timezone": "Europe/Paris",
        "street": "20 avenue de Ségur",
        "postcode": "75007",
        "city": "Paris",
        "capacity": 150,
        "status": EventStatus.PUBLISHED,
        "organiser_name": "DINSIC et DITP",
        "organiser_email": "equipe-ami-ia@data.gouv.fr",
    }
    values.update(overrides)
    event = Event(**values)
    db.session.add(event)
    db.session.commit()
    return event


def make_registration(event: Event, **overrides) -> Registration:
    n = next(_counter)
    values = {
        "event": event,
        "code": new_code(),
        "given_name": "Camille",
        "family_name": f"Martin{n}",
        "email": f"camille.martin{n}@interieur.gouv.fr",
        "organisation": "Ministère de l'Intérieur",
        "job_title": "Cheffe de projet",
        "status": RegistrationStatus.CONFIRMED,
    }
    values.update(overrides)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.commit()
    return registration
