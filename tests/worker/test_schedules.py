"""Scheduled jobs: their slots, and one run per slot among all workers."""

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from app.cli import scheduled_jobs
from app.models import ScheduledRun, WorkerHeartbeat
from app.worker.schedules import Job, Schedule
from tests.worker.fixtures import wait_until

PARIS_TEN = Job("reminders", lambda: None, daily=time(10, 0))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_daily_slot_is_local_time_and_caught_up_within_the_grace():
    # 10:00 in Paris is 08:00 UTC in summer, 09:00 UTC in winter.
    assert PARIS_TEN.slot(at("2027-06-01 08:00")) == at("2027-06-01 08:00")
    assert PARIS_TEN.slot(at("2027-01-05 09:30")) == at("2027-01-05 09:00")
    assert PARIS_TEN.slot(at("2027-06-01 13:59")) == at("2027-06-01 08:00")  # late start
    assert PARIS_TEN.slot(at("2027-06-01 07:59")) is None  # yesterday's is too old
    assert PARIS_TEN.slot(at("2027-06-01 20:00")) is None


def test_an_every_minute_slot_is_the_minute():
    job = Job("desk", lambda: None, every=timedelta(minutes=1))
    assert job.slot(at("2027-06-01 08:00:59.9")) == at("2027-06-01 08:00")
    assert job.slot(at("2027-06-01 08:01:00")) == at("2027-06-01 08:01")


def test_the_worker_runs_reminders_purge_and_the_desk(app):
    with app.app_context():
        jobs = {job.name: job for job in scheduled_jobs()}
    assert set(jobs) == {"reminders", "purge", "desk"}
    assert (jobs["reminders"].daily, jobs["reminders"].zone) == (time(10, 0), "Europe/Paris")
    assert jobs["purge"].daily == time(3, 15)
    assert jobs["desk"].every == timedelta(minutes=1)


def test_a_slot_runs_once_whoever_asks(app, db):
    runs = []
    job = Job("probe", lambda: runs.append(1), every=timedelta(minutes=1))
    now = at("2027-06-01 08:00:30")
    one, other = Schedule([job]), Schedule([job])
    assert one.run_due(now) == ["probe"]
    assert other.run_due(now) == []  # another worker, same slot: taken
    assert one.run_due(now + timedelta(seconds=20)) == []
    assert other.run_due(now + timedelta(minutes=1)) == ["probe"]
    assert len(runs) == 2


def test_a_failing_job_does_not_stop_the_others(app, db):
    def fail():
        raise RuntimeError("boom")

    runs = []
    jobs = [
        Job("bad", fail, every=timedelta(minutes=1)),
        Job("good", lambda: runs.append(1), every=timedelta(minutes=1)),
    ]
    assert Schedule(jobs).run_due(at("2027-06-01 08:00")) == ["bad", "good"]
    assert runs == [1]


def test_two_worker_processes_run_each_slot_once(db, spawn_worker, tmp_path):
    probe = tmp_path / "probe.log"
    spawn_worker("--probe", str(probe), NODE_NAME="node-a", WORKER_HEARTBEAT_INTERVAL=1)
    spawn_worker("--probe", str(probe), NODE_NAME="node-b", WORKER_HEARTBEAT_INTERVAL=1)

    def beats() -> dict:
        found = dict(
            db.session.execute(select(WorkerHeartbeat.node, WorkerHeartbeat.beat_at)).all()
        )
        db.session.rollback()
        return found

    first = wait_until(lambda: len(beats()) == 2 and beats())
    # A second beat of each means each finished a round, scheduled jobs included.
    wait_until(lambda: all(beats()[node] > first[node] for node in first))
    wait_until(lambda: probe.exists() and probe.read_text())

    lines = probe.read_text().splitlines()
    per_slot = Counter(line.split()[1] for line in lines)
    assert per_slot and set(per_slot.values()) == {1}, lines
    runs = db.session.scalars(select(ScheduledRun).where(ScheduledRun.job == "probe")).all()
    assert len(runs) == len(per_slot)
