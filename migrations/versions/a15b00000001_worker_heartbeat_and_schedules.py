"""The worker: its heartbeat and the scheduled runs it took

worker_heartbeat holds each node's last beat (/readyz). scheduled_run holds one row per
scheduled job and slot: the primary key lets exactly one worker of all machines run it.
(The NOTIFY that wakes the workers is sent after the commit, not by a trigger: see
docs/worker.md.)

Revision ID: a15b00000001
Revises: a16d00f1ff1e
Create Date: 2026-12-03 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a15b00000001"
down_revision = "a16d00f1ff1e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "worker_heartbeat",
        sa.Column("node", sa.String(length=100), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("node", name=op.f("pk_worker_heartbeat")),
    )
    op.create_table(
        "scheduled_run",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("node", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("job", "slot", name=op.f("pk_scheduled_run")),
    )


def downgrade():
    op.drop_table("scheduled_run")
    op.drop_table("worker_heartbeat")
