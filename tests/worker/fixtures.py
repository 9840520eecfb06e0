"""Worker processes and threads, misbehaving relays, and a patient wait (a pytest plugin)."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.worker import loop
from tests.mail.conftest import free_port
from tests.mail.relay import FaultyRelay

ROOT = Path(__file__).resolve().parents[2]


def wait_until(predicate, timeout: float = 60.0, step: float = 0.05):
    """Return the predicate's first true value; fail after `timeout` (generous: loaded CI)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not true after {timeout} s")


@pytest.fixture
def spawn_worker(app, database_uri, tmp_path):
    """Start `python -m tests.worker.process` workers; they are killed at the end."""
    started = []

    def spawn(*args: str, **settings) -> subprocess.Popen:
        import json

        items = [f"{key}={json.dumps(value)}" for key, value in settings.items()]
        instance = tmp_path / f"worker-{len(started)}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.worker.process",
                database_uri,
                str(instance),
                *items,
                *args,
            ],
            cwd=ROOT,
        )
        started.append(process)
        return process

    yield spawn
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(30)


@pytest.fixture
def worker_thread(app):
    """Run the worker's loop in a thread of this process (its in-process wake-up)."""
    stop = threading.Event()
    threads = []

    def start(**kwargs) -> threading.Thread:
        def run() -> None:
            with app.app_context():
                loop.run(stop=stop, **kwargs)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        threads.append(thread)
        return thread

    yield start
    stop.set()
    for thread in threads:
        thread.join(30)


@pytest.fixture
def relay(tmp_path):
    """Make a misbehaving relay process (FaultyRelay); stopped at the end."""
    made = []

    def make(**faults) -> FaultyRelay:
        server = FaultyRelay(free_port(), tmp_path / f"relay-{len(made)}", **faults)
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()
