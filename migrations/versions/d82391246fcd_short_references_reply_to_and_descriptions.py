"""Short readable references of registrations, Reply-To of messages, descriptions' line endings

Every registration gets a short reference (8 characters without look-alikes), unique within
its event; existing ones get theirs here. Outbox messages keep the address replies go to.
Descriptions typed in a browser were stored with "\\r\\n" line endings, which split the
paragraphs wrongly: they are rewritten with "\\n", as the staff form now saves them.

Revision ID: d82391246fcd
Revises: a6a3677a2b9e
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa
from alembic import op

from app.formats import normalise_newlines
from app.tickets.codes import new_reference

revision = "d82391246fcd"
down_revision = "a6a3677a2b9e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=8), nullable=True))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to", sa.String(length=500), nullable=True))

    connection = op.get_bind()
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("event_id", sa.Integer),
        sa.column("reference", sa.String),
    )
    taken: set[tuple[int, str]] = set()
    rows = connection.execute(sa.select(registration.c.id, registration.c.event_id)).all()
    for row_id, event_id in rows:
        reference = new_reference()
        while (event_id, reference) in taken:
            reference = new_reference()
        taken.add((event_id, reference))
        connection.execute(
            registration.update().where(registration.c.id == row_id).values(reference=reference)
        )

    event = sa.table("event", sa.column("id", sa.Integer), sa.column("description", sa.Text))
    descriptions = connection.execute(sa.select(event.c.id, event.c.description)).all()
    for row_id, description in descriptions:
        normalised = normalise_newlines(description)
        if normalised != description:
            connection.execute(
                event.update().where(event.c.id == row_id).values(description=normalised)
            )

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("reference", existing_type=sa.String(length=8), nullable=False)
        batch_op.create_unique_constraint(
            "uq_registration_event_reference", ["event_id", "reference"]
        )


def downgrade():
    # The descriptions keep their "\n" line endings: the old pages read them as well.
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("reply_to")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_constraint("uq_registration_event_reference", type_="unique")
        batch_op.drop_column("reference")
