"""Time and peak memory of the attendee exports, against PostgreSQL's own dump of the rows.

    python benchmarks/export.py [--database-url postgresql://postgres@127.0.0.1:5432/accueil_bench_exports]
        [--sizes 10000 100000] [--pdf-max 10000] [--repeat 3] [--write-docs]

Setup: creates the database if missing, migrates it (`flask db upgrade heads`), and fills
one event per size with COPY FROM STDIN (kept for the next run). Every row is confirmed, a
third checked in, so every format exports the same rows. Each measurement runs in a fresh
process that creates the app, then measures one export: time, and peak resident set size
(VmHWM, reset with /proc/self/clear_refs once the app is created; not tracemalloc, which
misses what psycopg and ReportLab allocate in C). The floor is PostgreSQL's
`COPY (SELECT … ORDER BY …) TO STDOUT WITH CSV` of the same rows, columns, order and local
times, read through psycopg in the same kind of process, so peaks compare.
"""

import argparse
import functools
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/accueil_bench_exports"
FORMATS = ("floor", "csv", "xlsx", "pdf")
DOCS = ROOT / "docs" / "benchmarks.md"
MARKER = "<!-- export figures -->"
#: More growth than this between the smallest and the largest size is not flat.
FLAT_MIB = 8
BEGIN, END = "<!-- export figures: begin -->", "<!-- export figures: end -->"

FAMILY_NAMES = [
    "Martin", "Bernard", "Dubois", "Lefèvre", "Œuvray", "Łukasiewicz", "Weiß", "Nguyễn",
    "Đặng", "Παπαδόπουλος", "Иванова", "Ørsted", "Le Goff", "N'Diaye", "García", "Müller",
]  # fmt: skip
GIVEN_NAMES = ["Camille", "Élodie", "Thị Minh Khai", "Γιώργος", "Zoé", "Jürgen", "Łucja", "Anne"]
ORGANISATIONS = [
    "Ministère de l'Intérieur", "DINUM", "Direction générale des Finances publiques",
    "Préfecture de la Gironde", "+33 1 23 45 67 89", "=HYPERLINK(\"http://x\",\"clic\")",
]  # fmt: skip


def slug_for(size: int) -> str:
    return f"bench-export-{size}"


# --- setup ---------------------------------------------------------------------------------


def ensure_database(url: str) -> str:
    """Create the benchmark database if missing, migrate it; return the server's version."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    target = make_url(url)
    server = target.set(drivername="postgresql", database="postgres")
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database)))
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "APP_ENV": "development"}
    flask = [sys.executable, "-m", "flask", "db", "upgrade", "heads"]
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)
    return version


def fill(url: str, size: int) -> None:
    """Give the event `bench-export-<size>` exactly `size` registrations (COPY FROM STDIN)."""
    import secrets

    from sqlalchemy import delete, func, select

    from app.events.seed import seed_meeting
    from app.extensions import db
    from app.folding import organisation_key
    from app.models import Registration

    with _app(url).app_context():
        event, _ = seed_meeting(date(2027, 4, 16), capacity=size, slug=slug_for(size))
        count = db.session.scalar(select(func.count()).where(Registration.event_id == event.id))
        if count == size:
            return
        db.session.execute(delete(Registration).where(Registration.event_id == event.id))
        db.session.commit()
        keys = {name: organisation_key(name) for name in ORGANISATIONS}
        first = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
        columns = (
            "event_id, code, manage_secret, given_name, family_name, email, organisation, "
            "organisation_key, job_title, status, created_at, checked_in_at"
        )
        raw = db.engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()
            with cursor.copy(f"COPY registration ({columns}) FROM STDIN") as copy:
                for n in range(size):
                    organisation = ORGANISATIONS[n % len(ORGANISATIONS)]
                    copy.write_row(
                        (
                            event.id,
                            secrets.token_urlsafe(18),
                            secrets.token_urlsafe(18),
                            GIVEN_NAMES[n % len(GIVEN_NAMES)],
                            f"{FAMILY_NAMES[(n * 7) % len(FAMILY_NAMES)]} {n:06d}",
                            f"personne{n}@bench.gouv.fr",
                            organisation,
                            keys[organisation],
                            "Cheffe de projet",
                            "confirmed",
                            first + timedelta(seconds=37 * n),
                            first + timedelta(days=46, seconds=n) if n % 3 == 0 else None,
                        )
                    )
            raw.driver_connection.execute("ANALYZE registration")
            raw.commit()
        finally:
            raw.close()


# --- one measurement, in its own process ---------------------------------------------------


def _app(url: str):
    from app import create_app
    from config import DevelopmentConfig, database_url

    instance = tempfile.mkdtemp(prefix="accueil-bench-")
    return create_app(
        DevelopmentConfig, instance_path=instance, SQLALCHEMY_DATABASE_URI=database_url(url)
    )


def _peak_kib() -> int:
    """Return this process's peak RSS in KiB (VmHWM, the counter behind ru_maxrss).

    Not ru_maxrss itself: it keeps the peak of the parent that forked us (~150 MiB here)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _reset_peak() -> None:
    """Restart the peak from the current RSS: creating the app briefly takes 64 MiB more
    (argon2's dummy hash), a peak that would hide what the export itself takes."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")


def _floor(event) -> tuple[int, int]:
    """Dump the rows with PostgreSQL's COPY; return (bytes, rows)."""
    from psycopg import sql

    from app.extensions import db

    query = sql.SQL(
        "COPY (SELECT r.family_name, r.given_name, r.email, r.organisation, r.job_title,"
        " r.status, r.waitlist_position,"
        " to_char(r.created_at AT TIME ZONE e.timezone, 'DD/MM/YYYY HH24:MI'),"
        " to_char(r.checked_in_at AT TIME ZONE e.timezone, 'DD/MM/YYYY HH24:MI')"
        " FROM registration r JOIN event e ON e.id = r.event_id WHERE e.id = {}"
        ' ORDER BY lower(r.family_name COLLATE "und-x-icu"),'
        ' lower(r.given_name COLLATE "und-x-icu"), r.family_name, r.given_name, r.id)'
        " TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')"
    ).format(sql.Literal(event.id))
    raw = db.engine.raw_connection()
    size = lines = 0
    try:
        with raw.driver_connection.cursor().copy(query) as copy:
            for block in copy:
                size += len(block)
                lines += bytes(block).count(b"\n")
    finally:
        raw.close()
    return size, lines - 1


def measure(fmt: str, slug: str, url: str) -> dict:
    from sqlalchemy import select

    from app.exports.csv import csv_chunks
    from app.exports.pdf import font_name, sign_in_sheet_pdf
    from app.exports.services import attendee_rows, event_heading
    from app.exports.xlsx import xlsx_chunks
    from app.extensions import db
    from app.models import Event

    app = _app(url)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        heading = event_heading(event)
        font_name()  # the font is loaded once per process, not per export
        _reset_peak()
        baseline = _peak_kib()
        start = time.perf_counter()
        counter = [0]
        if fmt == "floor":
            size, counter[0] = _floor(event)
        elif fmt == "pdf":
            rows = _counted(attendee_rows(event, "confirmed"), counter)
            size = len(sign_in_sheet_pdf(heading, rows))
        else:
            build = csv_chunks if fmt == "csv" else xlsx_chunks
            size = sum(len(chunk) for chunk in build(_counted(attendee_rows(event), counter)))
        elapsed = time.perf_counter() - start
        peak = _peak_kib()
    return {"seconds": elapsed, "bytes": size, "rows": counter[0], "baseline_kib": baseline,
            "peak_kib": peak}  # fmt: skip


def _counted(rows, counter: list[int]):
    for row in rows:
        counter[0] += 1
        yield row


def run_child(fmt: str, size: int, url: str) -> dict:
    command = [sys.executable, __file__, "--measure", fmt, "--slug", slug_for(size)]
    done = subprocess.run(
        [*command, "--database-url", url], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{fmt} {size} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report --------------------------------------------------------------------------------


def summarise(runs: list[dict]) -> dict:
    """Median time, largest memory."""
    return {
        **runs[0],
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_kib": max(run["peak_kib"] for run in runs),
        "growth_kib": max(run["peak_kib"] - run["baseline_kib"] for run in runs),
    }


def table(results: dict[tuple[int, str], dict]) -> str:
    lines = [
        "| rows | format | time | × floor | peak RSS | × floor | growth during export | output |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (size, fmt), figures in results.items():
        floor = results[(size, "floor")]
        lines.append(
            f"| {size:,} | {fmt} | {figures['seconds']:.2f} s"
            f" | {figures['seconds'] / floor['seconds']:.1f}"
            f" | {figures['peak_kib'] / 1024:.0f} MiB"
            f" | {figures['peak_kib'] / floor['peak_kib']:.2f}"
            f" | {figures['growth_kib'] / 1024:.1f} MiB"
            f" | {figures['bytes'] / 1024 / 1024:.1f} MiB |"
        )
    return "\n".join(lines)


def flatness(results: dict[tuple[int, str], dict], sizes: list[int]) -> dict[str, float]:
    """Return, for CSV and XLSX, the growth at the largest size minus that at the smallest."""
    small, large = min(sizes), max(sizes)
    return {
        fmt: (results[(large, fmt)]["growth_kib"] - results[(small, fmt)]["growth_kib"]) / 1024
        for fmt in ("csv", "xlsx")
    }


def section(
    results: dict, sizes: list[int], repeat: int, pdf_max: int, server: str, load: float
) -> str:
    """Write the docs section: how it was measured, the table, what it shows."""
    small, large = min(sizes), max(sizes)

    def growth(size: int, fmt: str) -> str:
        return f"{results[(size, fmt)]['growth_kib'] / 1024:.1f} MiB"

    extra = flatness(results, sizes) if len(sizes) > 1 else {}
    verdict = "is flat" if all(mib < FLAT_MIB for mib in extra.values()) else "is NOT flat"
    intro = (
        f"Measured with `python benchmarks/export.py --write-docs` on PostgreSQL {server}: "
        f"{' and '.join(f'{size:,}' for size in sizes)} confirmed registrations of an event, "
        f"each format {repeat} times, each run in a fresh process with the app created "
        "(median time, largest memory). The floor is PostgreSQL's own dump of the same rows "
        "in the same run: `COPY (SELECT … ORDER BY …) TO STDOUT WITH CSV` with the same "
        "columns, order and local times, read through psycopg in the same kind of process. "
        "Memory is the process's peak resident set (VmHWM, the figure behind `ru_maxrss`, "
        "reset once the app is created) and its growth during the export. Load average "
        f"{load:.1f} on {os.cpu_count()} cores when the run began: on a shared machine the "
        "times, and their ratios, vary by up to 2× from one run to the next; the memory "
        "figures do not."
    )
    flat = (
        f"- CSV and XLSX memory {verdict}: CSV grows by {growth(small, 'csv')} for "
        f"{small:,} rows and {growth(large, 'csv')} for {large:,}; XLSX by "
        f"{growth(small, 'xlsx')} and {growth(large, 'xlsx')}. Rows come through a "
        "server-side cursor 1,000 at a time, CSV leaves in chunks of 500 rows, and "
        "XlsxWriter's constant-memory mode writes each row to a temporary file, streamed "
        "out in 64 KiB chunks once the workbook is closed (so an XLSX download starts only "
        "after the time shown, while a CSV starts at once)."
    )
    pdf = (
        f"- The sign-in sheet is measured up to {pdf_max:,} rows only (`--pdf-max`): ReportLab "
        "lays the whole table out in memory and splits it page by page, so its time and memory "
        "grow with the rows (a little faster than linearly); a sheet for a room holds hundreds "
        "of names, laid out in about a second per thousand."
    )
    pdf_sizes = [size for size in sizes if size <= pdf_max]
    if pdf_sizes:
        pdf += f" At {max(pdf_sizes):,} rows it took {growth(max(pdf_sizes), 'pdf')} more."
    wrap = functools.partial(textwrap.fill, width=100, break_on_hyphens=False)
    return "\n".join(
        [
            wrap(intro),
            "",
            table(results),
            "",
            wrap(flat, subsequent_indent="  "),
            wrap(pdf, subsequent_indent="  "),
        ]
    )


def write_docs(section: str) -> None:
    text = DOCS.read_text()
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    elif MARKER in text:
        text = text.replace(MARKER, block, 1)
    else:
        raise SystemExit(f"neither {MARKER} nor a previous section in {DOCS}")
    DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--pdf-max", type=int, default=10_000, help="largest size for the PDF")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true", help=f"write into {DOCS.name}")
    parser.add_argument("--measure", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql")):
        raise SystemExit("the floor is PostgreSQL's COPY: give a PostgreSQL URL")

    if args.measure:
        print(json.dumps(measure(args.measure, args.slug, args.database_url)))
        return

    load = os.getloadavg()[0]
    server = ensure_database(args.database_url)
    for size in args.sizes:
        fill(args.database_url, size)
    results = {}
    for size in args.sizes:
        for fmt in FORMATS:
            if fmt == "pdf" and size > args.pdf_max:
                continue
            runs = [run_child(fmt, size, args.database_url) for _ in range(args.repeat)]
            results[(size, fmt)] = summary = summarise(runs)
            print(
                f"{size:>7} {fmt:<5} {summary['seconds']:7.2f} s"
                f"  peak {summary['peak_kib'] / 1024:6.0f} MiB"
                f"  growth {summary['growth_kib'] / 1024:6.1f} MiB  rows {summary['rows']}",
                flush=True,
            )
            if summary["rows"] != size:
                raise SystemExit(f"{fmt} exported {summary['rows']} rows, not {size}")
    print()
    print(table(results))
    if len(args.sizes) > 1:
        for fmt, extra in flatness(results, args.sizes).items():
            verdict = "flat" if extra < FLAT_MIB else "NOT FLAT"
            print(
                f"{fmt}: {extra:+.1f} MiB from {min(args.sizes):,} to {max(args.sizes):,} rows,"
                f" {verdict}"
            )
    if args.write_docs:
        write_docs(section(results, args.sizes, args.repeat, args.pdf_max, server, load))


if __name__ == "__main__":
    main()
