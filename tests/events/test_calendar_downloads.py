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
