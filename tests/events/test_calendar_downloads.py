"""The calendar downloads of the public pages: an event's .ics, the feed, the ticket's links."""

from datetime import UTC, datetime, timedelta

from app.models import EventStatus
from tests.calendar.parsers import read
from tests.factories import make_event, make_registration


def test_event_ics_is_a_public_event_without_attendee(client, db):
    starts_at = datetime(2030, 4, 16, 12, 0, tzinfo=UTC)
    event = make_event(title="Réunion AMI IA", starts_at=starts_at)
    make_registration(event)
    response = client.get(f"/e/{event.slug}/event.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    for parser in ("icalendar", "vobject"):
        parsed = read(parser, response.data)
        assert parsed.method == "PUBLISH"
        [vevent] = parsed.events
        assert vevent.summary == "Réunion AMI IA" and vevent.attendees == []
        assert vevent.start == starts_at  # 14:00 in Paris


def test_feed_lists_upcoming_published_events_only(client, db):
    shown = make_event(title="À venir")
    make_event(title="Brouillon", status=EventStatus.DRAFT)
    make_event(title="Passée", starts_at=datetime.now(UTC) - timedelta(days=3))
    registration = make_registration(shown)
    response = client.get("/calendar.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    for parser in ("icalendar", "vobject"):
        events = read(parser, response.data).events
        assert [e.summary for e in events] == ["À venir"]
        assert events[0].attendees == []
    assert registration.code.encode() not in response.data
    assert registration.email.encode() not in response.data


def test_ticket_page_offers_calendar_links(client, db):
    registration = make_registration(make_event())
    page = client.get(f"/t/{registration.code}").text
    assert f'href="/t/{registration.code}/invite.ics"' in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    assert "<svg" in page and 'aria-label="QR code du billet de Camille' in page


def test_unknown_downloads_are_404(client, db):
    assert client.get("/e/inconnue/event.ics").status_code == 404
    assert client.get("/t/AAAAAAAAAAAAAAAAAAAAAAAA/invite.ics").status_code == 404


def test_public_feeds_raise_sequence_on_a_change_of_time_or_place(client, db, organiser):
    from icalendar import Calendar

    from app.staff.events import services

    event = make_event(starts_at=datetime(2030, 4, 16, 12, 0, tzinfo=UTC))
    # Created an hour ago: LAST-MODIFIED has whole seconds, and the edits below must show as later
    # even when they all happen within the second the event was created.
    event.updated_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    values = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}

    def published() -> list:
        """Return (SEQUENCE, LAST-MODIFIED) from event.ics and from the feed."""
        found = []
        for url in (f"/e/{event.slug}/event.ics", "/calendar.ics"):
            [vevent] = Calendar.from_ical(client.get(url).data).walk("VEVENT")
            found.append((vevent["SEQUENCE"], vevent["LAST-MODIFIED"].dt))
        for parser in ("vobject", "icaljs"):
            assert read(parser, client.get(f"/e/{event.slug}/event.ics").data).events[0].sequence \
                == found[0][0]  # fmt: skip
        return found

    before = published()
    assert [sequence for sequence, _ in before] == [0, 0]
    services.update_event(event.id, values | {"title": "Nouveau titre"}, organiser)
    retitled = published()
    assert [sequence for sequence, _ in retitled] == [0, 0]
    assert retitled[0][1] >= before[0][1]
    moved = values | {"starts_at": datetime(2030, 4, 17, 12, 0, tzinfo=UTC)}
    moved["ends_at"] = datetime(2030, 4, 17, 14, 0, tzinfo=UTC)
    services.update_event(event.id, moved, organiser)
    assert [sequence for sequence, _ in published()] == [1, 1]
    services.update_event(event.id, moved | {"city": "Lyon", "postcode": "69001"}, organiser)
    after = published()
    assert [sequence for sequence, _ in after] == [2, 2]
    assert after[0][1] > before[0][1] and after[0][1] == after[1][1]
