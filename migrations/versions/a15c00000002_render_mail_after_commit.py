"""Mail rendered after the commit: bodies filled later, what the change decided recorded

A registration's messages are no longer rendered inside its transaction (under the event's
lock): the outbox row records the registration's status, place in line and language at the
change, and the invite's SEQUENCE, and the sender renders the subject and bodies before the
first attempt. Until then they are empty.

Revision ID: a15c00000002
Revises: a15b00000001
Create Date: 2026-12-03 07:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a15c00000002"
down_revision = "a15b00000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_sequence", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("status_at_change", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("position_at_change", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
        batch_op.alter_column("subject", existing_type=sa.String(length=255), nullable=True)
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=True)
        batch_op.alter_column("body_html", existing_type=sa.Text(), nullable=True)


def downgrade():
    # A message not rendered yet has no body to keep: it is dropped with the columns
    # that would have rendered it (the sender renders pending messages within seconds).
    op.execute("DELETE FROM outbox_message WHERE body_text IS NULL")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.alter_column("body_html", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("subject", existing_type=sa.String(length=255), nullable=False)
        batch_op.drop_column("locale")
        batch_op.drop_column("position_at_change")
        batch_op.drop_column("status_at_change")
        batch_op.drop_column("invite_sequence")
