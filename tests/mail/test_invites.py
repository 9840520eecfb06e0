"""The calendar lifecycle of a registration, as e-mailed and as downloaded."""

from app.mail import services as mail
from app.registration import services as registrations
from tests.calendar.parsers import read
from tests.factories import make_event, make_registration, outbox_messages
from tests.mail.test_smtp import ACCENTED

PARSERS = ("icalendar", "vobject")


def calendars(db) -> list[tuple[str, str, bytes | None]]:
    """Return each message's kind, iTIP method and calendar object, as the sender renders it."""
    return [
        (m.kind, m.calendar_method, m.calendar.encode() if m.calendar else None)
        for m in outbox_messages()
    ]


def vevent(ics: bytes, parser: str):
    [parsed] = read(parser, ics).events
    return parsed


def test_uid_stays_and_sequence_rises_from_invite_to_update_to_cancel(client, db, post_form):
    event = make_event(capacity=5)
    code = post_form(f"/e/{event.slug}", ACCENTED).headers["Location"].rsplit("/", 1)[1]
    download = client.get(f"/t/{code}/invite.ics")
    assert download.headers["Content-Type"] == "text/calendar; charset=utf-8"

    registration = registrations.get_registration(code)
    db.session.add(mail.queue("event_changed", registration))
    db.session.commit()
    after_change = client.get(f"/t/{code}/invite.ics").data
    registrations.cancel(registration.id)
    after_cancel = client.get(f"/t/{code}/invite.ics").data

    sent = calendars(db)
    assert [(kind, method) for kind, method, _ in sent] == [
        ("confirmation", "REQUEST"),
        ("event_changed", "REQUEST"),
        ("cancelled", "CANCEL"),
    ]
    for parser in PARSERS:
        mailed = [vevent(ics, parser) for _, _, ics in sent]
        assert len({v.uid for v in mailed}) == 1
        assert [v.sequence for v in mailed] == [0, 1, 2]
        assert mailed[2].status == "CANCELLED"
        assert read(parser, sent[2][2]).method == "CANCEL"
        # A download carries the UID and SEQUENCE of the last invite e-mailed.
        for ics, expected in [(download.data, 0), (after_change, 1), (after_cancel, 2)]:
            assert vevent(ics, parser).uid == mailed[0].uid
            assert vevent(ics, parser).sequence == expected
    for _, _, ics in sent:
        assert code.encode() not in ics


def test_resending_the_ticket_repeats_the_invite_without_a_new_sequence(db):
    registration = make_registration(make_event())
    mail.queue("confirmation", registration)
    mail.queue("ticket_resent", registration)
    db.session.commit()
    sequences = [vevent(ics, "icalendar").sequence for _, _, ics in calendars(db)]
    assert sequences == [0, 0]


def test_people_in_line_get_no_invite_until_promoted(client, db, post_form):
    event = make_event(capacity=1)
    first = make_registration(event)
    code = post_form(f"/e/{event.slug}", ACCENTED).headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/t/{code}/invite.ics").status_code == 404
    registrations.cancel(first.id)
    kinds = [(kind, method) for kind, method, _ in calendars(db)]
    assert kinds == [("waitlisted", None), ("cancelled", None), ("promoted", "REQUEST")]
    assert client.get(f"/t/{code}/invite.ics").status_code == 200


def test_leaving_the_line_sends_no_cancel(db):
    event = make_event(capacity=0)
    applicant = dict(ACCENTED)
    applicant.update(phone=None, accessibility_needs=None, email="zoe@numerique.gouv.fr")
    waiting = registrations.register(event.slug, applicant)
    registrations.cancel(waiting.id)
    assert [(kind, method) for kind, method, _ in calendars(db)] == [
        ("waitlisted", None),
        ("cancelled", None),
    ]


def test_event_cancelled_cancels_the_invite(db):
    event = make_event()
    registration = make_registration(event)
    mail.queue("confirmation", registration)
    event.status = "cancelled"
    mail.queue("event_cancelled", registration)
    db.session.commit()
    [_, message] = outbox_messages()
    assert message.calendar_method == "CANCEL"
    assert message.ticket_url is None
    assert vevent(message.calendar.encode(), "vobject").sequence == 1
