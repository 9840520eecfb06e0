"""The one search against the two it replaced, with 10,000 attendees in one event.

    python benchmarks/search.py [--database-url postgresql://postgres@127.0.0.1:5432/DB]
        [--size 10000] [--repeat 15] [--write-docs]

Each backend (SQLite in a temporary file, and PostgreSQL when a URL is given; its schema is
dropped and migrated afresh) gets one event of `--size` registrations. Each query then runs
`--repeat` times through:

- the door, now: `app.checkin.services.search`, SQL over the folded, indexed search key;
- the door, before: the same rows folded in Python one by one until 20 are found (the body
  `search` had before this change, kept here as the baseline);
- the staff list, now: `app.staff.attendees.queries.list_attendees` (a page of 50, counted);
- the staff list, before: the same page with a case-only `ILIKE` on four columns (which did
  not find « lefevre » for « Lefèvre »: it is timed, not compared for results).

The figure is each query's median, and the ratio before / now measured in the same run.
"""

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- search figures: begin -->", "<!-- search figures: end -->"
QUERIES = ["lefevre", "LEFÈVRE élodie", "o'neil", "gironde camille", "mar", "zzzz"]

FAMILY_NAMES = [
    "Martin", "Bernard", "Dubois", "Lefèvre", "Œuvray", "Łukasiewicz", "Weiß", "Nguyễn",
    "O'Neil", "Παπαδόπουλος", "Иванова", "Ørsted", "Le Goff", "N'Diaye", "García", "Müller",
    "Dupont-Durand", "Petit", "Moreau", "Laurent", "Simon", "Michel", "Garnier", "Faure",
]  # fmt: skip
GIVEN_NAMES = [
    "Camille", "Élodie", "Thị Minh Khai", "Γιώργος", "Zoé", "Jürgen", "Łucja", "Anne",
    "Jean-Pierre", "Inès", "Marc", "Sophie", "Karim", "Léa", "Hugo", "Chloé", "Nathan",
]  # fmt: skip
ORGANISATIONS = [
    "Ministère de l'Intérieur", "DINUM", "Direction générale des Finances publiques",
    "Préfecture de la Gironde", "Cour des comptes", "Insee", "Ville de Lyon", "DGFiP",
    "Région Occitanie", "Ministère de la Culture", "CNIL", "Conseil d'État",
]  # fmt: skip


def old_door_search(event, query: str, limit: int = 20):
    """The door's search before: every row of the event folded in Python."""
    from sqlalchemy import select

    from app.extensions import db
    from app.folding import fold
    from app.models import Registration

    words = fold(query).split()
    if not words:
        return []
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id)
        .order_by(Registration.family_name, Registration.given_name)
    )
    found = []
    for registration in registrations:
        haystack = fold(
            f"{registration.given_name} {registration.family_name} {registration.organisation}"
        )
        if all(word in haystack for word in words):
            found.append(registration)
            if len(found) == limit:
                break
    return found


def old_staff_list(event, query: str):
    """The staff list's page before: a case-only match on four columns."""
    from sqlalchemy import func, or_, select

    from app.extensions import db
    from app.models import Registration

    searched = (
        Registration.given_name,
        Registration.family_name,
        Registration.email,
        Registration.organisation,
    )
    statement = select(Registration).where(Registration.event_id == event.id)
    for term in query.split()[:10]:
        statement = statement.where(
            or_(*(column.icontains(term, autoescape=True) for column in searched))
        )
    order = (func.lower(Registration.family_name), func.lower(Registration.given_name))
    statement = statement.order_by(*order, Registration.id)
    return db.paginate(statement, page=1, per_page=50, error_out=False, count=True)


def fill(size: int):
    """Migrate the database and add one event of `size` registrations; return the event."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.models import Registration
    from app.tickets.codes import new_code, new_reference
    from tests.factories import make_event

    upgrade()
    event = make_event(slug="bench-search", capacity=size)
    names = itertools.product(GIVEN_NAMES, FAMILY_NAMES, ORGANISATIONS)
    references = set()
    for n, (given, family, organisation) in zip(range(size), itertools.cycle(names)):
        reference = new_reference()
        while reference in references:
            reference = new_reference()
        references.add(reference)
        db.session.add(
            Registration(
                event=event,
                code=new_code(),
                reference=reference,
                manage_secret=new_code(),
                given_name=given,
                family_name=f"{family}{'' if n < len(GIVEN_NAMES) * len(FAMILY_NAMES) else n}",
                email=f"personne{n}@exemple.gouv.fr",
                organisation=organisation,
                job_title="Chargée de mission",
                status="confirmed",
            )
        )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE registration")
    return event


def timed(function, repeat: int) -> float:
    """Return the median time of `function()` in milliseconds."""
    from app.extensions import db

    times = []
    for _ in range(repeat):
        db.session.expunge_all()  # as in a request: nothing already loaded
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(url: str, size: int, repeat: int) -> tuple[str, list[dict]]:
    """Fill a database at `url` and time every query; return the backend's name and rows."""
    from app import create_app
    from app.checkin import services as door
    from app.extensions import db
    from app.staff.attendees import queries
    from config import TestingConfig
    from tests.conftest import reset_database

    reset_database(url)
    instance = tempfile.mkdtemp(prefix="bench-search-")
    app = create_app(TestingConfig, instance_path=instance, SQLALCHEMY_DATABASE_URI=url)
    rows = []
    with app.app_context():
        event = fill(size)
        backend = db.engine.dialect.name
        if backend == "postgresql":
            backend += " " + db.session.scalar(db.text("SHOW server_version")).split()[0]
        for query in QUERIES:
            found = len(door.search(event, query))
            listed = queries.list_attendees(event, queries.AttendeeQuery(search=query)).total
            door_now = timed(lambda q=query: door.search(event, q), repeat)
            door_before = timed(lambda q=query: old_door_search(event, q), repeat)
            list_now = timed(
                lambda q=query: queries.list_attendees(event, queries.AttendeeQuery(search=q)),
                repeat,
            )
            list_before = timed(lambda q=query: old_staff_list(event, q), repeat)
            rows.append(
                {
                    "query": query,
                    "found": found,
                    "listed": listed,
                    "door_now": door_now,
                    "door_before": door_before,
                    "list_now": list_now,
                    "list_before": list_before,
                }
            )
        db.session.remove()
        db.engine.dispose()
    return backend, rows


def table(backend: str, rows: list[dict]) -> str:
    lines = [
        f"**{backend}**",
        "",
        "| query | door finds | door now | door before | × faster | list total | list now "
        "| list before | × |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| « {row['query']} » | {row['found']} | {row['door_now']:.1f} ms "
            f"| {row['door_before']:.1f} ms | {row['door_before'] / row['door_now']:.1f} "
            f"| {row['listed']:,} | {row['list_now']:.1f} ms | {row['list_before']:.1f} ms "
            f"| {row['list_before'] / row['list_now']:.1f} |"
        )
    return "\n".join(lines)


def report(results: list[tuple[str, list[dict]]], size: int, repeat: int, load: str) -> str:
    medians = []
    for backend, rows in results:
        ratio = statistics.median(row["door_before"] / row["door_now"] for row in rows)
        worst = max(row["door_now"] for row in rows)
        medians.append(f"{backend}: door {ratio:.0f}× faster (median), slowest {worst:.1f} ms")
    paragraph = (
        f"Measured with `python benchmarks/search.py --write-docs` on {date.today():%d %B %Y}: "
        f"{size:,} registrations in one event, each query {repeat} times (median), in one "
        f"process, before and now in the same run. Load average {load} on 2 cores when the "
        "run began (other sessions were running tests): absolute times vary from run to run, "
        "the ratios much less. « door finds » is at most 20 (the door's limit); the staff "
        "list before did not fold accents, so its totals differ (« lefevre » found no "
        "« Lefèvre »): only its time is compared."
    )
    parts = [BEGIN, textwrap.fill(paragraph, width=100), ""]
    for backend, rows in results:
        parts += [table(backend, rows), ""]
    parts += ["- " + line for line in medians]
    parts.append(END)
    return "\n".join(parts)


def write_docs(text: str) -> None:
    docs = DOCS.read_text()
    if BEGIN in docs:
        head, rest = docs.split(BEGIN, 1)
        docs = head + text + rest.split(END, 1)[1]
    else:
        docs = docs.rstrip("\n") + "\n\n## Search\n\n" + text + "\n"
    DOCS.write_text(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL (its schema is dropped)")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    urls = [f"sqlite:///{tempfile.mkdtemp(prefix='bench-search-')}/search.sqlite3"]
    if args.database_url:
        from config import database_url

        urls.append(database_url(args.database_url))
    results = [measure(url, args.size, args.repeat) for url in urls]
    text = report(results, args.size, args.repeat, load)
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
