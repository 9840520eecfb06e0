"""The invite, its cancellation, the public event and the feed, read back by three parsers."""

from datetime import UTC, datetime, timedelta

import pytest

from app.calendar.ical import PRODID, build_feed, build_invite, registration_uid
from tests.calendar.objects import (
    BUILDERS,
    DOMAIN,
    EVENT_URL,
    STAMP,
    cancel,
    feed,
    invite,
    make_event,
    make_registration,
    public,
)
from tests.calendar.parsers import PARSERS, read

INVITE_UID = "registration-42.reunion-ami-ia@accueil.example"
ORGANIZER = "mailto:equipe-ami-ia@data.gouv.fr"
ATTENDEE = "mailto:zoe.lefevre@interieur.gouv.fr"


def only_event(parser: str, data: bytes):
    parsed = read(parser, data)
    assert len(parsed.events) == 1
    return parsed, parsed.events[0]


def test_registration_uid_comes_from_the_registration_and_the_event_not_the_code():
    event = make_event(slug="reunion-x")
    first = make_registration(id=42, code="A" * 43)
    second = make_registration(id=42, code="B" * 43)
    assert registration_uid(first, event, "accueil.example") == (
        "registration-42.reunion-x@accueil.example"
    )
    assert registration_uid(second, event, "accueil.example") == registration_uid(
        first, event, "accueil.example"
    )


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize(
    ("local_start", "utc_start"),
    [
        (datetime(2026, 4, 16, 14, 0), datetime(2026, 4, 16, 12, 0, tzinfo=UTC)),
        (datetime(2027, 1, 14, 14, 0), datetime(2027, 1, 14, 13, 0, tzinfo=UTC)),
    ],
    ids=["april", "january"],
)
def test_14h_in_paris_is_read_at_the_right_utc_instant(parser, builder, local_start, utc_start):
    data = BUILDERS[builder](make_event(starts_at=utc_start))
    assert f"DTSTART;TZID=Europe/Paris:{local_start:%Y%m%dT%H%M%S}\r\n".encode() in data
    _parsed, event = only_event(parser, data)
    assert event.start == utc_start
    assert event.end == utc_start + timedelta(hours=2)


@pytest.mark.parametrize("parser", PARSERS)
def test_invite_is_a_request_with_organizer_attendee_and_practical_details(parser):
    parsed, event = only_event(parser, invite(sequence=3))
    assert parsed.method == "REQUEST"
    assert event.uid == INVITE_UID
    assert event.sequence == 3
    assert event.status == "CONFIRMED"
    assert event.summary == "Réunion d'information AMI IA"
    assert event.location == "Ministère des Armées, 20 avenue de Ségur, 75007 Paris"
    assert event.url == EVENT_URL
    assert event.geo == (48.8493, 2.3094)
    assert event.organizer.value == ORGANIZER
    assert event.organizer.params["cn"] == "DINSIC et DITP"
    [attendee] = event.attendees
    assert attendee.value == ATTENDEE
    assert attendee.params == {
        "cn": "Zoé Lefèvre-Ñúñez",
        "cutype": "INDIVIDUAL",
        "partstat": "ACCEPTED",
        "role": "REQ-PARTICIPANT",
        "rsvp": "FALSE",
    }
    assert event.alarms == [("DISPLAY", timedelta(hours=-2))]
    for detail in (
        "jeudi 16 avril 2026, de 14 h à 16 h",
        "Ministère des Armées, 20 avenue de Ségur, 75007 Paris",
        "DINSIC et DITP <equipe-ami-ia@data.gouv.fr>",
        EVENT_URL,
        "Questions et réponses.",
    ):
        assert detail in event.description


def test_invite_header_and_fixed_properties():
    data = invite()
    lines = data.split(b"\r\n")
    assert lines[:5] == [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        f"PRODID:{PRODID}".encode(),
        b"CALSCALE:GREGORIAN",
        b"METHOD:REQUEST",
    ]
    assert PRODID == "-//Accueil//Réunions d'information//FR"
    for line in (
        b"DTSTAMP:20260301T093000Z",
        b"SEQUENCE:3",
        b"STATUS:CONFIRMED",
        b"TRANSP:OPAQUE",
        b"CLASS:PUBLIC",
        b"TRIGGER:-PT2H",
        b"ACTION:DISPLAY",
        b"DTEND;TZID=Europe/Paris:20260416T160000",
    ):
        assert line in lines


@pytest.mark.parametrize("parser", PARSERS)
def test_cancel_has_the_invites_uid_a_higher_sequence_and_cancelled_status(parser):
    _parsed, request = only_event(parser, invite(sequence=3))
    parsed, cancelled = only_event(parser, cancel(sequence=4))
    assert parsed.method == "CANCEL"
    assert cancelled.uid == request.uid == INVITE_UID
    assert cancelled.sequence == 4
    assert cancelled.status == "CANCELLED"
    assert cancelled.organizer == request.organizer
    assert cancelled.attendees == request.attendees
    assert cancelled.start == request.start
    assert cancelled.alarms == []


def test_cancel_frees_the_slot():
    lines = cancel().split(b"\r\n")
    assert b"TRANSP:TRANSPARENT" in lines
    assert b"METHOD:CANCEL" in lines


def test_uid_is_stable_across_invites_updates_and_cancel():
    uid_line = f"UID:{INVITE_UID}".encode()
    moved = make_event(starts_at=datetime(2026, 5, 12, 8, 0, tzinfo=UTC), city="Lyon")
    for data in (invite(sequence=0), invite(moved, sequence=1), cancel(moved, sequence=2)):
        assert uid_line in data.split(b"\r\n")


@pytest.mark.parametrize("parser", PARSERS)
def test_public_event_is_published_without_attendee(parser):
    data = public()
    assert b"ATTENDEE" not in data
    parsed, event = only_event(parser, data)
    assert parsed.method == "PUBLISH"
    assert event.uid == "event-reunion-ami-ia@accueil.example"
    assert event.status == "CONFIRMED"
    assert event.attendees == []
    assert event.organizer.value == ORGANIZER
    assert event.alarms == [("DISPLAY", timedelta(hours=-2))]
    assert EVENT_URL in event.description


@pytest.mark.parametrize("parser", PARSERS)
def test_a_cancelled_event_is_published_as_cancelled(parser):
    _parsed, event = only_event(parser, public(make_event(status="cancelled")))
    assert event.status == "CANCELLED"


@pytest.mark.parametrize("parser", PARSERS)
def test_feed_has_every_event_one_timezone_per_zone_and_no_attendee(parser):
    events = (
        make_event(slug="paris-avril", starts_at=datetime(2026, 4, 16, 12, 0, tzinfo=UTC)),
        make_event(slug="paris-janvier", starts_at=datetime(2027, 1, 14, 13, 0, tzinfo=UTC)),
        make_event(
            slug="new-york",
            timezone="America/New_York",
            starts_at=datetime(2026, 3, 9, 18, 0, tzinfo=UTC),
            status="cancelled",
        ),
    )
    data = feed(*events)
    assert data.count(b"BEGIN:VTIMEZONE") == 2
    assert b"TZID:Europe/Paris\r\n" in data
    assert b"TZID:America/New_York\r\n" in data
    assert b"ATTENDEE" not in data
    assert b"VALARM" not in data
    assert "X-WR-CALNAME:Réunions d'information\r\n".encode() in data
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT12H\r\n" in data
    parsed = read(parser, data)
    assert parsed.method == "PUBLISH"
    assert parsed.name == "Réunions d'information"
    assert [(e.uid, e.start, e.status, e.url) for e in parsed.events] == [
        (
            "event-paris-avril@accueil.example",
            datetime(2026, 4, 16, 12, 0, tzinfo=UTC),
            "CONFIRMED",
            "https://accueil.example/e/paris-avril",
        ),
        (
            "event-paris-janvier@accueil.example",
            datetime(2027, 1, 14, 13, 0, tzinfo=UTC),
            "CONFIRMED",
            "https://accueil.example/e/paris-janvier",
        ),
        (
            "event-new-york@accueil.example",
            datetime(2026, 3, 9, 18, 0, tzinfo=UTC),
            "CANCELLED",
            "https://accueil.example/e/new-york",
        ),
    ]
    assert b"DTSTART;TZID=America/New_York:20260309T140000\r\n" in data
    assert all(event.attendees == [] for event in parsed.events)


def test_empty_feed_is_still_a_calendar():
    data = build_feed([], domain=DOMAIN, name="Réunions", dtstamp=STAMP)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"BEGIN:VEVENT" not in data
    assert b"BEGIN:VTIMEZONE" not in data


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize(
    ("latitude", "longitude"), [(48.8493, 2.3094), (None, 2.3094), (48.8493, None), (None, None)]
)
def test_geo_only_when_both_coordinates_are_known(parser, builder, latitude, longitude):
    data = BUILDERS[builder](make_event(latitude=latitude, longitude=longitude))
    _parsed, event = only_event(parser, data)
    if latitude is None or longitude is None:
        assert b"GEO" not in data
        assert event.geo is None
    else:
        assert b"GEO:48.8493;2.3094\r\n" in data
        assert event.geo == (48.8493, 2.3094)


@pytest.mark.parametrize("parser", PARSERS)
def test_commas_semicolons_and_backslashes_are_escaped(parser):
    title = "Réunion AMI, IA; session \\ 2"
    event = make_event(title=title, venue_name="Salle A, bâtiment B; 3e étage", street="")
    data = invite(event)
    assert b"SUMMARY:R\xc3\xa9union AMI\\, IA\\; session \\\\ 2\r\n" in data
    assert "LOCATION:Salle A\\, bâtiment B\\; 3e étage\\, 75007 Paris\r\n".encode() in data
    _parsed, read_back = only_event(parser, data)
    assert read_back.summary == title
    assert read_back.location == "Salle A, bâtiment B; 3e étage, 75007 Paris"


@pytest.mark.parametrize("parser", PARSERS)
def test_names_with_quotes_and_commas_survive_in_parameters(parser):
    event = make_event(organiser_name='Équipe "AMI", DITP')
    registration = make_registration(given_name="Anne-Sophie", family_name="d'Orléans, née Ré")
    _parsed, read_back = only_event(parser, invite(event, registration))
    assert read_back.organizer.params["cn"] == "Équipe 'AMI', DITP"
    assert read_back.attendees[0].params["cn"] == "Anne-Sophie d'Orléans, née Ré"


def test_the_address_leaves_out_an_empty_venue():
    data = invite(make_event(venue_name=""))
    assert "LOCATION:20 avenue de Ségur\\, 75007 Paris\r\n".encode() in data


def test_naive_dtstamp_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        build_invite(
            make_event(),
            make_registration(),
            sequence=0,
            event_url=EVENT_URL,
            domain=DOMAIN,
            dtstamp=datetime(2026, 3, 1, 9, 30),
        )


def test_default_dtstamp_is_now_in_utc():
    before = datetime.now(UTC).replace(microsecond=0)
    data = public()
    [line] = [line for line in data.split(b"\r\n") if line.startswith(b"DTSTAMP:")]
    stamp = datetime.strptime(line.decode(), "DTSTAMP:%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC)


@pytest.mark.parametrize("parser", PARSERS)
def test_an_event_over_new_year_is_read_at_both_ends(parser):
    start = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    event = make_event(starts_at=start, ends_at=datetime(2027, 1, 1, 1, 0, tzinfo=UTC))
    data = invite(event)
    assert b"DTSTART;TZID=Europe/Paris:20261231T230000\r\n" in data
    assert b"DTEND;TZID=Europe/Paris:20270101T020000\r\n" in data
    _parsed, read_back = only_event(parser, data)
    assert (read_back.start, read_back.end) == (start, datetime(2027, 1, 1, 1, 0, tzinfo=UTC))
