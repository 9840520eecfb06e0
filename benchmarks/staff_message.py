"""Time to send a staff message to 200 people who came, with and without their certificates.

    python benchmarks/staff_message.py [--database-url sqlite:///…|postgresql://…] [-n 200]
        [--repeat 3] [--smtp-port 5400]

Each run makes a fresh event that ended an hour ago with N checked-in registrants, then
sends one message through the real path: `send_message` (one unit of work: the message's
row, N outbox rows rendered in each one's language, the audit entry), then delivery right
after the commit by the sender to a loopback SMTP server (aiosmtpd, a separate process),
with one certificate PDF made per recipient when asked. Reported: the unit (queueing) and
the delivery, and as a baseline in the same run, N bare `smtplib` sends of a message of
the same size to the same server (the floor of delivering one by one).
"""

import argparse
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def start_smtp(port: int, maildir: str) -> subprocess.Popen:
    handler = (
        ["-c", "aiosmtpd.handlers.Sink"]
        if not maildir
        else ["-c", "aiosmtpd.handlers.Mailbox", maildir]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", *handler],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("aiosmtpd did not start")


def seed(n: int):
    from app.extensions import db
    from app.models import Event, EventStatus, Registration, StaffUser
    from app.tickets.codes import new_code, new_reference

    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    event = Event(slug=slug, title="Réunion d'information AMI IA", starts_at=starts,
                  ends_at=starts + timedelta(hours=2), street="20 avenue de Ségur",
                  postcode="75007", city="Paris", capacity=n, status=EventStatus.PUBLISHED,
                  organiser_name="DINSIC et DITP",
                  organiser_email="equipe@data.gouv.fr")  # fmt: skip
    db.session.add(event)
    for i in range(n):
        db.session.add(Registration(
            event=event, code=new_code(), reference=new_reference(), manage_secret=new_code(),
            given_name="Camille", family_name=f"Martin {i}", email=f"p{i}.{slug}@example.gouv.fr",
            organisation="Ministère de l'Intérieur", job_title="Cheffe de projet",
            status="confirmed", locale="en" if i % 4 == 0 else "fr",
            checked_in_at=starts + timedelta(minutes=5)))  # fmt: skip
    actor = db.session.scalar(db.select(StaffUser).limit(1))
    if actor is None:
        actor = StaffUser(
            email=f"bench-{slug}@numerique.gouv.fr", role="organiser", password_hash="x"
        )
        db.session.add(actor)
    db.session.commit()
    return slug, actor


def one_run(app, n: int, certificate: bool) -> tuple[float, float]:
    from app.database import _AFTER_COMMIT  # noqa: PLC2701 (measure queueing apart)
    from app.extensions import db
    from app.mail import sender
    from app.models import OutboxMessage
    from app.staff.messages.services import Draft, send_message

    with app.app_context():
        slug, actor = seed(n)
        draft = Draft(
            "checked_in", "Les supports", "Merci d'être venus.\n\nÀ bientôt.", certificate
        )
        app.config["MAIL_SUPPRESS_SEND"] = True  # time the unit alone first
        started = time.perf_counter()
        message = send_message(slug, draft, uuid.uuid4().hex, actor)
        queued = time.perf_counter() - started
        ids = list(db.session.scalars(
            db.select(OutboxMessage.id).where(OutboxMessage.created_at >= message.created_at)
            .order_by(OutboxMessage.id)))  # fmt: skip
        assert len(ids) == n, (len(ids), _AFTER_COMMIT)
        app.config["MAIL_SUPPRESS_SEND"] = False
        started = time.perf_counter()
        sender.deliver(ids)  # what the commit's callbacks do, one message after the other
        delivered = time.perf_counter() - started
        return queued, delivered


def bare_smtp(port: int, n: int, size: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = "a@b.fr", f"p{i}@example.gouv.fr", "x"
        email.set_content("x" * size)
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(email)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smtp-port", type=int, default=5400)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from config import TestingConfig

    workdir = tempfile.mkdtemp(prefix="bench-message-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    app = create_app(TestingConfig, instance_path=workdir, SQLALCHEMY_DATABASE_URI=url,
                     MAIL_SERVER="127.0.0.1", MAIL_PORT=args.smtp_port)  # fmt: skip
    with app.app_context():
        upgrade()
    smtp = start_smtp(args.smtp_port, "")
    try:
        print(f"{args.n} recipients, {url.split(':')[0]}, SMTP sink on loopback")
        print("| run | certificates | queue (one unit) | delivery | total | bare SMTP sends "
              "| delivery / bare |")  # fmt: skip
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for run in range(1, args.repeat + 1):
            for certificate in (False, True):
                queued, delivered = one_run(app, args.n, certificate)
                bare = bare_smtp(args.smtp_port, args.n, 60_000 if certificate else 4_000)
                print(f"| {run} | {'yes' if certificate else 'no'} | {queued:.2f} s | "
                      f"{delivered:.2f} s | {queued + delivered:.2f} s | {bare:.2f} s | "
                      f"{delivered / bare:.1f} |", flush=True)  # fmt: skip
    finally:
        smtp.terminate()
        smtp.wait(10)


if __name__ == "__main__":
    main()
