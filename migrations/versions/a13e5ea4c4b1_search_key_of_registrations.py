"""One search for the door and the staff list: a folded search key on each registration

The key holds the given name, family name and organisation folded (no case, no accents, no
punctuation inside a word); existing registrations get theirs here. PostgreSQL indexes it
with trigrams (pg_trgm), so that a search inside words stays fast with thousands of
attendees; when the extension cannot be created (no right to), a plain index stands in and
the search still works, reading the event's rows. SQLite gets the plain index.

Revision ID: a13e5ea4c4b1
Revises: d82391246fcd
Create Date: 2026-12-03 04:00:00

"""

import logging

import sqlalchemy as sa
from alembic import op

from app.folding import SEARCH_KEY_LENGTH, search_key

revision = "a13e5ea4c4b1"
down_revision = "d82391246fcd"
branch_labels = None
depends_on = None

INDEX = "ix_registration_search_key"
logger = logging.getLogger("alembic.runtime.migration")


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.String(length=SEARCH_KEY_LENGTH), nullable=True)
        )

    connection = op.get_bind()
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("given_name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("organisation", sa.String),
        sa.column("search_key", sa.String),
    )
    names = (registration.c.given_name, registration.c.family_name, registration.c.organisation)
    rows = connection.execute(sa.select(registration.c.id, *names)).all()
    for row_id, *texts in rows:
        connection.execute(
            registration.update()
            .where(registration.c.id == row_id)
            .values(search_key=search_key(*texts))
        )

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column(
            "search_key", existing_type=sa.String(length=SEARCH_KEY_LENGTH), nullable=False
        )
    if _trigrams(connection):
        op.create_index(
            INDEX,
            "registration",
            ["search_key"],
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        )
    else:
        op.create_index(INDEX, "registration", ["search_key"])


def _trigrams(connection) -> bool:
    """Create pg_trgm if it is missing; tell whether trigram indexes can be made."""
    if connection.dialect.name != "postgresql":
        return False
    try:
        # A savepoint: a refusal must not abort the migration's transaction.
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        logger.warning("pg_trgm unavailable (%s): the search key gets a plain index", error.orig)
        return False
    return True


def downgrade():
    # pg_trgm stays: other schemas of the database may use it.
    op.drop_index(INDEX, table_name="registration")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("search_key")
