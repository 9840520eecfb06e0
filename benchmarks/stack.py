"""The three paths of issue 15 at the speed of the stack: wrk against Accueil and a bare floor.

    python benchmarks/stack.py --database-url postgresql://postgres@127.0.0.1:5432/bench \
        [--port 5630] [--duration 10] [--rounds 3] [--connections 32] [--workers 4] \
        [--only registration,page,checkin] [--with-worker] [--write-docs]

The database's public schema is dropped and rebuilt (`flask db upgrade`): give it a
database of its own. Accueil runs under gunicorn (sync workers) in production settings
(`APP_ENV=production`, Redis for the rate limits when `--redis-url` is given), and the bare
floor app (benchmarks/bare_app.py) under the same gunicorn settings beside it, on the same
database. wrk (Debian's `wrk`) then loads, with the same connections and threads:

- registration: the form's POST with a unique e-mail and submission key per request (the
  session cookie and CSRF token taken once from the page), on an event with enough seats
  (a fresh one each round) — against the floor's one-INSERT POST;
- page: the event page GET by new visitors (no cookie) — against the floor's hello GET;
- checkin: the API's check-in POST with a bearer token and a fresh ticket each time (the
  tickets are created beforehand) — against the floor's one-INSERT POST.

Each round runs floor and app back to back for each path (the order alternates between
rounds), so both see the same load from the other processes of the machine; the table gives
the median of the rounds. Without `--with-worker` mail is suppressed (MAIL_SUPPRESS_SEND=1):
the outbox rows are written, nothing is delivered. With it, an aiosmtpd sink listens on
port+2 and `flask mail send --watch` delivers the outbox to it during the runs.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.burst import CSRF_INPUT, Browser, wait_for  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
PATHS = ("registration", "page", "checkin")
GOALS = {"registration": "≥ 0.60, p99 < 150 ms", "page": "≥ 0.40", "checkin": "≥ 0.70"}
LABELS = {
    "registration": ("registration POST", "bare one-INSERT POST"),
    "page": ("event page GET", "bare hello GET"),
    "checkin": ("check-in API POST (fresh ticket)", "bare one-INSERT POST"),
}
#: Tickets created per second of a check-in run: more than the app can scan.
TICKETS_PER_SECOND = 2500
SECRET = "stack-benchmark-secret-" + "x" * 24

# --- wrk scripts ---------------------------------------------------------------------------

LUA_COMMON = r"""
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "STACK requests=%d duration_us=%d p50_us=%d p99_us=%d status=%d socket=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""

LUA_REGISTRATION = r"""
local n = 0
local headers = {["Cookie"] = "{cookie}", ["Content-Type"] = "application/x-www-form-urlencoded"}
function request()
  n = n + 1
  local key = string.format("{run}%08x%016x", tid, n)
  local body = "csrf_token={csrf}&given_name=Camille&family_name=Charge"
    .. "&email=bench.{run}." .. tid .. "." .. n .. "%40numerique.gouv.fr"
    .. "&organisation=Administration+centrale&job_title=Cheffe+de+projet"
    .. "&submission_key=" .. key
  return wrk.format("POST", "{path}", headers, body)
end
"""

LUA_INSERT = r"""
local n = 0
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
function request()
  n = n + 1
  local body = "email=bench.{run}." .. tid .. "." .. n .. "%40numerique.gouv.fr"
  return wrk.format("POST", "/insert", headers, body)
end
"""

LUA_CHECKIN = r"""
local codes, n = {}, 0
local headers = {["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}
function init(args)
  local i = 0
  for line in io.lines("{codes}") do
    if i % {threads} == tid then codes[#codes + 1] = line end
    i = i + 1
  end
end
function request()
  n = n + 1
  local code = codes[((n - 1) % #codes) + 1]
  return wrk.format("POST", "{path}", headers, '{"code": "' .. code .. '"}')
end
"""


def lua(template: str, **values) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return LUA_COMMON + template


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def wrk(args, url: str, script: str, workdir: Path, duration: int) -> Run:
    path = workdir / f"{uuid.uuid4().hex}.lua"
    path.write_text(script)
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(path),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(
        r"STACK requests=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+) "
        r"status=(\d+) socket=(\d+)",
        output,
    )
    if not match:
        raise RuntimeError(f"wrk said:\n{output}")
    requests, duration, p50, p99, status, socket = map(int, match.groups())
    return Run(requests, duration / 1e6, p50 / 1000, p99 / 1000, status + socket)


# --- the database and the servers ----------------------------------------------------------


def environment(args, port: int) -> dict:
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": SECRET,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "SESSION_COOKIE_SECURE": "0",
        "DATABASE_URL": args.database_url,
        "FLASK_APP": "wsgi.py",
    }
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.with_worker:
        env |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port + 2)}
        env.pop("MAIL_SUPPRESS_SEND", None)
    else:
        env["MAIL_SUPPRESS_SEND"] = "1"
    return env


def reset_database(env: dict) -> None:
    """Drop the public schema and migrate to the head."""
    from sqlalchemy import create_engine, text

    from config import database_url

    engine = create_engine(database_url(env["DATABASE_URL"]))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    flask = [sys.executable, "-m", "flask", "db", "upgrade"]
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)


def gunicorn(args, target: str, port: int, env: dict, *options) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", *options, target]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_for(f"http://127.0.0.1:{port}", process)
    return process


def start_mail(args, env: dict) -> list[subprocess.Popen]:
    """An SMTP sink on port+2 and the outbox worker delivering to it."""
    sink = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    sink += ["-l", f"127.0.0.1:{args.port + 2}"]
    worker = [sys.executable, "-m", "flask", "mail", "send", "--watch"]
    return [
        subprocess.Popen(sink, cwd=ROOT, env=env),
        subprocess.Popen(worker, cwd=ROOT, env=env),
    ]


# --- what the runs need: events, tickets, a token ------------------------------------------


def seed(args, env: dict, tickets: int) -> dict:
    """Create the events, the door's tickets and an API token; return what wrk needs."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from app import create_app

        app = create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    with app.app_context():
        return _seed(args, tickets)


def _seed(args, tickets: int) -> dict:
    from sqlalchemy import insert, text

    from app.api import tokens
    from app.extensions import db
    from app.folding import organisation_key, search_key
    from app.models import Registration, RegistrationStatus, StaffUser, utcnow
    from app.tickets.codes import new_code, new_reference
    from tests.factories import make_event, password_hash

    for round_ in range(args.rounds + 1):  # the last one for the warm-up
        make_event(slug=f"bench-inscription-{round_}", capacity=10_000_000)
    page = make_event(slug="bench-page", capacity=150)
    door = make_event(slug="bench-porte", capacity=10_000_000)
    for index in range(40):
        db.session.add(_registration(page, index, new_code, new_reference))
    user = StaffUser(email="porte@numerique.gouv.fr", role="checkin", password_hash=password_hash())
    db.session.add(user)
    db.session.commit()
    _, token = tokens.create_token(user.email)
    codes, now = [], utcnow()
    fixed = {
        "event_id": door.id,
        "given_name": "Camille",
        "family_name": "Martin",
        "email": None,
        "organisation": "Administration centrale",
        "organisation_key": organisation_key("Administration centrale"),
        "search_key": search_key("Camille", "Martin", "Administration centrale"),
        "job_title": "Cheffe de projet",
        "status": RegistrationStatus.CONFIRMED,
        "locale": "fr",
        "created_at": now,
        "updated_at": now,
    }
    references = set()  # 100,000 random references: a collision is likely (birthdays)
    while len(references) < tickets:
        references.add(new_reference())
    references = list(references)
    for start in range(0, tickets, 5000):
        rows = []
        for index in range(start, min(tickets, start + 5000)):
            code = new_code()
            codes.append(code)
            secrets = {"code": code, "reference": references[index], "manage_secret": new_code()}
            rows.append(fixed | secrets)
        db.session.execute(insert(Registration), rows)
        db.session.commit()
    # Statistics, as autovacuum would have gathered them after such a load: without them the
    # planner may take the event's index for a ticket's conditional UPDATE (100,000 rows).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"token": token, "codes": codes}


def _registration(event, index, new_code, new_reference):
    from app.models import Registration, RegistrationStatus

    return Registration(
        event=event,
        code=new_code(),
        reference=new_reference(),
        manage_secret=new_code(),
        given_name="Camille",
        family_name=f"Martin{index}",
        email=f"camille.martin{index}@interieur.gouv.fr",
        organisation="Ministère de l'Intérieur",
        job_title="Cheffe de projet",
        status=RegistrationStatus.CONFIRMED,
    )


def session_and_token(url: str, path: str) -> tuple[str, str]:
    """Open the event page as one visitor: its session cookie and its form's CSRF token."""
    browser = Browser(url)
    page = browser.request("GET", path)
    match = CSRF_INPUT.search(page.body)
    if page.status != 200 or not match or not browser.cookie:
        raise RuntimeError(f"no form or no session at {path} (HTTP {page.status})")
    return browser.cookie, match.group(1)


# --- the runs ------------------------------------------------------------------------------


def run_path(args, name: str, round_: int, urls: dict, seeded: dict, workdir: Path):
    """Run the floor and the app once for a path; return (app Run, floor Run).

    Round number `args.rounds` is the warm-up (each worker's first requests load its
    templates and connections), shorter and not counted.
    """
    duration = args.warmup if round_ == args.rounds else args.duration
    app_url, bare_url = urls["app"], urls["bare"]
    run = uuid.uuid4().hex[:8]
    if name == "registration":
        path = f"/e/bench-inscription-{round_}"
        cookie, csrf = session_and_token(app_url, path)
        app_script = lua(LUA_REGISTRATION, cookie=cookie, csrf=quote(csrf), run=run, path=path)
        floor_script, floor_url = lua(LUA_INSERT, run=run), bare_url
    elif name == "page":
        app_script, app_url = lua(""), app_url + "/e/bench-page"
        floor_script, floor_url = lua(""), bare_url + "/hello"
    else:
        per_run = TICKETS_PER_SECOND * args.duration
        codes = workdir / f"codes-{round_}.txt"
        codes.write_text("\n".join(seeded["codes"][round_ * per_run : (round_ + 1) * per_run]))
        path = "/api/v1/events/bench-porte/checkins"
        app_script = lua(
            LUA_CHECKIN, token=seeded["token"], codes=codes, threads=args.threads, path=path
        )
        floor_script, floor_url = lua(LUA_INSERT, run=run), bare_url
    pair = [("app", app_url, app_script), ("floor", floor_url, floor_script)]
    if round_ % 2:
        pair.reverse()
    results = {}
    for who, url, script in pair:
        time.sleep(args.pause)
        results[who] = wrk(args, url, script, workdir, duration)
    return results["app"], results["floor"]


def median_row(name: str, runs: list[tuple[Run, Run]]) -> dict:
    ratios = [app.rate / floor.rate for app, floor in runs]
    return {
        "name": name,
        "app_rate": statistics.median(app.rate for app, _ in runs),
        "app_p99": statistics.median(app.p99_ms for app, _ in runs),
        "floor_rate": statistics.median(floor.rate for _, floor in runs),
        "floor_p99": statistics.median(floor.p99_ms for _, floor in runs),
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "errors": sum(app.errors for app, _ in runs),
        "floor_errors": sum(floor.errors for _, floor in runs),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| path | Accueil | p99 | floor | floor /s | floor p99 | ratio (rounds) | goal |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        label, floor = LABELS[row["name"]]
        rounds = ", ".join(f"{ratio:.2f}" for ratio in row["ratios"])
        lines.append(
            f"| {label} | {row['app_rate']:,.0f} /s | {row['app_p99']:.0f} ms | {floor} "
            f"| {row['floor_rate']:,.0f} /s | {row['floor_p99']:.0f} ms "
            f"| **{row['ratio']:.2f}** ({rounds}) | {GOALS[row['name']]} |"
        )
    return "\n".join(lines)


def write_docs(text: str, section: str) -> None:
    """Replace what stands between the section's two markers in docs/benchmarks.md."""
    begin, end = f"<!-- {section}: begin -->", f"<!-- {section}: end -->"
    docs = DOCS.read_text()
    if begin not in docs:
        raise SystemExit(f"{DOCS} has no {begin} … {end} section to fill")
    head, rest = docs.split(begin, 1)
    tail = rest.split(end, 1)[1]
    DOCS.write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to rebuild")
    parser.add_argument("--redis-url", help="rate limits in Redis, as in production")
    parser.add_argument("--port", type=int, default=5630, help="app; floor on +1, SMTP sink +2")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between runs")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of uncounted warm-up")
    parser.add_argument("--only", default=",".join(PATHS), help="comma-separated paths")
    parser.add_argument("--with-worker", action="store_true", help="deliver to an SMTP sink")
    parser.add_argument("--write-docs", action="store_true", help=f"fill the table in {DOCS}")
    parser.add_argument("--docs-section", default="stack figures", help="its markers' name")
    args = parser.parse_args()
    args.paths = [name for name in args.only.split(",") if name]
    if not urlsplit(args.database_url).scheme.startswith("postgres"):
        parser.error("the stack is measured on PostgreSQL")
    if unknown := set(args.paths) - set(PATHS):
        parser.error(f"unknown paths: {', '.join(sorted(unknown))}")
    return args


def main() -> None:
    args = parse_args()
    env = environment(args, args.port)
    reset_database(env)
    rounds = args.rounds + 1  # and the warm-up
    tickets = TICKETS_PER_SECOND * args.duration * rounds if "checkin" in args.paths else 0
    seeded = seed(args, env, tickets)
    processes = []
    loads = [os.getloadavg()]
    try:
        if args.with_worker:
            processes += start_mail(args, env)
        processes.append(gunicorn(args, "wsgi:app", args.port, env))
        bare = gunicorn(args, "benchmarks.bare_app:app", args.port + 1, env, "--preload")
        processes.append(bare)
        urls = {"app": f"http://127.0.0.1:{args.port}", "bare": f"http://127.0.0.1:{args.port + 1}"}
        runs = {name: [] for name in args.paths}
        with tempfile.TemporaryDirectory() as workdir:
            for name in args.paths:
                run_path(args, name, args.rounds, urls, seeded, Path(workdir))
            loads.append(os.getloadavg())
            for round_ in range(args.rounds):
                for name in args.paths:
                    app, floor = run_path(args, name, round_, urls, seeded, Path(workdir))
                    runs[name].append((app, floor))
                    print(
                        f"round {round_ + 1} {name:<12} app {app.rate:8.1f}/s p99 "
                        f"{app.p99_ms:6.1f} ms errors {app.errors:<5} floor {floor.rate:8.1f}/s "
                        f"p99 {floor.p99_ms:6.1f} ms  ratio {app.rate / floor.rate:.2f}",
                        flush=True,
                    )
                loads.append(os.getloadavg())
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(15)
    rows = [median_row(name, runs[name]) for name in args.paths]
    mail = "delivered to an SMTP sink by the worker" if args.with_worker else "suppressed"
    settings = (
        f"PostgreSQL, gunicorn {args.workers} sync workers each, wrk {args.threads} threads × "
        f"{args.connections} connections, {args.duration} s per run, {args.rounds} rounds "
        f"(median), mail {mail}; "
        f"load average (1 min) {', '.join(f'{load[0]:.1f}' for load in loads)} "
        f"(before the warm-up, then after it and after each round) on {os.cpu_count()} cores."
    )
    errors = ", ".join(f"{row['name']} {row['errors']}" for row in rows)
    text = f"{table(rows)}\n\n{settings} Non-2xx/3xx or socket errors (app): {errors}."
    print(f"\n{text}")
    if args.write_docs:
        write_docs(text, args.docs_section)


if __name__ == "__main__":
    main()
