"""The burst harness: gunicorn workers on a free port, browser-like clients, bursts at once.

`serve` starts the app (or any WSGI app) under N gunicorn workers; `Browser` is one visitor
(session cookie + CSRF token); `burst` releases prepared calls from many threads at the same
instant; `register_burst` and `cancel_burst` are the registration traffic. The concurrency
tests check the rules with it and benchmarks/register_burst.py measures the same traffic.
"""

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict
    body: str


class Browser:
    """One visitor: keeps the session cookie like a browser, one request at a time."""

    def __init__(self, base_url: str, timeout: float = 60):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookie = None

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {}
        body = None
        if self.cookie:
            headers["Cookie"] = self.cookie
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            cookie = raw.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return Response(raw.status, dict(raw.getheaders()), text)
        finally:
            connection.close()

    def request_json(self, method: str, path: str, payload, headers: dict) -> Response:
        """Send a JSON body with extra headers (an API client, no cookie needed)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            body = json.dumps({k: v for k, v in payload.items() if v is not None})
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            return Response(raw.status, dict(raw.getheaders()), raw.read().decode())
        finally:
            connection.close()

    def csrf_token(self, path: str) -> str:
        """Open a page as a browser does and return its form's CSRF token."""
        page = self.request("GET", path)
        match = CSRF_INPUT.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"no form at {path} (HTTP {page.status})")
        return match.group(1)


@dataclass
class BurstResult:
    """What a burst did: per-request outcome, latencies and wall time."""

    responses: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


def burst(
    calls: Iterable[Callable[[], Response]], concurrency: int, ok: Callable[[Response], bool]
) -> BurstResult:
    """Run prepared calls from `concurrency` threads, all released at the same instant."""
    calls = list(calls)
    result = BurstResult(responses=[None] * len(calls))
    lock = threading.Lock()
    next_index = iter(range(len(calls)))
    start = threading.Barrier(concurrency + 1)

    def worker():
        start.wait()
        while True:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            began = time.perf_counter()
            try:
                response = calls[index]()
            except Exception as error:  # a refused connection is an error to count
                with lock:
                    result.errors.append(repr(error))
                continue
            elapsed = time.perf_counter() - began
            with lock:
                result.responses[index] = response
                result.latencies.append(elapsed)
                if not ok(response):
                    result.errors.append(f"HTTP {response.status}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


# --- the registration traffic --------------------------------------------------------------


def applicant(index: int, run: str) -> dict:
    return {
        "given_name": "Camille",
        "family_name": f"Charge{index:05d}",
        "email": f"camille.{run}.{index}@numerique.gouv.fr",
        "organisation": f"Administration {index}",
        "job_title": "Cheffe de projet",
    }


def register_burst(base_url: str, slug: str, count: int, concurrency: int):
    """Register `count` visitors at once; return (BurstResult, ticket paths, e-mails)."""
    run = uuid.uuid4().hex[:8]
    path = f"/e/{slug}"
    visitors = []
    for index in range(count):
        browser = Browser(base_url)
        form = {"csrf_token": browser.csrf_token(path), **applicant(index, run)}
        visitors.append((browser, form))
    calls = [lambda b=b, f=f: b.request("POST", path, f) for b, f in visitors]
    result = burst(calls, concurrency, ok=lambda r: r.status == 303)
    tickets = [r.headers.get("Location") for r in result.responses if r and r.status == 303]
    return result, tickets, [form["email"] for _, form in visitors]


def cancel_burst(base_url: str, manage_paths: list[str], concurrency: int) -> BurstResult:
    """Cancel registrations at once through their management pages (/m/<secret>), each from
    its own browser session (GET confirm, POST)."""
    calls = []
    for ticket in manage_paths:
        browser = Browser(base_url)
        token = browser.csrf_token(f"{ticket}/cancel")
        calls.append(
            lambda b=browser, t=ticket, k=token: b.request("POST", f"{t}/cancel", {"csrf_token": k})
        )
    return burst(calls, concurrency, ok=lambda r: r.status == 303)


# --- serving the app under gunicorn --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    browser = Browser(url, timeout=2)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if browser.request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def serve(app: str, database_url: str, workers: int, env: dict | None = None, *options):
    """Start gunicorn on a free loopback port; return (process, base URL)."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *options,
            app,
        ],
        cwd=ROOT,
        env=environment,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, process)
    except Exception:
        process.kill()
        raise
    return process, url
