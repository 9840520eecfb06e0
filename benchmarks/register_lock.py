"""How long one registration holds its event's lock, in-process (no HTTP, no SMTP).

    python benchmarks/register_lock.py [--database-url postgresql://postgres@127.0.0.1:5432/DB]
        [--count 100] [--capacity 100]

Each backend (SQLite in a temporary file, and PostgreSQL when a URL is given; its schema is
dropped and migrated afresh) gets one published event of `--capacity` seats, and `--count`
people register one after the other through `app.registration.services.register`, as the
public form does. Two figures per backend, medians over the registrations:

- the lock held: from the statement that takes the event's lock (`SELECT … FOR UPDATE` on
  PostgreSQL, `BEGIN IMMEDIATE` on SQLite) to the end of the COMMIT;
- of that, the CPU time of this process (the Python side: templates, iCalendar, ORM), which
  other processes on a busy machine do not inflate;
- the whole `register()` call, which is the same unit of work plus what runs around it.

Mail is suppressed (MAIL_SUPPRESS_SEND), so nothing after the commit is timed: what is
measured is the unit of work that every other registration of the event waits on.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class LockClock:
    """Time from the statement that takes the lock to the end of the commit: wall clock, and
    this process's CPU (which other processes on a busy machine do not inflate)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.started = None
        self.spans = []
        self.cpu_spans = []
        event.listen(engine, "before_cursor_execute", self.statement)

    def statement(self, _conn, _cursor, statement, *_args):
        if self.started is None and ("FOR UPDATE" in statement or "BEGIN IMMEDIATE" in statement):
            self.started = (time.perf_counter(), time.process_time())

    def committed(self):
        if self.started is not None:
            self.spans.append(time.perf_counter() - self.started[0])
            self.cpu_spans.append(time.process_time() - self.started[1])
            self.started = None


def measure(url: str, count: int, capacity: int) -> tuple[list[float], list[float], list[float]]:
    from flask_migrate import upgrade
    from sqlalchemy import event as sa_event

    from app import create_app
    from app.extensions import db
    from app.models import Event, EventStatus
    from app.registration.services import register
    from config import TestingConfig
    from tests.conftest import reset_database

    reset_database(url)
    instance = tempfile.mkdtemp(prefix="accueil-bench-")
    app = create_app(TestingConfig, instance_path=instance, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=14)
        event = Event(
            slug="reunion-lock",
            title="Réunion d'information AMI IA",
            description="Présentation de l'appel.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            timezone="Europe/Paris",
            street="20 avenue de Ségur",
            postcode="75007",
            city="Paris",
            capacity=capacity,
            status=EventStatus.PUBLISHED,
            organiser_name="DINSIC et DITP",
            organiser_email="equipe-ami-ia@data.gouv.fr",
        )
        db.session.add(event)
        db.session.commit()
        clock = LockClock(db.engine)
        # The session's commit returns once the driver's COMMIT has: stop the clock there.
        sa_event.listen(db.session, "after_commit", lambda _s: clock.committed())
        calls = []
        for n in range(count + 3):
            applicant = {
                "given_name": "Camille",
                "family_name": f"Martin{n}",
                "email": f"camille.martin{n}@interieur.gouv.fr",
                "organisation": "Ministère de l'Intérieur",
                "job_title": "Cheffe de projet",
                "phone": None,
                "accessibility_needs": None,
            }
            clock.started = None
            started = time.perf_counter()
            register("reunion-lock", applicant, submission_key=f"bench-{n}")
            calls.append(time.perf_counter() - started)
        db.session.remove()
        db.engine.dispose()
    # The first registrations warm the caches (templates, translations): left out.
    return clock.spans[3:], clock.cpu_spans[3:], calls[3:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=100)
    args = parser.parse_args()
    backends = [("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='accueil-bench-')}/lock.db")]
    if args.database_url:
        backends.append(("PostgreSQL", args.database_url))
    print(f"{args.count} registrations, {args.capacity} seats; medians in ms (p90)")
    for name, url in backends:
        spans, cpu, calls = measure(url, args.count, args.capacity)
        print(
            f"{name:<11} lock held {_ms(spans)}   of which CPU here {_ms(cpu)}   "
            f"register() {_ms(calls)}"
        )


def _ms(values: list[float]) -> str:
    p90 = statistics.quantiles(values, n=10)[-1]
    return f"{statistics.median(values) * 1000:6.2f} (p90 {p90 * 1000:6.2f})"


if __name__ == "__main__":
    main()
