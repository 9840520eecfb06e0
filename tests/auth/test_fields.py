"""The role × field table (app.auth.fields), walked over every page and API answer that shows
a registrant: each role meets only the fields the table gives it, in HTML and JSON alike."""

import json

import pytest

from app.auth.fields import ALL_FIELDS, ROLE_FIELDS
from app.models import StaffRole
from tests.conftest import csrf_token
from tests.factories import log_in, make_event, make_registration, make_staff

#: Values nobody could find on a page by chance, one per field worth hiding.
MARKERS = {
    "email": "zoe.marqueur-unique@numerique.gouv.fr",
    "phone": "+33 6 12 34 56 78",
    "accessibility_needs": "Boucle magnétique marqueur-7",
    "job_title": "Cheffe marqueur-fonction",
}


@pytest.fixture
def person(db):
    event = make_event()
    registration = make_registration(
        event,
        given_name="Zoé",
        family_name="Marqueur",
        **{name: value for name, value in MARKERS.items()},
    )
    # Staff corrected something once: the history quotes values too.
    organiser = make_staff("organiser", "orga@numerique.gouv.fr")
    from app.staff.attendees.services import correct_details

    correct_details(registration.id, {"phone": MARKERS["phone"] + "0"}, organiser)
    correct_details(registration.id, {"phone": MARKERS["phone"]}, organiser)
    return event, registration


def pages(client, event, registration) -> list[str]:
    """Every page and answer that can show this registrant, as text."""
    staff = f"/staff/events/{event.slug}"
    api = f"/api/v1/events/{event.slug}"
    texts = [
        client.get(f"{staff}/attendees").text,
        client.get(f"{staff}/attendees?q=Marqueur").text,
        client.get(f"{staff}/attendees/{registration.id}").text,
        client.get(f"{staff}/checkin").text,
        client.get(f"{api}/search?q=marqueur").text,
        client.get(f"{api}/registrations").text,
    ]
    token = csrf_token(client.get("/staff/password").text)
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    body = json.dumps({"id": registration.id})
    texts.append(client.post(f"{api}/checkins", data=body, headers=headers).text)
    texts.append(client.post(f"{api}/checkins/undo", headers=headers).text)
    return texts


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_role_sees_only_its_fields(client, db, person, role):
    event, registration = person
    log_in(client, make_staff(role, f"{role}@numerique.gouv.fr"))
    everything = "\n".join(pages(client, event, registration))
    allowed = ROLE_FIELDS[role]
    secrets = {"code": registration.code, **MARKERS}
    for field, marker in secrets.items():
        if field in allowed:
            continue
        assert marker not in everything, f"{role} sees {field}"
    # Nobody, whatever the role, ever meets the registrant's management secret.
    assert registration.manage_secret not in everything
    # And the table is not empty-handed: each role meets what it needs.
    assert "Marqueur" in everything


def test_the_table_covers_every_role_and_the_door_is_the_least():
    assert set(ROLE_FIELDS) == set(StaffRole)
    door = ROLE_FIELDS[StaffRole.CHECKIN]
    assert door == {"id", "given_name", "family_name", "organisation", "status", "checked_in_at"}
    assert all(door <= fields <= ALL_FIELDS for fields in ROLE_FIELDS.values())
    assert not {"phone", "accessibility_needs"} & ROLE_FIELDS[StaffRole.VIEWER]
