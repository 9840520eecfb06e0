"""Messages rendered after the commit: nothing slow under the event's lock, and a message that
says what was true at its change, rendered once and sent the same at every attempt."""

import icalendar
import pytest
from flask import template_rendered
from sqlalchemy import event as sa_event
from sqlalchemy import select

from app.database import run_in_transaction
from app.events.services import lock_event
from app.mail import services as mail
from app.mail import transports
from app.models import OutboxMessage, Registration
from app.registration import erasure, seats
from app.registration import services as registrations
from tests.calendar.parsers import PARSERS, read
from tests.factories import make_event, outbox_messages


def applicant(n: int, **more) -> dict:
    return {
        "given_name": "Zoé",
        "family_name": f"Nguyễn{n}",
        "email": f"zoe.nguyen{n}@numerique.gouv.fr",
        "organisation": f"Direction {n}",
        "job_title": "Cheffe de projet",
    } | more


class UnderLock:
    """Count template renders, iCalendar serialisations and QR codes: in all, and between
    each statement that takes a lock (the event's row, or SQLite's write lock) and its commit."""

    def __init__(self):
        self.total = {"templates": 0, "calendars": 0, "qr": 0}
        self.at_lock = None
        self.spans = []

    def count(self, what: str) -> None:
        self.total[what] += 1

    def statement(self, _conn, _cursor, statement, *_args) -> None:
        if self.at_lock is None and ("FOR UPDATE" in statement or "BEGIN IMMEDIATE" in statement):
            self.at_lock = dict(self.total)

    def committed(self, _conn) -> None:
        if self.at_lock is not None:
            self.spans.append({k: self.total[k] - self.at_lock[k] for k in self.total})
            self.at_lock = None


@pytest.fixture
def under_lock(app, db, monkeypatch):
    counter = UnderLock()

    def rendered(_app, template, context, **_extra):
        counter.count("templates")

    to_ical, qr_png = icalendar.Calendar.to_ical, transports.qr_png

    def counted_to_ical(self, *args, **kwargs):
        counter.count("calendars")
        return to_ical(self, *args, **kwargs)

    def counted_qr_png(*args, **kwargs):
        counter.count("qr")
        return qr_png(*args, **kwargs)

    monkeypatch.setattr(icalendar.Calendar, "to_ical", counted_to_ical)
    monkeypatch.setattr(transports, "qr_png", counted_qr_png)
    template_rendered.connect(rendered, app)
    sa_event.listen(db.engine, "before_cursor_execute", counter.statement)
    sa_event.listen(db.engine, "commit", counter.committed)
    yield counter
    sa_event.remove(db.engine, "commit", counter.committed)
    sa_event.remove(db.engine, "before_cursor_execute", counter.statement)
    template_rendered.disconnect(rendered, app)


def test_registering_renders_nothing_under_the_lock(smtp_app, smtp_server, runner, under_lock):
    smtp_server.start()
    event = make_event(capacity=1)
    for n in range(3):  # a seat (invite and QR code), then two in line
        registrations.register(event.slug, applicant(n))
    runner.invoke(args=["mail", "send"])  # whatever was not delivered after the commit

    assert len(smtp_server.messages()) == 3
    # The counter sees the rendering: it happened, after the commits.
    assert under_lock.total["templates"] >= 6
    assert under_lock.total["calendars"] >= 1 and under_lock.total["qr"] >= 1
    assert len(under_lock.spans) >= 3  # three registrations, each under its lock
    nothing = {"templates": 0, "calendars": 0, "qr": 0}
    assert all(span == nothing for span in under_lock.spans)


def test_a_message_rendered_late_says_what_was_true_at_its_change(db):
    event = make_event(capacity=1)
    for n in range(7):  # one seat, then six in line
        registrations.register(event.slug, applicant(n))
    late = registrations.register(event.slug, applicant(7, locale="en"))
    assert late.status == "waitlisted" and late.waitlist_position == 7

    def more_seats():
        locked = lock_event(event.id)
        locked.capacity = 8
        seats.fill_seats(locked)

    run_in_transaction(more_seats)  # everyone in line is promoted, the last one too
    run_in_transaction(lambda: mail.queue("event_changed", db.session.get(Registration, late.id)))
    registrations.cancel(late.id)
    # Asking for French now changes nothing of what was queued in English.
    run_in_transaction(lambda: setattr(db.session.get(Registration, late.id), "locale", "fr"))

    messages = [m for m in outbox_messages() if m.registration_id == late.id]
    assert [m.kind for m in messages] == ["waitlisted", "promoted", "event_changed", "cancelled"]
    waitlisted, promoted, changed, cancelled = messages
    assert waitlisted.subject.startswith("Waiting list: ")
    assert "you are on the waiting list, in position 7" in waitlisted.body_text
    assert "<strong>you are on the waiting list, in position 7</strong>" in waitlisted.body_html
    assert waitlisted.calendar is None and waitlisted.ticket_url is None
    assert promoted.ticket_url and "QR code" in promoted.body_html  # a seat, at that change
    assert "A seat has become available: your registration is confirmed" in promoted.body_text
    assert changed.body_text.startswith("Dear Zoé Nguyễn7,")
    assert "Bonjour" not in "".join(m.body_text + m.body_html for m in messages)

    for parser in PARSERS:
        parsed = [read(parser, m.calendar.encode()) for m in (promoted, changed, cancelled)]
        assert [p.method for p in parsed] == ["REQUEST", "REQUEST", "CANCEL"]
        assert [p.events[0].sequence for p in parsed] == [0, 1, 2]
        assert len({p.events[0].uid for p in parsed}) == 1
    assert "When: " in str(
        icalendar.Calendar.from_ical(promoted.calendar).walk("VEVENT")[0]["DESCRIPTION"]
    )


def test_a_retry_sends_the_message_rendered_for_the_first_attempt(
    smtp_app, smtp_server, runner, db
):
    event = make_event(capacity=5)
    registration = registrations.register(event.slug, applicant(0))
    assert runner.invoke(args=["mail", "send"]).exit_code == 1  # the relay is down
    [first] = outbox_messages()
    assert first.status == "pending" and first.last_error
    stored = (first.subject, first.body_text, first.body_html, first.calendar)
    assert all(stored)

    # Corrected since: a second rendering would say another name, and stamp another DTSTAMP.
    run_in_transaction(
        lambda: setattr(db.session.get(Registration, registration.id), "given_name", "Léa")
    )
    smtp_server.start()
    assert runner.invoke(args=["mail", "send"]).exit_code == 0
    [received] = smtp_server.messages()
    [again] = outbox_messages()
    assert again.status == "sent"
    assert (again.subject, again.body_text, again.body_html, again.calendar) == stored
    assert received["Subject"] == first.subject
    assert received.get_body(("plain",)).get_content().rstrip("\n") == first.body_text.rstrip("\n")
    calendar = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_content().replace("\r\n", "\n") == first.calendar.replace("\r\n", "\n")
    assert "Léa" not in first.body_text and "Zoé Nguyễn0" in first.body_text


def test_a_message_to_a_person_erased_meanwhile_is_not_sent(smtp_app, smtp_server, runner, db):
    smtp_server.start()
    smtp_app.config["MAIL_SUPPRESS_SEND"] = True  # queued, not delivered after the commit
    event = make_event(capacity=5)
    registration = registrations.register(event.slug, applicant(0))
    # `flask data erase` anonymises the registration in one unit, then deletes the person's
    # messages in the next: a sender may come in between.
    run_in_transaction(lambda: erasure._erase(registration.id, event.id, "operator"))
    smtp_app.config["MAIL_SUPPRESS_SEND"] = False
    result = runner.invoke(args=["mail", "send"])
    assert "0 sent, 1 failed" in result.output
    assert smtp_server.messages() == []
    db.session.expire_all()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == "failed" and "erased" in message.last_error
    assert message.body_text is None  # nothing rendered from the anonymised record either
