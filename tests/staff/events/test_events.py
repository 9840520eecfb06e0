"""Running events from the back office: create, edit, duplicate, publish, cancel."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Event, Registration
from app.staff.events import services
from tests.factories import audit_entries, log_in, make_event, make_registration, make_staff

FORM = {
    "title": "Réunion d'information AMI IA, deuxième session",
    "slug": "ami-ia-session-2",
    "description": "Présentation de l'appel.",
    "timezone": "Europe/Paris",
    "starts_at": "2031-04-16T14:00",
    "ends_at": "2031-04-16T16:00",
    "venue_name": "",
    "street": "20 avenue de Ségur",
    "postcode": "75007",
    "city": "Paris",
    "latitude": "",
    "longitude": "",
    "capacity": "80",
    "waitlist_enabled": "y",
    "registration_opens_at": "2031-03-01T09:00",
    "registration_closes_at": "2031-04-15T18:00",
    "per_organisation_limit": "",
    "organisation_overflow": "waitlist",
    "allowed_email_domains": "Gouv.fr  @interieur.gouv.fr",
    "organiser_name": "DINSIC et DITP",
    "organiser_email": "Equipe-AMI-IA@data.gouv.fr",
}


def stored(slug: str) -> Event | None:
    _db.session.expire_all()
    return _db.session.scalar(select(Event).where(Event.slug == slug))


def test_create_stores_a_draft_in_utc_and_audits_it(client, db, post_form, organiser):
    response = post_form("/staff/events/new", FORM)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/events/ami-ia-session-2"
    event = stored("ami-ia-session-2")
    assert event.status == "draft"
    # 14:00 in Paris in April is 12:00 UTC (summer time).
    assert event.starts_at == datetime(2031, 4, 16, 12, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 4, 16, 14, 0, tzinfo=UTC)
    assert event.registration_opens_at == datetime(2031, 3, 1, 8, 0, tzinfo=UTC)
    assert event.allowed_email_domains == "gouv.fr interieur.gouv.fr"
    assert event.organiser_email == "equipe-ami-ia@data.gouv.fr"
    assert event.per_organisation_limit is None and event.waitlist_enabled
    (entry,) = audit_entries("event.create")
    assert entry.actor_id == organiser.id and entry.event_id == event.id
    assert entry.before is None
    assert entry.after["capacity"] == 80 and entry.after["starts_at"] == "2031-04-16T12:00:00+00:00"
    # A draft is not public yet.
    assert client.get("/e/ami-ia-session-2").status_code == 404


BAD_INPUT = [
    ({"ends_at": "2031-04-16T13:00"}, "ends_at", "La fin doit être postérieure au début."),
    ({"timezone": "Europe/Lutece"}, "timezone", "Fuseau horaire inconnu"),
    ({"capacity": "-1"}, "capacity", "Entre 0 et 100000."),
    ({"capacity": "99999999999"}, "capacity", "Entre 0 et 100000."),
    ({"capacity": "beaucoup"}, "capacity", "entier valide"),
    (
        {"registration_opens_at": "2031-04-15T19:00"},
        "registration_closes_at",
        "La clôture des inscriptions doit suivre leur ouverture.",
    ),
    (
        {"registration_closes_at": "2031-04-16T17:00"},
        "registration_closes_at",
        "au plus tard à la fin",
    ),
    ({"slug": "Réunion 2"}, "slug", "lettres minuscules"),
    ({"slug": "new"}, "slug", "déjà prise"),
    ({"per_organisation_limit": "0"}, "per_organisation_limit", "au moins 1"),
    ({"allowed_email_domains": "gouv.fr pas_un_domaine"}, "allowed_email_domains", "valide"),
    ({"organiser_email": "pas une adresse"}, "organiser_email", "adresse électronique valide"),
    ({"title": "Réunion\x00"}, "title", "caractères non autorisés"),
    ({"title": ""}, "title", "Indiquez le titre."),
    ({"starts_at": "0001-01-01T00:00"}, "starts_at", "entre 2000 et 2100"),
    ({"starts_at": "demain"}, "starts_at", "date/heure valide"),
    ({"latitude": "nan"}, "latitude", "Indiquez un nombre."),
    ({"organisation_overflow": "peut-être"}, "organisation_overflow", "choix valide"),
    # 02:30 does not exist in Paris on 30 March 2031: the clocks jump from 02:00 to 03:00.
    (
        {"starts_at": "2031-03-30T02:30", "ends_at": "2031-03-30T04:00"},
        "starts_at",
        "Cette heure n'existe pas",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_next_to_its_field(db, post_form, organiser, changes, field, message):
    response = post_form("/staff/events/new", FORM | changes)
    assert response.status_code == 422
    page = response.text
    error = page.split(f'id="{field}-error"', 1)
    assert len(error) == 2, f"no error shown next to {field}"
    assert message in error[1].split("</p>", 1)[0].replace("&#39;", "'")
    assert stored(FORM["slug"]) is None


def test_a_taken_slug_is_refused(db, post_form, organiser):
    make_event(slug="ami-ia-session-2")
    response = post_form("/staff/events/new", FORM)
    assert response.status_code == 422
    assert "Cette adresse est déjà prise" in response.text


def test_editing_the_date_tells_every_active_registrant(db, post_form, organiser, outbox):
    event = make_event(starts_at=datetime(2031, 4, 16, 12, 0, tzinfo=UTC), capacity=1)
    confirmed = make_registration(event)
    waiting = make_registration(event, status="waitlisted", waitlist_position=1)
    make_registration(event, status="cancelled")
    form = FORM | {
        "slug": event.slug,
        "starts_at": "2031-04-17T10:00",
        "ends_at": "2031-04-17T12:00",
    }
    form |= {"capacity": "1", "registration_opens_at": "", "registration_closes_at": ""}
    response = post_form(f"/staff/events/{event.slug}/edit", form)
    assert response.status_code == 303
    changed = outbox("event_changed")
    assert sorted(m.registration_id for m in changed) == sorted([confirmed.id, waiting.id])
    event = stored(event.slug)
    assert event.starts_at == datetime(2031, 4, 17, 8, 0, tzinfo=UTC)
    (entry,) = audit_entries("event.update")
    assert entry.before["starts_at"] == "2031-04-16T12:00:00+00:00"
    assert entry.after["starts_at"] == "2031-04-17T08:00:00+00:00"
    assert "capacity" not in entry.after  # only what changed


def test_editing_the_place_tells_registrants_but_a_new_title_does_not(db, organiser, outbox):
    event = make_event()
    make_registration(event)
    values = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    services.update_event(event.id, values | {"title": "Nouveau titre"}, organiser)
    assert outbox("event_changed") == []
    result = services.update_event(event.id, values | {"street": "139 rue de Bercy"}, organiser)
    assert result.notified == 1 and len(outbox("event_changed")) == 1


def test_an_edit_that_changes_nothing_is_not_audited(db, organiser):
    event = make_event()
    values = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    result = services.update_event(event.id, values, organiser)
    assert result.changed == {} and audit_entries() == []


def test_lowering_the_capacity_below_the_confirmed_count_is_refused(db, post_form, organiser):
    event = make_event(capacity=3)
    for _ in range(3):
        make_registration(event)
    form = FORM | {"slug": event.slug, "capacity": "2"}
    form |= {"starts_at": "2031-04-16T14:00", "registration_opens_at": ""}
    response = post_form(f"/staff/events/{event.slug}/edit", form)
    assert response.status_code == 422
    assert "3 personnes sont déjà confirmées" in response.text
    assert stored(event.slug).capacity == 3
    assert stored(event.slug).title != FORM["title"]  # nothing of the edit was kept
    assert audit_entries() == []


def test_raising_the_capacity_promotes_from_the_line(db, organiser, outbox):
    event = make_event(capacity=1)
    make_registration(event)
    waiting = make_registration(event, status="waitlisted", waitlist_position=1)
    values = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    result = services.update_event(event.id, values | {"capacity": 2}, organiser)
    assert [r.id for r in result.promoted] == [waiting.id]
    assert [m.registration_id for m in outbox("promoted")] == [waiting.id]


def test_a_published_event_keeps_its_slug(db, organiser):
    event = make_event()
    values = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    with pytest.raises(services.InvalidEvent) as refused:
        services.update_event(event.id, values | {"slug": "autre-adresse"}, organiser)
    assert refused.value.code == "slug_locked"


def test_duplicate_shifts_dates_by_whole_days_across_summer_time(client, db, post_form, organiser):
    # 16 April 2031, 14:00-16:00 Paris (UTC+2), window 1 March 09:00 to 16 April 12:00.
    source = make_event(
        slug="reunion-information-ami-ia-2031",
        starts_at=datetime(2031, 4, 16, 12, 0, tzinfo=UTC),
        registration_opens_at=datetime(2031, 3, 1, 8, 0, tzinfo=UTC),
        registration_closes_at=datetime(2031, 4, 16, 10, 0, tzinfo=UTC),
        per_organisation_limit=3,
        allowed_email_domains="gouv.fr",
    )
    make_registration(source)
    response = post_form(f"/staff/events/{source.slug}/duplicate", {"day": "2031-12-04"})
    assert response.status_code == 303
    copy = stored("reunion-information-ami-ia-2031-12-04")
    assert response.headers["Location"] == f"/staff/events/{copy.slug}"
    assert copy.status == "draft" and copy.id != source.id
    # Still 14:00-16:00 in Paris, now UTC+1.
    assert copy.starts_at == datetime(2031, 12, 4, 13, 0, tzinfo=UTC)
    assert copy.ends_at == datetime(2031, 12, 4, 15, 0, tzinfo=UTC)
    assert copy.local_start.hour == 14
    assert copy.registration_opens_at.astimezone(copy.tz).replace(tzinfo=None) == datetime(
        2031, 10, 19, 9, 0
    )
    assert copy.registration_closes_at.astimezone(copy.tz).hour == 12
    for name in ("title", "description", "street", "capacity", "per_organisation_limit"):
        assert getattr(copy, name) == getattr(source, name)
    assert copy.allowed_email_domains == "gouv.fr"
    assert (
        db.session.scalars(select(Registration).where(Registration.event_id == copy.id)).all() == []
    )
    (entry,) = audit_entries("event.duplicate")
    assert entry.event_id == copy.id and entry.after["source"] == source.slug
    # A second copy on the same day gets its own address.
    post_form(f"/staff/events/{source.slug}/duplicate", {"day": "2031-12-04"})
    assert stored("reunion-information-ami-ia-2031-12-04-2") is not None


def test_duplicate_with_a_chosen_slug_and_refusals(db, post_form, organiser):
    source = make_event()
    taken = post_form(
        f"/staff/events/{source.slug}/duplicate", {"day": "2031-12-04", "slug": source.slug}
    )
    assert taken.status_code == 422 and "déjà prise" in taken.text
    no_day = post_form(f"/staff/events/{source.slug}/duplicate", {"day": ""})
    assert no_day.status_code == 422 and "Indiquez la date." in no_day.text
    ok = post_form(
        f"/staff/events/{source.slug}/duplicate", {"day": "2031-12-04", "slug": "ami-ia-hiver"}
    )
    assert ok.status_code == 303 and stored("ami-ia-hiver").status == "draft"


def test_publish_and_unpublish(client, db, post_form, organiser):
    event = make_event(status="draft")
    assert client.get(f"/e/{event.slug}").status_code == 404
    assert (
        post_form(
            f"/staff/events/{event.slug}/publish", {}, page=f"/staff/events/{event.slug}"
        ).status_code
        == 303
    )
    assert stored(event.slug).status == "published"
    assert client.get(f"/e/{event.slug}").status_code == 200
    post_form(f"/staff/events/{event.slug}/unpublish", {}, page=f"/staff/events/{event.slug}")
    assert stored(event.slug).status == "draft"
    assert client.get(f"/e/{event.slug}").status_code == 404
    entries = audit_entries()
    assert [(e.action, e.before, e.after) for e in entries] == [
        ("event.publish", {"status": "draft"}, {"status": "published"}),
        ("event.unpublish", {"status": "published"}, {"status": "draft"}),
    ]


def test_cancel_event_tells_active_registrants_and_keeps_registrations(
    client, db, post_form, organiser, outbox
):
    event = make_event(capacity=1)
    confirmed = make_registration(event)
    waiting = make_registration(event, status="waitlisted", waitlist_position=1)
    make_registration(event, status="cancelled")
    page = client.get(f"/staff/events/{event.slug}/cancel").text
    assert "2 personnes inscrites ou en attente recevront un e-mail" in page
    response = post_form(f"/staff/events/{event.slug}/cancel", {})
    assert response.status_code == 303
    assert stored(event.slug).status == "cancelled"
    told = outbox("event_cancelled")
    assert sorted(m.registration_id for m in told) == sorted([confirmed.id, waiting.id])
    statuses = db.session.scalars(
        select(Registration.status)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
    ).all()
    assert statuses == ["confirmed", "waitlisted", "cancelled"]  # left as they were
    (entry,) = audit_entries("event.cancel")
    assert entry.before == {"status": "published"}
    assert entry.after == {"status": "cancelled", "notified": 2}
    # Twice tells nobody twice; a cancelled event is no longer edited or published.
    assert services.cancel_event(event.id, organiser) == 0
    assert len(outbox("event_cancelled")) == 2
    with pytest.raises(services.EventCancelled):
        services.publish_event(event.id, organiser)
    assert client.get(f"/staff/events/{event.slug}/edit").status_code == 303


def test_the_command_line_is_audited_without_an_actor(db):
    day = date.today() + timedelta(days=30)
    event = services.duplicate_event(make_event().id, day, None)
    (entry,) = audit_entries("event.duplicate")
    assert entry.actor_id is None and entry.actor_email == "" and entry.event_id == event.id


def test_an_event_page_for_staff_shows_figures_and_actions(client, db, organiser):
    event = make_event(capacity=10, status="draft")
    make_registration(event)
    page = client.get(f"/staff/events/{event.slug}").text
    assert "Publier" in page and "Nouvelle session à partir de celle-ci" in page
    assert "1 / 10" in page
    log_in(client, make_staff("viewer", "lecteur@numerique.gouv.fr"))
    page = client.get(f"/staff/events/{event.slug}").text
    assert "1 / 10" in page and "Publier" not in page and "Modifier" not in page


def test_a_description_typed_in_a_browser_keeps_its_paragraphs(client, db, post_form, organiser):
    # Browsers send "\r\n" line endings: they are stored as "\n" and split into paragraphs.
    typed = "Présentation de l'appel.\r\n\r\nQuestions et réponses.\r\nPuis un café."
    post_form("/staff/events/new", FORM | {"description": typed})
    event = stored("ami-ia-session-2")
    assert event.description == "Présentation de l'appel.\n\nQuestions et réponses.\nPuis un café."
    event.status = "published"
    db.session.commit()
    page = client.get(f"/e/{event.slug}").text
    assert (
        '<div class="description"><p>Présentation de l&#39;appel.</p>'
        "<p>Questions et réponses.<br>\nPuis un café.</p></div>"
    ) in page
