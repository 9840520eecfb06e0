"""Which queue delivers the outbox: our outbox loop against maintained job libraries.

    python benchmarks/job_queue.py [--database-url postgresql://postgres@127.0.0.1:5432/bench_J_jobs]
        [--redis-url redis://127.0.0.1:6379/9] [--kinds outbox-lease outbox-lock outbox-poll
        procrastinate pgqueuer rq] [--messages 1000] [--writers 8] [--latency 50] [--rounds 4]
        [--write-docs] [--notify-only]

The libraries are not dependencies of the application: install them in a scratch virtual
environment (`pip install -r benchmarks/requirements.txt`); a kind whose library is missing
is skipped. The database is dropped and created again at each run.

Every kind writes the same change: a transaction that inserts a registration and its
`outbox_message` row, the record of what must be sent. What differs is how the worker
learns of it:

- outbox-lease: a statement trigger on `outbox_message` runs NOTIFY (sent at commit); the
  worker LISTENs, claims one row with a short lease (`UPDATE … WHERE id = (SELECT … FOR
  UPDATE SKIP LOCKED) RETURNING`), sends, then marks it sent: two commits per message.
- outbox-lock: same trigger; the worker holds the row lock (`SELECT … FOR UPDATE SKIP
  LOCKED`) while it sends and marks it sent in the same transaction: one commit per message,
  and a dead worker's lock goes with its connection.
- outbox-poll: as outbox-lock, without the trigger: the worker polls every 0.2 s. It shows
  what the NOTIFY costs the change.
- procrastinate: a procrastinate job is deferred on the change's own connection, inside its
  transaction (`task.configure(connection=conn).defer(...)`); its worker runs the task, which
  marks the outbox row sent.
- pgqueuer: a pgqueuer job is enqueued on the change's connection inside its transaction
  (`SyncQueries(SyncPsycopgDriver(conn)).enqueue`); its worker runs the entrypoint, which
  marks the outbox row sent.
- rq: the job is pushed to Redis after the PostgreSQL commit: it cannot be part of that
  transaction, so a crash between the two loses the job and the outbox still needs a
  sweeper. Its worker (SimpleWorker, no fork) marks the outbox row sent.

The handler is the same everywhere: append "outbox id, time" to a file (the "send"), then
the outbox row is marked sent. Measured per kind:

- enqueue: the time of the change's transaction, commit included (and RQ's push after it),
  minus the same change without the outbox row and job (the floor) written just after it:
  median of the --messages pairs' differences, one writer;
- concurrent: --messages changes by --writers threads at once, in --rounds rounds each
  followed by a round of the floor with the same writers: median changes per second, and
  median ratio to the floor (NOTIFY at commit takes a global lock);
- drain: the 2 × --messages queued messages, one worker started afterwards, messages per
  second between its first and its last handler call (each library with its default
  settings: pgqueuer's batch_size 10, procrastinate's concurrency 1);
- latency: with the worker idle, --latency messages spaced 0.25 s apart, time from the
  commit's return to the handler call, median and worst;
- exactly once: every outbox row sent, and every id handled once (no worker is killed
  here: this checks the bookkeeping, not the crash paths).

`--notify-only` measures only what a NOTIFY costs the change, by --writers at once: the
change alone, with its outbox row, with NOTIFY in its transaction (what a trigger does) and
with `pg_notify` after its commit, in --rounds interleaved rounds.
"""

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_J_jobs"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
KINDS = ("outbox-lease", "outbox-lock", "outbox-poll", "procrastinate", "pgqueuer", "rq")
POLL = 0.2
LIBRARY = {"procrastinate": "procrastinate", "pgqueuer": "pgqueuer", "rq": "rq"}
DOCS = ROOT / "docs" / "worker.md"
BEGIN, END = "<!-- job queue figures: begin -->", "<!-- job queue figures: end -->"
SPACING = 0.25
LEASE = "20 seconds"  # as MAIL_CLAIM_LEASE

SCHEMA = """
CREATE TABLE registration (
    id bigserial PRIMARY KEY,
    email varchar(254) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE outbox_message (
    id bigserial PRIMARY KEY,
    kind varchar(40) NOT NULL,
    recipient varchar(254) NOT NULL,
    registration_id bigint REFERENCES registration (id) ON DELETE SET NULL,
    status varchar(16) NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    claimed_until timestamptz
);
CREATE INDEX ix_outbox_message_status_next ON outbox_message (status, next_attempt_at);
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END $$;
"""
TRIGGER_ON = (
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox_message "
    "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()"
)
TRIGGER_OFF = "DROP TRIGGER IF EXISTS outbox_notify ON outbox_message"

CLAIM_LEASE = f"""
UPDATE outbox_message SET claimed_until = now() + interval '{LEASE}', attempts = attempts + 1
WHERE id = (
    SELECT id FROM outbox_message
    WHERE status = 'pending' AND next_attempt_at <= now()
      AND (claimed_until IS NULL OR claimed_until < now())
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
) RETURNING id
"""
CLAIM_LOCK = """
SELECT id FROM outbox_message
WHERE status = 'pending' AND next_attempt_at <= now()
ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
"""
MARK_SENT = (
    "UPDATE outbox_message SET status = 'sent', sent_at = now(), claimed_until = NULL WHERE id = %s"
)
MARK_SENT_LOCKED = (
    "UPDATE outbox_message SET status = 'sent', sent_at = now(), attempts = attempts + 1 "
    "WHERE id = %s"
)


def installed(kind: str) -> bool:
    name = LIBRARY.get(kind)
    if name is None:
        return True
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def version(kind: str) -> str:
    from importlib.metadata import version as dist_version

    name = LIBRARY.get(kind)
    return dist_version(name) if name else "-"


# --- the handler, shared by every worker -----------------------------------------------------

_out = None


def handle(outbox_id: int) -> None:
    """The "send": one line per call, with the time it was called."""
    _out.write(f"{outbox_id} {time.time_ns()}\n")
    _out.flush()


# --- workers (each runs in its own process) --------------------------------------------------


def outbox_worker(url: str, mode: str) -> None:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    conn.execute("LISTEN outbox")
    while True:
        handled = None
        if mode == "lease":
            row = conn.execute(CLAIM_LEASE).fetchone()
            if row:
                handle(row[0])
                conn.execute(MARK_SENT, (row[0],))
                handled = row[0]
        else:
            with conn.transaction():
                row = conn.execute(CLAIM_LOCK).fetchone()
                if row:
                    handle(row[0])
                    conn.execute(MARK_SENT_LOCKED, (row[0],))
                    handled = row[0]
        if handled is None and mode == "poll":
            time.sleep(POLL)
        elif handled is None:
            # Woken by the NOTIFY sent at commit; the timeout is the fallback sweep.
            for _ in conn.notifies(timeout=5.0, stop_after=1):
                pass


def procrastinate_app(url: str, sync: bool):
    import procrastinate

    # It warns that the App lives in __main__: only the worker's copy runs tasks, by name.
    logging.getLogger("procrastinate").setLevel(logging.ERROR)

    connector = (
        procrastinate.SyncPsycopgConnector(conninfo=url, min_size=1, max_size=2)
        if sync
        else procrastinate.PsycopgConnector(conninfo=url, min_size=1, max_size=4)
    )
    app = procrastinate.App(connector=connector)
    marker: dict = {}

    @app.task(name="send_outbox", queue="outbox")
    async def send_outbox(outbox_id: int) -> None:
        handle(outbox_id)
        await marker["conn"].execute(MARK_SENT, (outbox_id,))

    return app, send_outbox, marker


def procrastinate_worker(url: str) -> None:
    import psycopg

    app, _, marker = procrastinate_app(url, sync=False)

    async def run() -> None:
        marker["conn"] = await psycopg.AsyncConnection.connect(url, autocommit=True)
        async with app.open_async():
            await app.run_worker_async(
                queues=["outbox"], concurrency=1, delete_jobs="successful", wait=True
            )

    asyncio.run(run())


def pgqueuer_worker(url: str) -> None:
    import psycopg
    from pgqueuer import PgQueuer
    from pgqueuer.db import PsycopgDriver

    async def run() -> None:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
        marker = await psycopg.AsyncConnection.connect(url, autocommit=True)
        pgq = PgQueuer(PsycopgDriver(conn))

        @pgq.entrypoint("send_outbox")
        async def send_outbox(job) -> None:
            outbox_id = int(job.payload.decode())
            handle(outbox_id)
            await marker.execute(MARK_SENT, (outbox_id,))

        await pgq.run()

    asyncio.run(run())


_rq_conn = None


def rq_send(outbox_id: int) -> None:
    """The RQ job, found by its dotted name: benchmarks.job_queue.rq_send."""
    handle(outbox_id)
    _rq_conn.execute(MARK_SENT, (outbox_id,))


def rq_worker(url: str, redis_url: str) -> None:
    global _rq_conn
    import psycopg
    from redis import Redis
    from rq import Queue, SimpleWorker

    _rq_conn = psycopg.connect(url, autocommit=True)
    # RQ imports the job by its dotted name: a module apart from this script's __main__.
    import benchmarks.job_queue as module

    module._out, module._rq_conn = _out, _rq_conn
    redis = Redis.from_url(redis_url)
    SimpleWorker([Queue("outbox", connection=redis)], connection=redis).work(
        logging_level="WARNING"
    )


def run_worker(kind: str, url: str, redis_url: str, out: str) -> None:
    global _out
    _out = open(out, "a", encoding="ascii")  # noqa: SIM115 - open for the process's life
    if kind.startswith("outbox-"):
        outbox_worker(url, kind.removeprefix("outbox-"))
    elif kind == "procrastinate":
        procrastinate_worker(url)
    elif kind == "pgqueuer":
        pgqueuer_worker(url)
    elif kind == "rq":
        rq_worker(url, redis_url)


# --- the change, as a request would write it --------------------------------------------------


class Writer:
    """One web process's connection, writing the change with its outbox row and job."""

    def __init__(self, kind: str, url: str, redis_url: str):
        import psycopg

        self.kind = kind
        self.conn = psycopg.connect(url, autocommit=True)  # transactions are explicit
        self.defer = None
        if kind == "procrastinate":
            self.app, task, _ = procrastinate_app(url, sync=True)
            self.app.open()
            self.defer = lambda outbox_id: task.configure(connection=self.conn).defer(
                outbox_id=outbox_id
            )
        elif kind == "pgqueuer":
            from pgqueuer.db import SyncPsycopgDriver
            from pgqueuer.queries import SyncQueries

            queries = SyncQueries(SyncPsycopgDriver(self.conn))
            self.defer = lambda outbox_id: queries.enqueue("send_outbox", str(outbox_id).encode())
        elif kind == "rq":
            from redis import Redis
            from rq import Queue

            self.queue = Queue("outbox", connection=Redis.from_url(redis_url))

    def change(self, n: int, floor: bool = False) -> int | None:
        """Write one registration (and, unless floor, its message); return the outbox id."""
        outbox_id = None
        with self.conn.transaction():
            registration_id = self.conn.execute(
                "INSERT INTO registration (email) VALUES (%s) RETURNING id",
                (f"person{n}@example.org",),
            ).fetchone()[0]
            if not floor:
                outbox_id = self.conn.execute(
                    "INSERT INTO outbox_message (kind, recipient, registration_id)"
                    " VALUES ('confirmation', %s, %s) RETURNING id",
                    (f"person{n}@example.org", registration_id),
                ).fetchone()[0]
                if self.defer is not None:
                    self.defer(outbox_id)
        if not floor and self.kind == "rq":
            # After the commit: Redis cannot take part in PostgreSQL's transaction.
            self.queue.enqueue("benchmarks.job_queue.rq_send", outbox_id)
        return outbox_id

    def close(self) -> None:
        if self.kind == "procrastinate":
            self.app.close()
        self.conn.close()


# --- setup --------------------------------------------------------------------------------------


def create_database(url: str, kinds: list[str]) -> str:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        server = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SCHEMA)
    if "procrastinate" in kinds:
        app, _, _ = procrastinate_app(url, sync=True)
        with app.open():
            app.schema_manager.apply_schema()
    if "pgqueuer" in kinds:
        from pgqueuer.db import PsycopgDriver
        from pgqueuer.queries import Queries

        async def install() -> None:
            conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
            await Queries(PsycopgDriver(conn)).install()
            await conn.close()

        asyncio.run(install())
    return server


def reset(url: str, redis_url: str, kind: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND (tablename IN ('registration', 'outbox_message')"
                " OR tablename LIKE 'procrastinate%' OR tablename LIKE 'pgqueuer%')"
            )
        ]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        conn.execute(TRIGGER_OFF)
        if kind in ("outbox-lease", "outbox-lock"):
            conn.execute(TRIGGER_ON)
        conn.execute("VACUUM ANALYZE")
    if kind == "rq":
        from redis import Redis

        Redis.from_url(redis_url).flushdb()  # our own database number only


# --- measures -----------------------------------------------------------------------------------


def read_handled(path: str) -> list[tuple[int, int]]:
    with open(path, encoding="ascii") as handle_file:
        return [tuple(map(int, line.split())) for line in handle_file if line.strip()]


def wait_for(path: str, count: int, timeout: float) -> list[tuple[int, int]]:
    deadline = time.monotonic() + timeout
    while True:
        rows = read_handled(path)
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def enqueue_sequential(writer: Writer, messages: int) -> tuple[float, float]:
    """Median ms added by the message (over pairs, interleaved with the floor), and the floor's.

    The median of the pairs' differences, rather than the difference of the medians: the
    commit's fsync varies with the machine's other work, and a pair shares that moment.
    """
    with_message, floor = [], []
    for n in range(messages):
        start = time.perf_counter()
        writer.change(2 * n)
        with_message.append(time.perf_counter() - start)
        start = time.perf_counter()
        writer.change(2 * n + 1, floor=True)
        floor.append(time.perf_counter() - start)
    added = [message - alone for message, alone in zip(with_message, floor, strict=True)]
    return statistics.median(added) * 1000, statistics.median(floor) * 1000


def concurrent_rate(pool: list[Writer], per_writer: int, floor: bool, first: int) -> float:
    """Changes per second with one thread per writer, `per_writer` changes each."""
    barrier = threading.Barrier(len(pool) + 1)

    def work(index: int) -> None:
        barrier.wait()
        for n in range(per_writer):
            pool[index].change(first + index * per_writer + n, floor=floor)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(pool))]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return per_writer * len(pool) / (time.perf_counter() - start)


def enqueue_concurrent(
    kind: str, url: str, redis_url: str, messages: int, writers: int, rounds: int
) -> tuple[int, float, float, float]:
    """Changes written, median changes/s with the message and of the floor, median ratio.

    `messages` changes with their message in all, by `writers` threads at once, in `rounds`
    rounds each followed by a round of the floor, so that both see the same load.
    """
    pool = [Writer(kind, url, redis_url) for _ in range(writers)]
    per_writer = max(1, messages // writers // rounds)
    rates, floors = [], []
    for number in range(rounds):
        first = 10**6 * (number + 1)
        rates.append(concurrent_rate(pool, per_writer, False, first))
        floors.append(concurrent_rate(pool, per_writer, True, first + 5 * 10**5))
    for writer in pool:
        writer.close()
    ratio = statistics.median(rate / floor for rate, floor in zip(rates, floors, strict=True))
    return per_writer * writers * rounds, statistics.median(rates), statistics.median(floors), ratio


NOTIFY_VARIANTS = {
    "floor": "the change alone (registration row)",
    "outbox row": "+ outbox row, no NOTIFY (a worker that polls)",
    "NOTIFY in the transaction": "+ outbox row, NOTIFY in the transaction (what the trigger does)",
    "NOTIFY after the commit": "+ outbox row, then `SELECT pg_notify(…)` after the commit",
}


def notify_cost(url: str, messages: int, writers: int, rounds: int) -> dict[str, float]:
    """Changes per second by `writers` threads, per NOTIFY variant, median over rounds."""
    import psycopg

    reset(url, "", "notify")
    conns = [psycopg.connect(url, autocommit=True) for _ in range(writers)]
    per_writer = messages // writers

    def change(conn, n: int, variant: str) -> None:
        with conn.transaction():
            registration_id = conn.execute(
                "INSERT INTO registration (email) VALUES (%s) RETURNING id",
                (f"notify{n}@example.org",),
            ).fetchone()[0]
            if variant != "floor":
                conn.execute(
                    "INSERT INTO outbox_message (kind, recipient, registration_id)"
                    " VALUES ('confirmation', %s, %s)",
                    (f"notify{n}@example.org", registration_id),
                )
            if variant == "NOTIFY in the transaction":
                conn.execute("NOTIFY outbox")
        if variant == "NOTIFY after the commit":
            conn.execute("SELECT pg_notify('outbox', '')")

    def rate(variant: str, first: int) -> float:
        barrier = threading.Barrier(writers + 1)

        def work(index: int) -> None:
            barrier.wait()
            for n in range(per_writer):
                change(conns[index], first + index * per_writer + n, variant)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
        for thread in threads:
            thread.start()
        barrier.wait()
        start = time.perf_counter()
        for thread in threads:
            thread.join()
        return per_writer * writers / (time.perf_counter() - start)

    rates: dict[str, list[float]] = {variant: [] for variant in NOTIFY_VARIANTS}
    first = 0
    for _ in range(rounds):
        for variant in NOTIFY_VARIANTS:  # interleaved, so that the load's drift is shared
            rates[variant].append(rate(variant, first))
            first += messages
    for conn in conns:
        conn.close()
    return {variant: statistics.median(values) for variant, values in rates.items()}


def notify_table(rates: dict[str, float]) -> str:
    floor = rates["floor"]
    lines = ["| variant | changes/s | ratio to the floor |", "| --- | ---: | ---: |"]
    for variant, value in rates.items():
        lines.append(f"| {NOTIFY_VARIANTS[variant]} | {value:,.0f} | {value / floor:.2f} |")
    return "\n".join(lines)


def start_worker(kind: str, args, out: str) -> subprocess.Popen:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    command += ["--database-url", args.database_url, "--redis-url", args.redis_url, "--out", out]
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True)


def stop_worker(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(kind: str, args) -> dict:
    import psycopg

    reset(args.database_url, args.redis_url, kind)
    writer = Writer(kind, args.database_url, args.redis_url)
    enqueue_ms, floor_ms = enqueue_sequential(writer, args.messages)
    written, rate, floor_rate, ratio = enqueue_concurrent(
        kind, args.database_url, args.redis_url, args.messages, args.writers, args.rounds
    )
    queued = args.messages + written

    descriptor, out = tempfile.mkstemp(prefix=f"job_queue_{kind}_", suffix=".log")
    os.close(descriptor)
    process = start_worker(kind, args, out)
    try:
        rows = wait_for(out, queued, timeout=300)
        times = sorted(stamp for _, stamp in rows[:queued])
        drain = (len(times) - 1) / ((times[-1] - times[0]) / 1e9) if len(times) > 1 else 0.0
        drained = len(rows)

        committed = {}
        for n in range(args.latency):
            time.sleep(SPACING)
            outbox_id = writer.change(3 * 10**6 + n)
            committed[outbox_id] = time.time_ns()
        rows = wait_for(out, queued + args.latency, timeout=60)
    finally:
        stop_worker(process)
        writer.close()

    handled = {}
    duplicates = 0
    for outbox_id, stamp in rows:
        duplicates += outbox_id in handled
        handled.setdefault(outbox_id, stamp)
    latencies = [
        (handled[outbox_id] - stamp) / 1e6
        for outbox_id, stamp in committed.items()
        if outbox_id in handled
    ]
    with psycopg.connect(args.database_url) as conn:
        total, sent = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM outbox_message"
        ).fetchone()
    os.unlink(out)
    return {
        "kind": kind,
        "version": version(kind),
        "enqueue_ms": enqueue_ms,
        "floor_ms": floor_ms,
        "rate": rate,
        "floor_rate": floor_rate,
        "ratio": ratio,
        "drained": drained,
        "queued": queued,
        "drain": drain,
        "latency_median": statistics.median(latencies) if latencies else float("nan"),
        "latency_worst": max(latencies) if latencies else float("nan"),
        "latency_count": len(latencies),
        "exactly_once": duplicates == 0 and sent == total == len(handled),
        "duplicates": duplicates,
        "sent": sent,
        "total": total,
    }


ATOMIC = {
    "outbox-lease": "yes",
    "outbox-lock": "yes",
    "outbox-poll": "yes",
    "procrastinate": "yes (same connection)",
    "pgqueuer": "yes (same connection)",
    "rq": "no (after commit)",
}
SQLITE = {
    "outbox-lease": "yes (wake-up in process)",
    "outbox-lock": "yes (wake-up in process)",
    "outbox-poll": "yes",
    "procrastinate": "no",
    "pgqueuer": "no",
    "rq": "no (needs Redis)",
}


def table(results: list[dict]) -> str:
    lines = [
        "| kind | version | job in the change's transaction | enqueue added (ms, median) "
        "| 8 writers, changes/s (floor, ratio) | drain, messages/s "
        "| idle latency median / worst (ms) "
        "| exactly once | runs on SQLite |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['kind']} | {r['version']} | {ATOMIC[r['kind']]} | {r['enqueue_ms']:.2f} "
            f"| {r['rate']:,.0f} ({r['floor_rate']:,.0f}, {r['ratio']:.2f}) "
            f"| {r['drain']:,.0f} "
            f"| {r['latency_median']:.1f} / {r['latency_worst']:.1f} "
            f"| {'yes' if r['exactly_once'] else 'NO'} ({r['sent']}/{r['total']} sent) "
            f"| {SQLITE[r['kind']]} |"
        )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    content = DOCS.read_text(encoding="utf-8")
    head, _, rest = content.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOCS.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--notify-only", action="store_true", help="measure only what a NOTIFY costs the change"
    )
    parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        with contextlib.suppress(KeyboardInterrupt):
            run_worker(args.worker, args.database_url, args.redis_url, args.out)
        return

    if args.notify_only:
        server = create_database(args.database_url, [])
        before = os.getloadavg()[0]
        notify = notify_cost(args.database_url, args.messages, args.writers, args.rounds)
        print(
            f"PostgreSQL {server}; load average (1 min) {before:.2f} before, "
            f"{os.getloadavg()[0]:.2f} after; {args.messages} changes by {args.writers} writers "
            f"at once, median of {args.rounds} interleaved rounds:\n\n{notify_table(notify)}"
        )
        return
    kinds = [kind for kind in args.kinds if installed(kind)]
    for kind in set(args.kinds) - set(kinds):
        print(f"skipped {kind}: {LIBRARY[kind]} is not installed", file=sys.stderr)
    server = create_database(args.database_url, kinds)
    loads = [os.getloadavg()[0]]
    results = []
    for kind in kinds:
        results.append(measure(kind, args))
        loads.append(os.getloadavg()[0])
        print(results[-1], file=sys.stderr)
    notify = notify_cost(args.database_url, args.messages, args.writers, args.rounds)
    loads.append(os.getloadavg()[0])
    floor = statistics.median(r["floor_ms"] for r in results)
    text = (
        f"PostgreSQL {server}, Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
        f"load average (1 min) {min(loads):.2f} to {max(loads):.2f} during the run "
        "(other work shares the machine); "
        f"{args.messages} changes by one writer (floor: the change without outbox row, "
        f"median {floor:.2f} ms), {results[0]['queued'] - args.messages} by {args.writers} "
        f"writers at once in {args.rounds} rounds, "
        f"{args.latency} idle messages {SPACING} s apart.\n\n{table(results)}\n\n"
        f"What a NOTIFY costs the change, {args.messages} changes by {args.writers} writers "
        "at once, "
        f"median of {args.rounds} interleaved rounds:\n\n{notify_table(notify)}"
    )
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
