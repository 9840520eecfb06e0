"""The security desk's list: sent at the cutoff, then only the changes, never twice.

A real SMTP server (aiosmtpd) receives the mail; the clock is moved by passing `now`.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.desk import services as desk
from app.mail import sender
from app.models import DeskSending, Registration
from app.registration import services as registrations
from tests.exports.pdftools import pdftotext, reads_back
from tests.factories import audit_entries, make_event, make_registration

#: 16 April 2030, 14:00 in Paris: the default cutoff is 15 April, 12:00 Paris (10:00 UTC).
STARTS = datetime(2030, 4, 16, 12, 0, tzinfo=UTC)
CUTOFF = datetime(2030, 4, 15, 10, 0, tzinfo=UTC)
DESK = ["securite@segur.gouv.fr", "poste-garde@segur.gouv.fr"]


@pytest.fixture
def event(db):
    event = make_event(slug="reunion-ami-ia", starts_at=STARTS)
    desk.set_desk(event.slug, DESK, None, None)
    return event


@pytest.fixture
def people(event):
    """Confirmed (one checked in, one with needs), one waiting, one cancelled."""
    return {
        "arabic": make_registration(event, family_name="عبد الله", given_name="محمد"),
        "chinese": make_registration(
            event, family_name="王", given_name="小明", accessibility_needs="Fauteuil roulant"
        ),
        "inside": make_registration(event, family_name="Łukasiewicz", checked_in_at=STARTS),
        "waiting": make_registration(
            event, family_name="Attente", status="waitlisted", waitlist_position=1
        ),
        "cancelled": make_registration(event, family_name="Annulé", status="cancelled"),
    }


def desk_mail(server) -> list:
    """Return what the desk's addresses received (registrants get their own mail too)."""
    sender.deliver_pending()  # what the worker does once the commit wakes it
    return [message for message in server.messages() if message["To"] in DESK]


def attachments(message) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_content() for part in message.walk() if part.get_filename()
    }


def workbook_rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_default_cutoff_is_the_day_before_at_noon_in_paris(event):
    assert desk.cutoff(event) == CUTOFF
    winter = make_event(starts_at=datetime(2030, 1, 10, 13, 0, tzinfo=UTC))
    assert desk.default_cutoff(winter) == datetime(2030, 1, 9, 11, 0, tzinfo=UTC)


def test_cutoff_list_then_changes_only_then_silence(db, smtp_app, smtp_server, event, people):
    smtp_server.start()

    assert desk.send_due(now=CUTOFF - timedelta(minutes=1)) == []
    assert desk_mail(smtp_server) == []

    [sending] = desk.send_due(now=CUTOFF + timedelta(minutes=1))

    assert (sending.kind, sending.added, sending.removed) == ("list", 3, 0)
    received = desk_mail(smtp_server)
    assert sorted(message["To"] for message in received) == sorted(DESK)
    message = received[0]
    assert "personnes attendues" in message["Subject"]
    files = attachments(message)
    assert set(files) == {
        "reunion-ami-ia-2030-04-16-accueil-securite-emargement.pdf",
        "reunion-ami-ia-2030-04-16-accueil-securite.xlsx",
    }
    sheet = pdftotext(files["reunion-ami-ia-2030-04-16-accueil-securite-emargement.pdf"])
    for key in ("arabic", "chinese", "inside"):
        assert reads_back(people[key].family_name, sheet), key
    assert "Attente" not in sheet and "Annulé" not in sheet
    rows = workbook_rows(files["reunion-ami-ia-2030-04-16-accueil-securite.xlsx"])
    assert rows[0] == ("Nom", "Prénom", "Organisation", "Fonction", "Besoins d'accessibilité")
    assert (
        "王",
        "小明",
        "Ministère de l'Intérieur",
        "Cheffe de projet",
        "Fauteuil roulant",
    ) in rows
    assert len(rows) == 4
    text = message.get_body(("plain",)).get_content()
    assert "3 personnes" in text and "Fauteuil roulant" in text

    # Silent rerun: nothing new, nothing sent.
    assert desk.send_due(now=CUTOFF + timedelta(minutes=5)) == []
    assert len(desk_mail(smtp_server)) == 2

    # After the cutoff: one cancels (the first in line gets the seat), one registers; the
    # addendum holds only them.
    registrations.cancel(people["arabic"].id)
    late = make_registration(event, family_name="Nguyễn", given_name="Thị Minh Khai")
    [addendum] = desk.send_due(now=CUTOFF + timedelta(hours=3))

    assert (addendum.kind, addendum.added, addendum.removed) == ("addendum", 2, 1)
    received = [m for m in desk_mail(smtp_server) if "changements" in m["Subject"]]
    assert len(received) == 2 and len(desk_mail(smtp_server)) == 4
    text = received[0].get_body(("plain",)).get_content()
    assert "Nguyễn" in text and "Attente" in text and "عبد الله" in text
    assert "王" not in text and "Łukasiewicz" not in text, "only the changes"
    files = attachments(received[0])
    rows = workbook_rows(files["reunion-ami-ia-2030-04-16-accueil-securite-changements.xlsx"])
    assert [row[:2] for row in rows[1:]] == [
        ("Confirmée", "Attente"),
        ("Confirmée", "Nguyễn"),
        ("Annulée", "عبد الله"),
    ]
    sheet = pdftotext(files["reunion-ami-ia-2030-04-16-accueil-securite-emargement.pdf"])
    assert "Nguyễn" in sheet and "Łukasiewicz" not in sheet
    assert late.id in {e.registration_id for e in db.session.scalars(select(desk.DeskEntry))}

    assert desk.send_due(now=CUTOFF + timedelta(hours=4)) == []
    assert len(desk_mail(smtp_server)) == 4

    entries = audit_entries()
    desk_entries = [e for e in entries if e.action.startswith("desk.")]
    assert [e.action for e in desk_entries] == ["desk.settings", "desk.list", "desk.addendum"]
    assert all(e.actor_id is None and e.event_id == event.id for e in desk_entries)
    assert desk_entries[1].after == {"recipients": ",".join(DESK), "added": 3, "removed": 0}
    assert desk_entries[2].after["added"] == 2 and desk_entries[2].after["removed"] == 1


def test_send_again_copies_the_text_and_the_files_and_is_audited(
    db, smtp_app, smtp_server, event, people, organiser
):
    smtp_server.start()
    [sending] = desk.send_due(now=CUTOFF)

    again = desk.resend(event.slug, sending.id, organiser)

    received = desk_mail(smtp_server)
    assert len(received) == 4
    assert len({message["Subject"] for message in received}) == 1
    assert len({message["Message-ID"] for message in received}) == 4
    files = [attachments(message) for message in received]
    assert all(found == files[0] for found in files) and len(files[0]) == 2
    assert (again.kind, again.resent_id) == ("resend", sending.id)
    [entry] = audit_entries("desk.resend")
    assert entry.actor_id == organiser.id and entry.after["resent"] == sending.id
    other = make_event()
    with pytest.raises(desk.DeskSendingNotFound):
        desk.resend(other.slug, sending.id, organiser)


def test_nothing_goes_without_addresses_for_drafts_or_after_the_event(db, smtp_app, event, people):
    desk.set_desk(event.slug, [], None, None)
    assert desk.send_due(now=CUTOFF) == []
    desk.set_desk(event.slug, DESK, None, None)
    assert desk.send_due(now=STARTS + timedelta(days=1)) == []
    draft = make_event(status="draft", starts_at=STARTS)
    desk.set_desk(draft.slug, DESK, None, None)
    assert [s.event_id for s in desk.send_due(now=CUTOFF)] == [event.id]


def test_cli_sets_the_desk_and_sends_what_is_due(runner, db, event, people):
    result = runner.invoke(
        args=[
            "events",
            "desk",
            "--slug",
            event.slug,
            "--to",
            "A@Segur.gouv.fr, b@segur.gouv.fr",
            "--cutoff",
            "2030-04-14 18:30",
        ]  # fmt: skip
    )

    assert result.exit_code == 0, result.output
    assert "2030-04-14 18:30 CEST" in result.output
    setting = desk.setting(event)
    assert setting.recipients == "A@segur.gouv.fr,b@segur.gouv.fr"
    assert setting.cutoff_at == datetime(2030, 4, 14, 16, 30, tzinfo=UTC)
    bad = runner.invoke(args=["events", "desk", "--slug", event.slug, "--to", "pas une adresse"])
    assert bad.exit_code != 0 and "not an e-mail address" in bad.output
    missing = runner.invoke(args=["events", "desk", "--slug", "inconnue", "--to", "a@b.fr"])
    assert missing.exit_code != 0
    # The real clock: 2030's cutoff is not due yet; cron may run this every minute.
    sent = runner.invoke(args=["desk", "send"])
    assert sent.exit_code == 0 and "0 sent." in sent.output
    assert db.session.scalar(select(DeskSending.id)) is None
    assert db.session.get(Registration, people["waiting"].id).status == "waitlisted"


def test_the_desk_mail_and_files_go_with_the_event_s_personal_data(db, event, people):
    from app.models import OutboxAttachment, OutboxMessage
    from app.registration import erasure

    desk.send_due(now=CUTOFF)
    assert db.session.scalar(select(OutboxAttachment.id)) is not None

    erasure.purge_expired(180, now=STARTS + timedelta(days=100))
    assert db.session.scalar(select(OutboxAttachment.id)) is not None
    erasure.purge_expired(180, now=STARTS + timedelta(days=181))

    db.session.expire_all()
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert db.session.scalars(select(OutboxAttachment)).all() == []
    assert len(desk.sendings(event)) == 1, "what was sent, when and to whom stays"
