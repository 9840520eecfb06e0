"""`flask desk send` run by several processes at the same instant sends the list once.

Real processes (the `flask` command, as cron would start it) on the test database. The
canary switches the event lock off (a test-only setting) and must show the race: on
PostgreSQL a second process then builds the same list and runs into the first one's rows.
"""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from app.desk import services as desk
from app.models import DeskEntry, DeskSending, OutboxAttachment, OutboxMessage
from tests.factories import make_event, make_registration

pytestmark = pytest.mark.concurrency

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 6
CANARY_ROUNDS = 5


def run_at_once(database_uri: str, *, lock: bool) -> list[subprocess.CompletedProcess]:
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": database_uri,
        "FLASK_APP": "wsgi.py",
        "ACCUEIL_TEST_DISABLE_SEAT_LOCK": "" if lock else "1",
    }
    command = [sys.executable, "-m", "flask", "desk", "send"]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )  # fmt: skip
        for _ in range(PROCESSES)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def prepare(db) -> None:
    event = make_event(starts_at=datetime.now(UTC) + timedelta(days=30))
    for n in range(40):
        make_registration(event, family_name=f"Nom{n:02d}")
    desk.set_desk(event.slug, ["securite@segur.gouv.fr"], datetime.now(UTC) - timedelta(hours=1),
                  None)  # fmt: skip


def test_six_crons_at_once_send_the_list_once(db, database_uri):
    prepare(db)

    results = run_at_once(database_uri, lock=True)

    assert [r.returncode for r in results] == [0] * PROCESSES, [r.stderr[-800:] for r in results]
    assert sorted(r.stdout.splitlines()[-1] for r in results) == ["0 sent."] * 5 + ["1 sent."]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(DeskSending)) == 1
    assert db.session.scalar(select(func.count()).select_from(DeskEntry)) == 40


def test_canary_without_the_lock_the_processes_collide(db, database_uri):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the canary needs PostgreSQL's row locks to switch off (SQLite serialises)")
    prepare(db)
    # Six processes do not always overlap on a busy machine: up to five rounds, each from
    # a list not sent yet; one collision is enough to show what the lock prevents.
    for _round in range(CANARY_ROUNDS):
        results = run_at_once(database_uri, lock=False)
        db.session.expire_all()
        sendings = db.session.scalar(select(func.count()).select_from(DeskSending))
        crashed = [r for r in results if r.returncode != 0]
        if sendings > 1 or any("IntegrityError" in r.stderr for r in crashed):
            return
        forget_the_sending(db)
    pytest.fail("without the lock, processes should build the same list at once")


def forget_the_sending(db) -> None:
    """Start the next round from a list that has not gone yet."""
    for model in (OutboxAttachment, OutboxMessage, DeskEntry, DeskSending):
        db.session.execute(delete(model))
    db.session.commit()
