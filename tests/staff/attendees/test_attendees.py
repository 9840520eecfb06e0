"""An event's attendees from the back office: the list and the special cases."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.i18n import french_typography as fr
from app.models import Registration
from app.registration import services as registrations
from app.registration.errors import NotAllowed, RegistrationCancelled
from app.staff.attendees import queries, services
from tests.factories import audit_entries, make_event, make_registration, make_staff

PERSON = {
    "given_name": "Zoé",
    "family_name": "Nguyễn",
    "email": "Zoe.Nguyen@Numerique.gouv.fr",
    "organisation": "DINUM",
    "job_title": "Cheffe de projet",
    "phone": "",
    "accessibility_needs": "",
}


def fresh(registration: Registration) -> Registration:
    _db.session.expire_all()
    return _db.session.get(Registration, registration.id)


def by_email(email: str) -> Registration | None:
    _db.session.expire_all()
    return _db.session.scalar(select(Registration).where(Registration.email == email))


def attendee_url(registration, action: str = "") -> str:
    base = f"/staff/events/{registration.event.slug}/attendees/{registration.id}"
    return f"{base}/{action}" if action else base


# The list: search, filters, sorting, pages.


def names(page: str, event) -> list[str]:
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    marker = f'href="/staff/events/{event.slug}/attendees/'
    return [chunk.split(">", 1)[1].split("<", 1)[0] for chunk in rows.split(marker)[1:]]


def test_the_list_searches_filters_and_sorts(client, db, staff):
    staff("viewer")
    event = make_event(capacity=2)
    make_registration(event, family_name="Bernard", organisation="DGFiP")
    make_registration(
        event, family_name="Arnaud", checked_in_at=datetime.now(UTC), email="a@dgfip.gouv.fr"
    )
    make_registration(event, family_name="Chevalier", status="waitlisted", waitlist_position=1)
    make_registration(event, family_name="Dupont", status="cancelled")
    url = f"/staff/events/{event.slug}/attendees"

    page = client.get(url).text
    assert names(page, event) == [
        "Arnaud Camille",
        "Bernard Camille",
        "Chevalier Camille",
        "Dupont Camille",
    ]
    assert "4 inscriptions trouvées." in page
    assert 'aria-sort="ascending"' in page
    desc = client.get(url, query_string={"sort": "name", "order": "desc"}).text
    assert names(desc, event)[0] == "Dupont Camille"
    assert names(client.get(url, query_string={"q": "dgfip"}).text, event) == [
        "Arnaud Camille",
        "Bernard Camille",
    ]
    assert names(client.get(url, query_string={"q": "camille cheval"}).text, event) == [
        "Chevalier Camille"
    ]
    expected = {
        "confirmed": ["Arnaud Camille", "Bernard Camille"],
        "waitlisted": ["Chevalier Camille"],
        "cancelled": ["Dupont Camille"],
        "checked_in": ["Arnaud Camille"],
        "not_checked_in": ["Bernard Camille"],
    }
    for status, expected_names in expected.items():
        page = client.get(url, query_string={"status": status}).text
        assert names(page, event) == expected_names, status
    # LIKE wildcards are searched as text.
    assert names(client.get(url, query_string={"q": "%"}).text, event) == []


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a\x00b"},
        {"q": "x" * 5000},
        {"status": "everything"},
        {"sort": "password_hash"},
        {"page": "99999999999999999999999"},
        {"page": "-3"},
    ],
)
def test_hostile_list_queries_never_fail(client, db, staff, query):
    staff("viewer")
    event = make_event()
    make_registration(event)
    response = client.get(f"/staff/events/{event.slug}/attendees", query_string=query)
    assert response.status_code == 200


def test_the_list_has_pages(client, db, staff):
    staff("viewer")
    event = make_event(capacity=200)
    for n in range(queries.PER_PAGE + 3):
        make_registration(event, family_name=f"Nom{n:03d}")
    url = f"/staff/events/{event.slug}/attendees"
    first = client.get(url).text
    assert "Page 1 sur 2" in first and "Nom049" in first and "Nom050" not in first
    second = client.get(url, query_string={"page": 2}).text
    assert "Nom050" in second and "Nom052" in second and "Nom000" not in second
    assert len(names(second, event)) == 3


def test_unknown_attendees_and_events_are_404(client, db, staff):
    staff("viewer")
    event = make_event()
    other = make_registration(make_event())
    assert client.get(f"/staff/events/{event.slug}/attendees/{other.id}").status_code == 404
    assert client.get(f"/staff/events/{event.slug}/attendees/{2**70}").status_code == 404
    assert client.get("/staff/events/inconnue/attendees").status_code == 404


# Adding someone by hand.


def test_add_by_hand_outside_the_window_and_any_domain(db, post_form, organiser, outbox):
    event = make_event(
        registration_closes_at=datetime.now(UTC) - timedelta(days=1),
        allowed_email_domains="interieur.gouv.fr",
    )
    response = post_form(f"/staff/events/{event.slug}/attendees/new", PERSON)
    assert response.status_code == 303
    registration = by_email("zoe.nguyen@numerique.gouv.fr")
    assert registration.status == "confirmed" and registration.event_id == event.id
    assert response.headers["Location"] == attendee_url(registration)
    assert [m.kind for m in outbox()] == ["confirmation"]
    (entry,) = audit_entries("registration.add")
    assert entry.actor_id == organiser.id and entry.registration_id == registration.id
    assert entry.after["status"] == "confirmed" and "reason" not in entry.after


def test_staff_choose_the_language_of_the_person_s_messages(db, post_form, organiser, outbox):
    event = make_event()
    page = post_form(f"/staff/events/{event.slug}/attendees/new", {}).text
    assert 'id="locale-1" name="locale" required type="radio" value="en"' in page
    response = post_form(f"/staff/events/{event.slug}/attendees/new", PERSON | {"locale": "en"})
    assert response.status_code == 303
    assert by_email("zoe.nguyen@numerique.gouv.fr").locale == "en"
    [message] = outbox()
    assert message.subject.startswith("Registration confirmed: ")


def test_add_by_hand_to_a_full_event_joins_the_line(db, post_form, organiser, outbox):
    event = make_event(capacity=1)
    make_registration(event)
    response = post_form(f"/staff/events/{event.slug}/attendees/new", PERSON)
    assert response.status_code == 303
    registration = by_email("zoe.nguyen@numerique.gouv.fr")
    assert (registration.status, registration.waitlist_position) == ("waitlisted", 1)
    assert [m.kind for m in outbox()] == ["waitlisted"]


def test_going_beyond_capacity_needs_a_reason(db, post_form, organiser):
    event = make_event(capacity=1)
    make_registration(event)
    url = f"/staff/events/{event.slug}/attendees/new"
    refused = post_form(url, PERSON | {"over_capacity": "y"})
    assert refused.status_code == 422
    assert "Indiquez un motif pour dépasser la capacité." in refused.text
    assert by_email("zoe.nguyen@numerique.gouv.fr") is None

    response = post_form(url, PERSON | {"over_capacity": "y", "reason": "Intervenante"})
    assert response.status_code == 303
    registration = by_email("zoe.nguyen@numerique.gouv.fr")
    assert registration.status == "confirmed"
    confirmed = _db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status == "confirmed"
        )
    ).all()
    assert len(confirmed) == 2  # one beyond the single seat, on purpose
    (entry,) = audit_entries("registration.add")
    assert entry.after["over_capacity"] is True and entry.after["reason"] == "Intervenante"


def test_only_an_organiser_or_admin_may_go_beyond_capacity(db):
    event = make_event(capacity=0)
    viewer = make_staff("viewer")
    with pytest.raises(NotAllowed):
        registrations.add_by_hand(
            event.id, PERSON | {"email": "z@n.fr"}, viewer, over_capacity=True, reason="Parce que"
        )
    assert by_email("z@n.fr") is None


def test_add_by_hand_refuses_an_address_already_registered(db, post_form, organiser):
    event = make_event()
    make_registration(event, email="zoe.nguyen@numerique.gouv.fr")
    response = post_form(f"/staff/events/{event.slug}/attendees/new", PERSON)
    assert response.status_code == 422
    assert "Cette adresse est déjà inscrite à cette réunion." in response.text


def test_add_by_hand_refuses_bad_input(db, post_form, organiser):
    event = make_event()
    bad = PERSON | {"given_name": "Zo\x00é", "email": "pas-une-adresse"}
    response = post_form(f"/staff/events/{event.slug}/attendees/new", bad)
    assert response.status_code == 422
    assert "caractères non autorisés" in response.text
    assert _db.session.scalars(select(Registration)).all() == []


# Cancel, promote, resend, correct.


def test_staff_cancel_gives_the_seat_to_the_line_and_is_audited(db, post_form, organiser, outbox):
    event = make_event(capacity=1)
    first = make_registration(event)
    waiting = make_registration(event, status="waitlisted", waitlist_position=1)
    response = post_form(attendee_url(first, "cancel"), {}, page=attendee_url(first))
    assert response.status_code == 303
    assert fresh(first).status == "cancelled"
    assert fresh(waiting).status == "confirmed"
    assert [m.kind for m in outbox()] == ["cancelled", "promoted"]
    (entry,) = audit_entries("registration.cancel")
    assert entry.actor_id == organiser.id and entry.registration_id == first.id
    assert entry.before == {"status": "confirmed"}
    assert entry.after == {"status": "cancelled", "promoted": [waiting.full_name]}


def test_the_registrant_s_own_cancellation_is_not_a_staff_action(client, db, post_form):
    registration = make_registration(make_event())
    post_form(f"/m/{registration.manage_secret}/cancel", {})
    assert fresh(registration).status == "cancelled"
    assert audit_entries() == []


def test_promote_needs_a_reason_when_no_seat_is_left(client, db, post_form, organiser, outbox):
    event = make_event(capacity=1)
    make_registration(event)
    first = make_registration(event, status="waitlisted", waitlist_position=1)
    second = make_registration(event, status="waitlisted", waitlist_position=2)
    third = make_registration(event, status="waitlisted", waitlist_position=3)

    post_form(attendee_url(second, "promote"), {"reason": ""}, page=attendee_url(second))
    assert fresh(second).status == "waitlisted"
    assert "Il n&#39;y a plus de place" in client.get(attendee_url(second)).text
    assert audit_entries() == []

    response = post_form(
        attendee_url(second, "promote"), {"reason": "Cabinet"}, page=attendee_url(second)
    )
    assert response.status_code == 303
    assert fresh(second).status == "confirmed" and fresh(second).waitlist_position is None
    assert (fresh(first).waitlist_position, fresh(third).waitlist_position) == (1, 2)
    assert [m.kind for m in outbox()] == ["promoted"]
    (entry,) = audit_entries("registration.promote")
    assert entry.before == {"status": "waitlisted", "waitlist_position": 2}
    assert entry.after["over_capacity"] is True and entry.after["reason"] == "Cabinet"


def test_promote_into_a_free_seat_needs_no_reason(db, organiser):
    # A free seat left by the organisation limit: the head of the line is at its limit.
    event = make_event(capacity=2, per_organisation_limit=1)
    make_registration(event, organisation="DINUM")
    blocked = make_registration(
        event, organisation="DINUM", status="waitlisted", waitlist_position=1
    )
    services.promote(blocked.id, organiser)
    assert fresh(blocked).status == "confirmed"
    with pytest.raises(services.NotWaitlisted):
        services.promote(blocked.id, organiser)


def test_resend_ticket(client, db, post_form, organiser, outbox):
    registration = make_registration(make_event())
    response = post_form(attendee_url(registration, "resend"), {}, page=attendee_url(registration))
    assert response.status_code == 303
    (message,) = outbox("ticket_resent")
    assert message.registration_id == registration.id and message.recipient == registration.email
    (entry,) = audit_entries("registration.resend_ticket")
    assert entry.after == {"email": registration.email}
    cancelled = make_registration(registration.event, status="cancelled")
    with pytest.raises(RegistrationCancelled):
        registrations.resend_ticket(cancelled.id, organiser)
    # A second click within minutes sends nothing more, and says so.
    post_form(attendee_url(registration, "resend"), {}, page=attendee_url(registration))
    assert len(outbox("ticket_resent")) == 1
    assert "moins de 10 minutes" in client.get(attendee_url(registration)).text


def test_correct_details_and_resend_to_the_new_address(db, post_form, organiser, outbox):
    registration = make_registration(make_event(), given_name="Camile", phone="01 23 45 67 89")
    old_email = registration.email
    form = PERSON | {"given_name": "Camille", "family_name": registration.family_name}
    form |= {"email": "camille.martin@interieur.gouv.fr", "organisation": "Intérieur"}
    form |= {"job_title": registration.job_title, "phone": "01 23 45 67 89"}
    response = post_form(attendee_url(registration, "edit"), form)
    assert response.status_code == 303
    corrected = fresh(registration)
    assert corrected.given_name == "Camille" and corrected.organisation_key == "interieur"
    (message,) = outbox("ticket_resent")
    assert message.recipient == "camille.martin@interieur.gouv.fr"
    (entry,) = audit_entries("registration.correct")
    assert entry.before == {
        "given_name": "Camile",
        "email": old_email,
        "organisation": "Ministère de l'Intérieur",
    }
    assert entry.after == {
        "given_name": "Camille",
        "email": "camille.martin@interieur.gouv.fr",
        "organisation": "Intérieur",
    }


def test_correcting_to_an_address_already_registered_is_refused(db, post_form, organiser):
    event = make_event()
    registration = make_registration(event)
    other = make_registration(event)
    form = {name: getattr(registration, name) or "" for name in services.DETAIL_FIELDS}
    response = post_form(attendee_url(registration, "edit"), form | {"email": other.email})
    assert response.status_code == 422
    assert "utilise déjà cette adresse" in response.text
    assert fresh(registration).email != other.email


def test_the_detail_page_shows_the_history(client, db, post_form, organiser):
    registration = make_registration(make_event())
    post_form(attendee_url(registration, "resend"), {}, page=attendee_url(registration))
    post_form(attendee_url(registration, "cancel"), {}, page=attendee_url(registration))
    page = client.get(attendee_url(registration)).text
    assert "Historique" in page
    assert "Inscription enregistrée" in page
    assert "Billet renvoyé" in page and "Inscription annulée" in page
    assert "organiser@numerique.gouv.fr" in page
    assert fr("E-mail « Votre billet") in page
    assert page.index("Billet renvoyé") < page.index("Inscription annulée</strong>")
