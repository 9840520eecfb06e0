"""The schema exists only through migrations/: they must match the models and reverse cleanly."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import TestingConfig, database_url

BACKENDS = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL"):
    BACKENDS.append(pytest.param("postgresql", marks=pytest.mark.postgres))


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """Yield the URL of a new, empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    server = make_url(database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"{server.database}_migrations"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_models_and_migrations_agree_and_reverse(empty_database, tmp_path):
    app = create_app(
        TestingConfig, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=empty_database
    )
    with app.app_context():
        upgrade()
        assert tables() == {table.name for table in db.metadata.sorted_tables}
        assert schema_differences() == []

        downgrade(revision="base")
        assert tables() == set()

        upgrade()
        assert schema_differences() == []
        db.engine.dispose()


def test_a_difference_would_be_found(empty_database, tmp_path):
    """The comparison above can fail: an index missing from the database is seen."""
    app = create_app(
        TestingConfig, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=empty_database
    )
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_registration_event_status"))
        differences = schema_differences()
        assert [d[0] for d in differences] == ["add_index"]
        db.engine.dispose()


def test_stored_rows_get_references_and_their_descriptions_paragraphs(empty_database, tmp_path):
    """The data migration: descriptions saved with "\\r\\n", registrations without a reference."""
    app = create_app(
        TestingConfig, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=empty_database
    )
    with app.app_context():
        upgrade(revision="d4a8c1e6f2b9")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO event (id, slug, title, description, starts_at, ends_at, timezone,"
                    " venue_name, street, postcode, city, capacity, waitlist_enabled, status,"
                    " organiser_name, organiser_email, created_at, updated_at,"
                    " organisation_overflow, allowed_email_domains) VALUES (1, 'e', 'E',"
                    " :description, '2031-04-16 12:00:00', '2031-04-16 14:00:00', 'Europe/Paris',"
                    " '', 'rue', '75007', 'Paris', 10, true, 'published', 'O', 'o@x.fr',"
                    " '2031-01-01 00:00:00', '2031-01-01 00:00:00', 'waitlist', '')"
                ),
                {"description": "Un.\r\n\r\nDeux.\rTrois."},
            )
            for n in (1, 2, 3):
                connection.execute(
                    text(
                        "INSERT INTO registration (event_id, code, given_name, family_name,"
                        " email, organisation, organisation_key, job_title, status, created_at,"
                        " locale) VALUES (1, :code, 'A', 'B', :email, 'O', 'o', 'J',"
                        " 'confirmed', '2031-01-01 00:00:00', 'fr')"
                    ),
                    {"code": f"code{n:020d}", "email": f"p{n}@x.fr"},
                )
        upgrade()
        with db.engine.connect() as connection:
            description = connection.scalar(text("SELECT description FROM event"))
            references = connection.scalars(text("SELECT reference FROM registration")).all()
        assert description == "Un.\n\nDeux.\nTrois."
        assert len(set(references)) == 3 and all(len(r) == 8 for r in references)
        db.engine.dispose()
