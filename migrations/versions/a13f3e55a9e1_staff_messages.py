"""Messages staff write to registrants by attendance

One row per message written from the back office (the outbox holds one message per
recipient); its submission key, unique, makes a second POST of the same form send nothing.

Revision ID: a13f3e55a9e1
Revises: d82391246fcd
Create Date: 2026-12-03 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a13f3e55a9e1"
down_revision = "a13e5ea4c4b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("segment", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("with_certificate", sa.Boolean(), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "segment IN ('confirmed', 'waitlisted', 'checked_in', 'no_show')",
            name=op.f("ck_staff_message_segment_known"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_message_actor_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_staff_message_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_message")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_staff_message_submission_key")),
    )
    with op.batch_alter_table("staff_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_message_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("staff_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_message_event_id"))
    op.drop_table("staff_message")
