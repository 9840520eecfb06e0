"""Two machines behind haproxy, one of them killed mid-burst: no seat, no place in line, no
registration and no mail lost or doubled.

Real processes only, as docs/deployment.md describes a deployment:
- two nodes, each gunicorn (2 workers) and its mail worker (`flask mail send --watch`) in one
  process group, the way one machine holds its services; both on the suite's PostgreSQL and
  one Redis;
- haproxy in front (round robin, health check on /healthz), its configuration below;
- an aiosmtpd sink, the relay of both workers (tests/multinode_sink.py).

300 visitors register for 100 seats through haproxy. Once 50 have their answer, and as soon
as node 2's worker is in the middle of a message (the sink holds node 2's mail a few seconds
at each recipient, so this comes quickly), node 2 is killed with SIGKILL: gunicorn master,
its workers and its mail worker at once, a power cut.

A request caught by node 2's death is replayed, and the registration's submission key makes
a replay safe: the service finds the registration the first try made (if it committed) and
answers with the same ticket, never a second registration. haproxy replays first (`retry-on
conn-failure empty-response response-timeout`, `option redispatch`, and the node marked down
at its first refused connection, so that the retries go to the living node): the visitor
notices nothing. Whatever error would still reach a visitor is what a person gets on a bad
network: they send the same form again, which this test's visitors do, with the same key.
The message node 2's worker held is taken over by node 1's worker once the claim's short
lease lapses (MAIL_CLAIM_LEASE, 20 s by default), with the same Message-ID.
"""

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from app.models import OutboxMessage, OutboxStatus, Registration
from tests.burst import Browser, applicant, burst, free_port, wait_for
from tests.factories import make_event

pytestmark = pytest.mark.multinode

ROOT = Path(__file__).resolve().parent.parent
SEATS, VISITORS, CLIENTS, KILL_AFTER = 100, 300, 24, 50
#: Gunicorn workers of each node (sync workers: one request at a time each).
NODE_WORKERS = 2
#: Mail must all be delivered within this many seconds after the burst (the issue's bound).
DELIVERY_WINDOW = 60
#: A visitor whose answer was an error (bad gateway, reset) sends the same form again.
VISITOR_TRIES = 5
#: Node 2's mail waits this long at each recipient (the sink holds it).
SLOW_SENDER, SLOW_DELAY = "+node2@", 3.0
METRICS_TOKEN = secrets.token_urlsafe(32)
REDIS_URL = os.environ.get("MULTINODE_REDIS_URL", "redis://127.0.0.1:6379/8")
SUBMISSION_KEY = re.compile(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"')
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

HAPROXY_CONFIG = """\
global
    maxconn 512
    log stdout format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    # A sync gunicorn answers the check only once a worker is free: give it the time.
    timeout check 5s
    # A request that could not reach a node, or whose node died before answering, is sent
    # to the other node: safe for the registration POST, whose submission key makes a replay
    # return the registration the first try made.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend web
    bind 127.0.0.1:{port}
    # One id per request, which the node writes on each of its log lines (docs/deployment.md).
    unique-id-format %{{+X}}o%ci:%cp_%fi:%fp_%Ts_%rt
    http-request set-header X-Request-ID %[unique-id]
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    http-response set-header X-Node %s
    # No more requests at once than the node has gunicorn workers: the others wait in
    # haproxy's queue, from which a dead node's share goes to the living node. A refused
    # connection marks the node down at once (the checks would take two intervals), so
    # that the retries go elsewhere.
    default-server check inter 1s fall 2 rise 2 maxconn {maxconn}
{servers}
"""


SERVER_OPTIONS = "observe layer4 error-limit 1 on-error mark-down"


def require_tools(database_uri: str) -> str:
    """Return haproxy's path, or skip (fail in CI) when the test cannot run here."""
    if not database_uri.startswith("postgresql"):
        pytest.skip(
            "multinode needs PostgreSQL (TEST_DATABASE_URL): two machines share a database "
            "server, not a SQLite file"
        )
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if haproxy is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy is required in CI (.ci/run installs Debian's haproxy)")
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    return haproxy


class Node:
    """One machine: gunicorn and its mail worker, one process group (killed as one)."""

    def __init__(self, name: str, env: dict, logs: Path):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logs / f"{name}.log"
        python = shlex.quote(sys.executable)
        gunicorn = (
            f"{python} -m gunicorn --workers {NODE_WORKERS} --bind 127.0.0.1:{self.port} wsgi:app"
        )
        worker = f"{python} -m flask --app wsgi mail send --watch"
        # The shell starts the worker in the background, then becomes gunicorn: one session,
        # one process group, whose id is gunicorn's pid.
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", f"{worker} & exec {gunicorn}"],
                cwd=ROOT,
                env={
                    **env,
                    "NODE_NAME": name,
                    "MAIL_DEFAULT_SENDER": f"Réunions d'information <reunions+{name}@accueil.test>",
                },
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)
        with contextlib.suppress(ProcessLookupError):  # whatever a TERM left behind
            os.killpg(self.process.pid, signal.SIGKILL)

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class Sink:
    """The SMTP relay of both nodes: an aiosmtpd process writing to a Maildir, slow for node 2
    (tests/multinode_sink.py), so that node 2's worker is caught in the middle of a message."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.maildir, self.log = directory / "maildir", directory / "smtp.log"
        self.log.touch()
        handler = ["tests.multinode_sink.Sink", str(self.maildir), str(self.log)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}", "-c"]
            + [*handler, SLOW_SENDER, str(SLOW_DELAY)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def holding(self, sender: str) -> str | None:
        """The recipient a sender is being held at, if it came less than half the delay ago."""
        lines = [line.split() for line in self.log.read_text().splitlines()]
        last = [line for line in lines if sender in line[2]][-1:]
        if last and last[0][1] == "rcpt" and time.time() - float(last[0][0]) < SLOW_DELAY / 2:
            return last[0][3]
        return None

    def offered(self, recipient: str, sender: str) -> float:
        """When a sender first offered a recipient (the sink's log), as a timestamp."""
        for line in self.log.read_text().splitlines():
            at, what, mail_from, to = line.split()
            if what == "rcpt" and sender in mail_from and to == recipient:
                return float(at)
        raise AssertionError(f"{sender} never offered {recipient}")

    def received(self) -> list[tuple[str, str, str]]:
        """Return (Message-ID, envelope sender, recipient) of each message stored."""
        parser = BytesHeaderParser()
        received = []
        for path in (self.maildir / "new").glob("*"):  # where aiosmtpd's Mailbox delivers
            headers = parser.parsebytes(path.read_bytes())
            received.append((headers["Message-ID"].strip(), headers["X-MailFrom"], headers["To"]))
        return received

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


class Balancer:
    """haproxy in front of the nodes, its configuration written to a temporary file."""

    def __init__(self, haproxy: str, port: int, nodes: list[Node], config: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "\n".join(
            f"    server {n.name} 127.0.0.1:{n.port} {SERVER_OPTIONS}" for n in nodes
        )
        config.write_text(
            HAPROXY_CONFIG.format(port=self.port, servers=servers, maxconn=NODE_WORKERS)
        )
        subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True)
        with (config.parent / "haproxy.log").open("wb") as log:
            self.process = subprocess.Popen(
                [haproxy, "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT
            )

    def wait_for(self, nodes: list[Node]) -> None:
        """Wait until haproxy answers from every node (its health checks saw them up)."""
        wait_for(self.url, self.process)
        deadline = time.monotonic() + 30
        names, seen = {n.name for n in nodes}, set()
        while seen != names and time.monotonic() < deadline:
            seen.add(header(Browser(self.url).request("GET", "/healthz"), "X-Node"))
        assert seen == names, f"haproxy reached only {seen}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def header(response, name: str) -> str | None:
    """Return a response header, whatever its case (haproxy sends names in lower case)."""
    return {key.lower(): value for key, value in response.headers.items()}.get(name.lower())


class Visitor:
    """A person with the form open in a browser: same cookie, token and key on every try."""

    def __init__(self, base_url: str, slug: str, index: int, run: str):
        self.browser = Browser(base_url)
        self.path = f"/e/{slug}"
        page = self.browser.request("GET", self.path).body
        self.form = {
            "csrf_token": CSRF_INPUT.search(page).group(1),
            "submission_key": SUBMISSION_KEY.search(page).group(1),
            **applicant(index, run),
        }
        self.tries = 0
        self.nodes = []

    def register(self):
        """Send the form; after an error, send the same form again, as a person would."""
        for _ in range(VISITOR_TRIES):
            self.tries += 1
            try:
                response = self.browser.request("POST", self.path, self.form)
            except OSError:
                time.sleep(0.5)
                continue
            self.nodes.append(header(response, "X-Node"))
            if response.status not in (502, 503, 504):
                return response
            time.sleep(0.5)
        return response


def node_env(database_uri: str, base_url: str, sink: Sink) -> dict:
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),  # one secret: a session opened on one node
        "BASE_URL": base_url,  # is valid on the other
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "TRUSTED_PROXIES": "1",
        "DATABASE_URL": database_uri,
        "REDIS_URL": REDIS_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink.port),
        "MAIL_SUPPRESS_SEND": "0",
        "FLASK_APP": "wsgi.py",
        "METRICS_TOKEN": METRICS_TOKEN,
    }


@pytest.fixture
def cluster(database_uri, tmp_path):
    """Start the sink, two nodes and haproxy; yield them; stop whatever is left."""
    haproxy = require_tools(database_uri)
    started = []
    sink = Sink(tmp_path)
    started.append(sink)
    lb_port = free_port()
    env = node_env(database_uri, f"http://127.0.0.1:{lb_port}", sink)
    nodes = [Node(name, env, tmp_path) for name in ("node1", "node2")]
    started.extend(nodes)
    try:
        for node in nodes:
            wait_for(node.url, node.process, timeout=60)
        balancer = Balancer(haproxy, lb_port, nodes, tmp_path / "haproxy.cfg")
        started.append(balancer)
        balancer.wait_for(nodes)
        yield {"url": balancer.url, "nodes": nodes, "sink": sink}
    finally:
        for part in reversed(started):
            part.stop()


def test_a_node_killed_mid_burst_loses_no_registration_and_no_mail(db, cluster):
    event = make_event(capacity=SEATS)
    url, (node1, node2), sink = cluster["url"], cluster["nodes"], cluster["sink"]
    run = secrets.token_hex(4)
    visitors = [Visitor(url, event.slug, index, run) for index in range(VISITORS)]
    answered, enough = Counter(), threading.Event()
    lock = threading.Lock()
    killed = {}

    def register(visitor: Visitor):
        response = visitor.register()
        with lock:
            answered["visitors"] += 1
            if answered["visitors"] == KILL_AFTER:
                enough.set()
        return response

    def kill_node2():
        """Once 50 have their answer and node 2's worker is in the middle of a message."""
        enough.wait()
        deadline = time.monotonic() + 30
        while not (held := sink.holding(SLOW_SENDER)) and time.monotonic() < deadline:
            time.sleep(0.02)
        node2.kill()
        killed.update(held=held, answered=answered["visitors"], at=time.time())

    killer = threading.Thread(target=kill_node2)
    killer.start()
    calls = [lambda visitor=visitor: register(visitor) for visitor in visitors]
    result = burst(calls, CLIENTS, ok=lambda response: response.status == 303)
    enough.set()  # in case the burst failed before its 60th answer
    killer.join()
    burst_end = time.monotonic()

    # Node 2 died whole, in the middle of the burst and of a message; node 1 lives on.
    assert group_members(node2.process.pid) == [], "a process of node 2 survived"
    assert node1.process.poll() is None, node1.tail()
    assert killed["held"], "node 2's worker was never caught sending (sink log)"
    served = Counter(node for visitor in visitors for node in visitor.nodes)
    assert served["node1"] and served["node2"], served
    assert killed["answered"] < VISITORS - CLIENTS, killed

    # Every visitor got a definite answer: their ticket (some after sending the form again).
    assert result.errors == [], (result.errors[:5], node1.tail())
    db.session.rollback()
    query = select(Registration).where(Registration.event_id == event.id)
    registrations = list(db.session.scalars(query))
    assert Counter(r.email for r in registrations) == Counter(v.form["email"] for v in visitors)
    tickets = {header(response, "Location").rsplit("/", 1)[-1] for response in result.responses}
    assert tickets == {r.code for r in registrations}

    # Exactly 100 seats; the line is 1..200 without gap or duplicate.
    statuses = Counter(r.status for r in registrations)
    assert statuses == {"confirmed": SEATS, "waitlisted": VISITORS - SEATS}
    line = sorted(r.waitlist_position for r in registrations if r.status == "waitlisted")
    assert line == list(range(1, VISITORS - SEATS + 1))

    # One message per registration, each delivered exactly once within the window, the one
    # node 2's worker held when it died included (by node 1, once node 2's claim lapsed).
    ids = [r.id for r in registrations]
    messages = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id.in_(ids)))
    )
    assert sorted(m.registration_id for m in messages) == sorted(ids)
    expected = {m.message_id for m in messages}
    unsent = select(OutboxMessage.id).where(
        OutboxMessage.message_id.in_(expected), OutboxMessage.status != OutboxStatus.SENT
    )
    while time.monotonic() - burst_end < DELIVERY_WINDOW:
        db.session.rollback()
        delivered = {message_id for message_id, _, _ in sink.received()}
        if expected <= delivered and not db.session.scalars(unsent).all():
            break
        time.sleep(0.5)
    delivered_after = time.monotonic() - burst_end
    received = sink.received()
    copies = Counter(message_id for message_id, _, _ in received)
    assert set(copies) == expected, (f"{len(expected - set(copies))} missing", node1.tail())
    assert [m for m, n in copies.items() if n > 1] == []
    (taken_over,) = [m for m in messages if m.recipient == killed["held"]]
    senders = [sender for message_id, sender, _ in received if message_id == taken_over.message_id]
    assert senders == ["reunions+node1@accueil.test"]
    db.session.rollback()
    assert db.session.scalars(unsent).all() == []  # and each recorded as sent
    check_what_operators_see(url, node1)
    taken = sink.offered(killed["held"], "+node1@")
    print(
        f"multinode: served {dict(served)}; node 2 killed after {killed['answered']} answers; "
        f"{sum(v.tries > 1 for v in visitors)} visitors sent the form again; "
        f"node 1 took the held message over {taken - killed['at']:.1f} s after the kill; "
        f"all mail delivered {delivered_after:.1f} s after the burst (bound {DELIVERY_WINDOW} s)"
    )


def check_what_operators_see(url: str, node: Node) -> None:
    """/metrics through the balancer counts what the database holds; the node's log lines are
    JSON, and each request's carries the id haproxy gave it."""
    scrape = urllib.request.Request(
        f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(scrape, timeout=30) as response:
        text = response.read().decode()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert samples[("accueil_registrations", (("status", "confirmed"),))] == SEATS
    assert samples[("accueil_registrations", (("status", "waitlisted"),))] == VISITORS - SEATS
    assert samples[("accueil_outbox_pending", ())] == 0
    heartbeats = {dict(labels)["node"] for name, labels in samples if "heartbeat" in name}
    assert heartbeats == {"node1", "node2"}

    lines = [json.loads(line) for line in node.log.read_text().splitlines() if line[:1] == "{"]
    posts = [
        line for line in lines if line.get("route") == "/e/<slug>" and line["method"] == "POST"
    ]
    assert posts and all(re.fullmatch(r"[0-9A-F:_]+", line["request_id"]) for line in posts)


def group_members(pgid: int) -> list[int]:
    """The living processes of a process group (a killed one's unreaped zombies aside)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members
