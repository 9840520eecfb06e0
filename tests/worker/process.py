"""A worker in a process of its own, for the tests that need a real one.

    python -m tests.worker.process DATABASE_URL INSTANCE_DIR [SETTING=JSON...] [--probe FILE]

Runs app.worker.loop with the testing configuration and these settings (INTERVAL, the
fallback poll, defaults to an hour: only a wake-up explains a quick delivery). With --probe,
its only scheduled job appends "pid slot" to FILE every minute slot; without, it has none.
SIGTERM stops it; the tests also kill it with SIGKILL.
"""

import json
import os
import signal
import sys
import threading
from datetime import timedelta

from app import create_app
from app.worker import loop
from app.worker.schedules import Job
from config import TestingConfig


def probe(path: str, schedule_slot) -> Job:
    def run() -> None:
        with open(path, "a") as file:
            file.write(f"{os.getpid()} {schedule_slot()}\n")

    return Job("probe", run, every=timedelta(minutes=1))


def main(argv: list[str]) -> None:
    url, instance, *rest = argv
    probe_file = None
    if "--probe" in rest:
        index = rest.index("--probe")
        probe_file = rest[index + 1]
        del rest[index : index + 2]
    settings = {"MAIL_SUPPRESS_SEND": False, "WORKER_HEARTBEAT_INTERVAL": 3600}
    settings |= {k: json.loads(v) for k, v in (item.split("=", 1) for item in rest)}
    interval = settings.pop("INTERVAL", 3600)
    app = create_app(TestingConfig, instance_path=instance, SQLALCHEMY_DATABASE_URI=url, **settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    jobs = []
    if probe_file:
        from app.models import utcnow

        jobs.append(probe(probe_file, lambda: jobs[0].slot(utcnow()).isoformat()))
    print("worker ready", flush=True)
    with app.app_context():
        loop.run(interval=interval, jobs=jobs, stop=stop)


if __name__ == "__main__":
    main(sys.argv[1:])
