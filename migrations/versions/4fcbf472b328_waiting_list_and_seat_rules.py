"""Waiting list rules: organisation limits, e-mail domains, idempotent submissions.

Revision ID: 4fcbf472b328
Revises: ddd831ae8f6d
Create Date: 2026-11-26 02:30:39.209639

"""

import sqlalchemy as sa
from alembic import op

from app.folding import organisation_key

revision = "4fcbf472b328"
down_revision = "ddd831ae8f6d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "organisation_overflow",
                sa.String(length=16),
                server_default="waitlist",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "allowed_email_domains", sa.String(length=500), server_default="", nullable=False
            )
        )
        batch_op.create_check_constraint(
            "organisation_overflow_known", "organisation_overflow IN ('waitlist', 'refuse')"
        )

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))

    # Existing registrations get the folded organisation name the app now computes.
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("organisation", sa.String),
        sa.column("organisation_key", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(registration.c.id, registration.c.organisation)).all()
    for row_id, organisation in rows:
        connection.execute(
            registration.update()
            .where(registration.c.id == row_id)
            .values(organisation_key=organisation_key(organisation))
        )

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("organisation_key", nullable=False)
        batch_op.create_index(
            "ix_registration_event_organisation", ["event_id", "organisation_key"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_registration_submission_key"), ["submission_key"]
        )


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_registration_submission_key"), type_="unique")
        batch_op.drop_index("ix_registration_event_organisation")
        batch_op.drop_column("submission_key")
        batch_op.drop_column("organisation_key")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_event_organisation_overflow_known"), type_="check")
        batch_op.drop_column("allowed_email_domains")
        batch_op.drop_column("organisation_overflow")
