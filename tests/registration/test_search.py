"""One search for the door and the staff list: accents, case and punctuation aside, every
word in any order, in SQL; on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app
from app.api import tokens
from app.checkin import services as door
from app.extensions import db as _db
from app.folding import search_key, search_terms
from app.models import Registration
from app.registration import erasure
from app.registration import search as registration_search
from app.staff.attendees import queries
from app.staff.attendees.services import correct_details
from config import TestingConfig
from tests import test_migrations
from tests.factories import make_event, make_registration, make_staff

PEOPLE = {
    "elodie": ("Élodie", "Lefèvre", "DGFiP"),
    "marc": ("marc", "LEFEVRE", "Cour des comptes"),
    "sean": ("Seán", "O'Neil", "Ministère de l'Intérieur"),
    "kate": ("Kate", "ONeil", "DINUM"),
    "jean_pierre": ("Jean-Pierre", "Dupont", "Préfecture du Rhône"),
    "jean_paul": ("Jean Paul", "Dupont-Durand", "Œuvre des Armées"),
}

#: What a door search result held before the one search, and still holds.
DOOR_RESULT = {"id", "given_name", "family_name", "organisation", "status", "checked_in_at"}


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Élodie", "LEFÈVRE", "DGFiP"), "elodie lefevre dgfip"),
        (("Seán", "O'Neil", "Ministère de l’Intérieur"), "sean oneil ministere de linterieur"),
        (("Jean-Pierre", "Straße", "Œuvre  des\tArmées"), "jeanpierre strasse oeuvre des armees"),
        (("—", "—", "—"), ""),
        (("Zoé", None, "Υπουργείο Υγείας"), "zoe υπουργειο υγειασ"),
    ],
)
def test_the_key_folds_case_accents_and_punctuation(texts, expected):
    assert search_key(*texts) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("LEFÈVRE élodie", ["lefevre", "elodie"]),
        ("o'neil", ["o", "neil"]),
        ("jean-pierre  JEAN", ["jean", "pierre"]),
        ("100% a_b", ["100", "a", "b"]),
        ("' - %", []),
        (" ".join(f"w{n}" for n in range(30)), [f"w{n}" for n in range(10)]),
    ],
)
def test_a_query_splits_into_folded_terms_without_wildcards(query, expected):
    assert search_terms(query) == expected


@pytest.fixture
def people(db):
    event = make_event()
    made = {
        key: make_registration(
            event,
            given_name=given,
            family_name=family,
            organisation=org,
            email=f"personne{n}@exemple.test",
        )
        for n, (key, (given, family, org)) in enumerate(PEOPLE.items())
    }
    make_registration(make_event(title="Une autre réunion"), family_name="Lefèvre")
    return event, made


def door_finds(event, query: str) -> set[str]:
    return {r.given_name for r in door.search(event, query)}


def staff_finds(event, query: str) -> set[str]:
    page = queries.list_attendees(event, queries.AttendeeQuery(search=query))
    return {r.given_name for r in page.items}


@pytest.mark.parametrize("finds", [door_finds, staff_finds], ids=["door", "staff"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Accents and case, both ways.
        ("lefevre", {"Élodie", "marc"}),
        ("LEFÈVRE", {"Élodie", "marc"}),
        ("Lefèvre", {"Élodie", "marc"}),
        ("ELODIE", {"Élodie"}),
        ("élodie lefevre", {"Élodie"}),
        # Every word, in any order.
        ("lefevre elodie", {"Élodie"}),
        ("MARC lefèvre", {"marc"}),
        ("elodie oneil", set()),
        # Apostrophes, typographic or not, and none.
        ("o'neil", {"Seán", "Kate"}),
        ("O’Neil", {"Seán", "Kate"}),
        ("ONEIL", {"Seán", "Kate"}),
        ("sean", {"Seán"}),
        # Hyphens: with, without, or as a space.
        ("jean-pierre", {"Jean-Pierre"}),
        ("jeanpierre", {"Jean-Pierre"}),
        ("jean pierre", {"Jean-Pierre"}),
        ("jean-paul", {"Jean Paul"}),
        ("dupont-durand", {"Jean Paul"}),
        ("dupont", {"Jean-Pierre", "Jean Paul"}),
        # Organisations.
        ("dgfip", {"Élodie"}),
        ("l'interieur", {"Seán"}),
        ("INTÉRIEUR", {"Seán"}),
        ("oeuvre armées", {"Jean Paul"}),
        ("prefecture rhone", {"Jean-Pierre"}),
        # Part of a word.
        ("lef", {"Élodie", "marc"}),
        # Wildcards are text, punctuation alone finds nothing.
        ("%", set()),
        ("_", set()),
        ("' -", set()),
    ],
)
def test_the_door_and_the_staff_list_find_the_same_people(people, finds, query, expected):
    event, _ = people
    assert finds(event, query) == expected


def test_only_the_staff_list_matches_e_mail_addresses(db):
    event = make_event()
    make_registration(event, given_name="Zoé", email="zoe.secret@numerique.gouv.fr")
    assert staff_finds(event, "zoe.secret@numerique") == {"Zoé"}
    assert staff_finds(event, "SECRET") == {"Zoé"}
    # The door never sees addresses, so they never make a match there.
    assert door_finds(event, "secret") == set()
    # A blank query filters nothing in the list and finds nothing at the door.
    assert staff_finds(event, "  ") == {"Zoé"}
    assert door.search(event, "  ") == []


def test_the_door_keeps_its_limit_and_its_order(db):
    event = make_event()
    for family in ("Lefèvre", "Durand", "Bernard", "Lefèvre-Arnaud"):
        make_registration(event, family_name=family, organisation="DGFiP")
    found = door.search(event, "dgfip", limit=3)
    assert [r.family_name for r in found] == ["Bernard", "Durand", "Lefèvre"]


def test_the_key_follows_corrections_and_is_blanked_on_erasure(db, people):
    event, made = people
    organiser = make_staff("organiser")
    correct_details(made["marc"].id, {"family_name": "Mercier", "organisation": "Insee"}, organiser)
    assert door_finds(event, "lefevre") == {"Élodie"}
    assert door_finds(event, "mercier insee") == {"marc"}

    email = _db.session.get(Registration, made["elodie"].id).email
    erasure.erase_person(email)
    _db.session.expire_all()
    assert _db.session.get(Registration, made["elodie"].id).search_key == ""
    assert door_finds(event, "elodie") == set()
    assert staff_finds(event, "elodie") == set()


def test_every_stored_key_matches_its_fields(db, people):
    """The key is never stale, whoever wrote the row."""
    for registration in _db.session.scalars(select(Registration)):
        fields = (registration.given_name, registration.family_name, registration.organisation)
        assert registration.search_key == search_key(*fields)


def test_the_door_api_searches_with_the_door_s_fields_only(client, people):
    event, made = people
    make_staff("checkin", email="scanner@numerique.gouv.fr")
    _, token = tokens.create_token("scanner@numerique.gouv.fr")
    bearer = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/events/{event.slug}/search"
    for query in ("lefevre", "LEFÈVRE", "Lefèvre elodie"):
        found = client.get(url, query_string={"q": query}, headers=bearer).json["results"]
        assert {r["id"] for r in found} <= {made["elodie"].id, made["marc"].id}
        assert made["elodie"].id in {r["id"] for r in found}
        for row in found:
            # Least privilege, as before: no code, reference, e-mail or search key.
            assert set(row) == DOOR_RESULT
    refused = client.get(url, query_string={"q": "lefevre"})
    assert refused.status_code == 401


def test_the_staff_list_page_searches_without_accents(client, staff, people):
    staff("viewer")
    event, _ = people
    url = f"/staff/events/{event.slug}/attendees"
    for query in ("lefevre", "LEFÈVRE"):
        page = client.get(url, query_string={"q": query}).text
        assert "Lefèvre" in page and "LEFEVRE" in page and "ONeil" not in page
        assert "2 inscriptions trouvées." in page


@pytest.mark.postgres
def test_postgresql_searches_through_a_trigram_index(db, people):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL)")
    definition = db.session.scalar(
        text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_registration_search_key'")
    )
    assert "gin (search_key gin_trgm_ops)" in definition
    # The words' condition alone (the event's own index wins on a few rows; the benchmark
    # measures 10,000 of them in one event).
    statement = select(Registration.id).where(registration_search.matching("lefèvre élodie"))
    compiled = statement.compile(dialect=db.engine.dialect)
    connection = db.session.connection()
    # A handful of rows reads faster without an index: only whether it can serve matters.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    plan = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars().all()
    assert "ix_registration_search_key" in "\n".join(plan)


#: A new, empty database of each backend (tests/test_migrations.py).
empty_database = test_migrations.empty_database


def test_the_migration_gives_stored_registrations_their_key(empty_database, tmp_path):
    app = create_app(
        TestingConfig, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=empty_database
    )
    with app.app_context():
        upgrade(revision="d82391246fcd")
        with _db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO event (id, slug, title, description, starts_at, ends_at, timezone,"
                    " venue_name, street, postcode, city, capacity, waitlist_enabled, status,"
                    " organiser_name, organiser_email, created_at, updated_at,"
                    " organisation_overflow, allowed_email_domains) VALUES (1, 'e',"
                    " 'E', '', '2031-04-16 12:00:00', '2031-04-16 14:00:00', 'Europe/Paris',"
                    " '', 'rue', '75007', 'Paris', 10, true, 'published', 'O', 'o@x.fr',"
                    " '2031-01-01 00:00:00', '2031-01-01 00:00:00', 'waitlist', '')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO registration (event_id, code, reference, manage_secret,"
                    " given_name, family_name, email, organisation, organisation_key, job_title,"
                    " status, created_at, locale) VALUES (1, :code, 'ABCDEFGH', :secret,"
                    " 'Élodie', 'Lefèvre-O''Neil', 'e@x.fr', 'Ministère de l''Intérieur', 'm',"
                    " 'J', 'confirmed', '2031-01-01 00:00:00', 'fr')"
                ),
                {"code": "c" * 30, "secret": "s" * 30},
            )
        upgrade()
        with _db.engine.connect() as connection:
            key = connection.scalar(text("SELECT search_key FROM registration"))
        assert key == "elodie lefevreoneil ministere de linterieur"
        _db.engine.dispose()
