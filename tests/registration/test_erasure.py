"""Erasure on request and the purge after retention reach every place personal data lands:
the database (as a dump shows it) and every file under instance/."""

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.checkin.services import check_in
from app.database import run_in_transaction
from app.desk import services as desk
from app.mail import sender
from app.mail import services as mail
from app.models import AuditEntry, OutboxMessage, Registration, Scan
from app.registration import erasure
from app.registration import services as registrations
from app.staff.attendees.services import correct_details
from tests.conftest import csrf_token
from tests.factories import make_event, make_registration, make_staff

EMAIL = "zoe.effacee@numerique.gouv.fr"
FAMILY = "Łukasiewicz-Effacée"


def database_dump(db) -> str:
    """The whole database as text: pg_dump on PostgreSQL, .dump on SQLite."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return subprocess.run(["pg_dump", plain], capture_output=True, text=True, check=True).stdout
    import sqlite3

    connection = sqlite3.connect(url.database)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def files_under(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.rglob("*") if p.is_file())


@pytest.fixture
def person(app, db):
    """Someone registered to two events, mailed, scanned, corrected and quoted by staff."""
    app.config["MAIL_SUPPRESS_SEND"] = False  # the development transport writes .eml files
    first, second = make_event(capacity=1), make_event(capacity=1)
    make_registration(second)  # second is full: the person waits there
    organiser = make_staff("organiser", "orga@numerique.gouv.fr")
    confirmed = make_registration(first, email=EMAIL, family_name=FAMILY, phone="06 11 22 33 44")
    waiting = make_registration(
        second, email=EMAIL, family_name=FAMILY, status="waitlisted", waitlist_position=1
    )
    behind = make_registration(first, status="waitlisted", waitlist_position=1)
    for registration in (confirmed, waiting):
        run_in_transaction(lambda r=registration: mail.queue("confirmation", r))
    correct_details(confirmed.id, {"job_title": "Cheffe"}, organiser)
    check_in(first, confirmed.code, actor=organiser)
    # The security desk got the list of people expected, which names them.
    desk.set_desk(first.slug, ["accueil-securite@exemple.gouv.fr"], None, organiser)
    assert desk.send_due(now=first.starts_at - timedelta(hours=1))
    sender.deliver_pending()  # the worker writes the .eml files
    return first, confirmed, waiting, behind


def assert_forgotten(app, db):
    assert EMAIL not in database_dump(db) and FAMILY not in database_dump(db)
    everything = files_under(Path(app.instance_path))
    assert EMAIL.encode() not in everything and FAMILY.encode() not in everything


def test_flask_data_erase_leaves_no_trace(app, db, runner, person):
    first, confirmed, waiting, behind = person
    assert list(Path(app.instance_path, "outbox").glob("*.eml"))  # there was something to erase
    result = runner.invoke(args=["data", "erase", "--email", EMAIL.upper()])
    assert result.exit_code == 0 and "Erased 2 registration(s)" in result.output
    assert_forgotten(app, db)
    db.session.expire_all()
    # The freed seat went to the line, as for any cancellation, with its message.
    assert db.session.get(Registration, behind.id).status == "confirmed"
    # The desk's list named them: it goes too (what was sent, when and to whom stays).
    assert db.session.scalars(select(OutboxMessage.kind)).all() == ["promoted"]
    erased = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "registration.erase"))
    assert [(e.after, e.target) for e in erased] == [({"requested_by": "operator"}, "—")] * 2
    assert all(scan.scanned == "" for scan in db.session.scalars(select(Scan)))


def test_the_registrant_erases_themselves_from_their_page(app, client, db, person):
    _first, confirmed, waiting, _behind = person
    secret, code = confirmed.manage_secret, waiting.code
    link = f"/m/{secret}/erase"
    page = client.get(link)
    assert page.status_code == 200 and db.session.get(Registration, confirmed.id).email == EMAIL
    done = client.post(link, data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 303
    assert_forgotten(app, db)
    assert client.get(f"/m/{secret}").status_code == 404  # the old links are dead
    assert client.get(f"/t/{code}").status_code == 404


def test_purge_reaches_messages_files_and_unmatched_scans(app, db, runner):
    app.config["MAIL_SUPPRESS_SEND"] = False
    old = make_event(starts_at=datetime.now(UTC) - timedelta(days=200), registration_closes_at=None)
    registration = make_registration(old, email=EMAIL, family_name=FAMILY)
    run_in_transaction(lambda: mail.queue("confirmation", registration))
    sender.deliver_pending()
    check_in(old, "https://accueil.test/t/" + "A" * 24, actor=None)  # an unknown ticket
    check_in(old, registration.code, actor=None)
    result = runner.invoke(args=["data", "purge"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(select(Scan)).all() == []
    assert_forgotten(app, db)
    assert erasure.purge_expired(180) == 0  # twice is harmless
    assert registrations  # (the module reads the same rows)
