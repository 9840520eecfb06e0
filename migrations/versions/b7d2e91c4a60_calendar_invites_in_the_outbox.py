"""Calendar invites and QR tickets in the outbox, invite sequences, reminders, send claims.

Revision ID: b7d2e91c4a60
Revises: 4fcbf472b328
Create Date: 2026-11-26 02:55:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2e91c4a60"
down_revision = "4fcbf472b328"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_sequence", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("calendar_method", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("ticket_url", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("ticket_url")
        batch_op.drop_column("calendar_method")
        batch_op.drop_column("calendar")

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("reminder_sent_at")
        batch_op.drop_column("invite_sequence")
