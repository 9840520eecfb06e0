"""Seat rules through the services: waiting list order, capacity, limits, domains, cancel."""

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import OrganisationOverflow, OutboxMessage, Registration
from app.registration import services
from app.registration.errors import (
    EmailDomainNotAllowed,
    OrganisationLimitReached,
    RegistrationRefused,
)
from app.registration.seats import CapacityBelowConfirmed
from app.staff.events.services import EDITABLE_FIELDS, InvalidEvent, update_event
from tests.factories import make_event


def applicant(n: int, organisation: str = "DINUM", email: str | None = None) -> dict:
    return {
        "given_name": "Personne",
        "family_name": f"N{n:03d}",
        "email": email or f"personne{n}@numerique.gouv.fr",
        "organisation": organisation,
        "job_title": "Agent",
        "phone": None,
        "accessibility_needs": None,
    }


def line(event) -> list[tuple[str, int]]:
    """Return the waiting line as (family name, position), head first."""
    _db.session.expire_all()
    query = (
        select(Registration.family_name, Registration.waitlist_position)
        .where(Registration.event_id == event.id, Registration.status == "waitlisted")
        .order_by(Registration.waitlist_position)
    )
    return [tuple(row) for row in _db.session.execute(query)]


def confirmed(event) -> list[str]:
    _db.session.expire_all()
    query = (
        select(Registration.family_name)
        .where(Registration.event_id == event.id, Registration.status == "confirmed")
        .order_by(Registration.family_name)
    )
    return list(_db.session.scalars(query))


def kinds() -> list[str]:
    return list(_db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))


def set_capacity(event, capacity: int) -> list[Registration]:
    """Change the seats as staff do (editing the event); return who was promoted."""
    values = {name: getattr(event, name) for name in EDITABLE_FIELDS}
    return update_event(event.id, values | {"capacity": capacity}, None).promoted


def fill(event, count: int, **kwargs) -> list[Registration]:
    return [services.register(event.slug, applicant(n, **kwargs)) for n in range(1, count + 1)]


def test_full_event_puts_newcomers_in_line_in_order(db):
    event = make_event(capacity=2)
    registrations = fill(event, 5)
    assert [r.status for r in registrations] == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert line(event) == [("N003", 1), ("N004", 2), ("N005", 3)]
    assert kinds() == ["confirmation"] * 2 + ["waitlisted"] * 3


def test_a_cancellation_promotes_the_head_of_the_line(db):
    event = make_event(capacity=2)
    first, *_ = fill(event, 5)
    cancelled, promoted = services.cancel(first.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert [r.family_name for r in promoted] == ["N003"]
    assert confirmed(event) == ["N002", "N003"]
    assert line(event) == [("N004", 1), ("N005", 2)]
    assert kinds()[-2:] == ["cancelled", "promoted"]


def test_leaving_the_line_closes_the_gap(db):
    event = make_event(capacity=1)
    registrations = fill(event, 4)
    services.cancel(registrations[2].id)  # N003, second in line
    assert line(event) == [("N002", 1), ("N004", 2)]
    assert confirmed(event) == ["N001"]


def test_cancelling_twice_is_harmless(db):
    event = make_event(capacity=1)
    first, _second = fill(event, 2)
    services.cancel(first.id)
    again, promoted = services.cancel(first.id)
    assert again.status == "cancelled" and promoted == []
    assert confirmed(event) == ["N002"]
    assert kinds().count("cancelled") == 1


def test_raising_capacity_promotes_in_order(db):
    event = make_event(capacity=1)
    fill(event, 5)
    promoted = set_capacity(event, 3)
    assert [r.family_name for r in promoted] == ["N002", "N003"]
    assert line(event) == [("N004", 1), ("N005", 2)]


def test_lowering_capacity_below_confirmed_is_refused(db):
    event = make_event(capacity=3)
    fill(event, 3)
    with pytest.raises(CapacityBelowConfirmed) as refused:
        set_capacity(event, 2)
    assert refused.value.confirmed == 3
    _db.session.expire_all()
    assert _db.session.get(type(event), event.id).capacity == 3
    assert set_capacity(event, 3) == []
    with pytest.raises(InvalidEvent):
        set_capacity(event, -1)


def test_lowering_capacity_to_free_seats_is_allowed(db):
    event = make_event(capacity=10)
    fill(event, 3)
    set_capacity(event, 3)
    assert services.register(event.slug, applicant(9)).status == "waitlisted"


ORGANISATION_VARIANTS = [
    "Ministère de l'Intérieur",
    "MINISTERE DE L'INTERIEUR",
    "ministère de l’intérieur",
]


def test_organisation_limit_sends_the_third_of_an_organisation_to_the_line(db):
    event = make_event(capacity=10, per_organisation_limit=2)
    results = [
        services.register(event.slug, applicant(n, organisation=name))
        for n, name in enumerate(ORGANISATION_VARIANTS, start=1)
    ]
    assert [r.status for r in results] == ["confirmed", "confirmed", "waitlisted"]
    # Another organisation still gets a seat, ahead of the one waiting for its organisation.
    assert services.register(event.slug, applicant(4, organisation="DGFiP")).status == "confirmed"
    # When a seat of that organisation frees, its first person in line takes it.
    services.cancel(results[0].id)
    assert confirmed(event) == ["N002", "N003", "N004"]
    assert line(event) == []


def test_organisation_limit_skips_the_head_but_keeps_their_place(db):
    event = make_event(capacity=2, per_organisation_limit=1)
    interieur = services.register(event.slug, applicant(1, organisation="Intérieur"))
    services.register(event.slug, applicant(2, organisation="DGFiP"))
    services.register(event.slug, applicant(3, organisation="Intérieur"))  # waits (limit)
    services.register(event.slug, applicant(4, organisation="Culture"))  # waits (full)
    assert line(event) == [("N003", 1), ("N004", 2)]
    dgfip = _db.session.scalar(select(Registration).where(Registration.family_name == "N002"))
    services.cancel(dgfip.id)
    # The seat goes to N004: N003's organisation still holds its one seat.
    assert confirmed(event) == ["N001", "N004"]
    assert line(event) == [("N003", 1)]
    services.cancel(interieur.id)
    assert confirmed(event) == ["N003", "N004"]


def test_organisation_limit_can_refuse_instead(db):
    event = make_event(
        capacity=10, per_organisation_limit=1, organisation_overflow=OrganisationOverflow.REFUSE
    )
    services.register(event.slug, applicant(1, organisation="DINUM"))
    with pytest.raises(OrganisationLimitReached) as refused:
        services.register(event.slug, applicant(2, organisation="dinum"))
    assert refused.value.limit == 1
    assert _db.session.scalar(select(func.count()).select_from(Registration)) == 1


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("agent@gouv.fr", True),
        ("agent@interieur.gouv.fr", True),
        ("agent@dgfip.finances.gouv.fr", True),
        ("agent@ac-paris.fr", True),
        ("agent@notgouv.fr", False),
        ("agent@gouv.fr.example.com", False),
        ("agent@gmail.com", False),
    ],
)
def test_email_domain_allowlist(db, email, allowed):
    event = make_event(allowed_email_domains="gouv.fr ac-paris.fr")
    if allowed:
        assert services.register(event.slug, applicant(1, email=email)).status == "confirmed"
    else:
        with pytest.raises(EmailDomainNotAllowed) as refused:
            services.register(event.slug, applicant(1, email=email))
        assert refused.value.domains == ["gouv.fr", "ac-paris.fr"]


def test_registering_again_after_cancelling_goes_to_the_back_of_the_line(db):
    event = make_event(capacity=1)
    first, _second, _third = fill(event, 3)
    services.cancel(first.id)
    again = services.register(event.slug, applicant(1))
    assert again.id != first.id and again.code != first.code
    assert again.status == "waitlisted" and again.waitlist_position == 2
    assert line(event) == [("N003", 1), ("N001", 2)]


def test_waitlist_off_refuses_when_full(db):
    event = make_event(capacity=1, waitlist_enabled=False)
    fill(event, 1)
    with pytest.raises(RegistrationRefused) as refused:
        services.register(event.slug, applicant(2))
    assert refused.value.code == "full"


def test_a_replayed_submission_returns_the_same_registration(db):
    event = make_event()
    key = "0" * 32
    first = services.register(event.slug, applicant(1), submission_key=key)
    again = services.register(event.slug, applicant(1), submission_key=key)
    assert again.id == first.id
    assert kinds() == ["confirmation"]
