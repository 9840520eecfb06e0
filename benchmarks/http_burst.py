"""A small HTTP burst client: browser-like sessions (cookie + CSRF token), many at once.

Used by benchmarks/register_burst.py and by the concurrency tests, so that both
measure and check exactly the same traffic.
"""

import http.client
import json
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

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
