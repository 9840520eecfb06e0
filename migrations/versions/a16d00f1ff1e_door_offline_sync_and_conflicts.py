"""The door offline: registrations' last change, offline scans' sync time, check-in conflicts

A phone at the door keeps a copy of the event's tickets and brings it up to date with the
registrations changed since its last copy (registration.updated_at, backfilled with the
creation time). Offline scans reach the server later (scan.synced_at); when two phones let
the same ticket in, both scans are kept in checkin_conflict.

Revision ID: a16d00f1ff1e
Revises: d82391246fcd
Create Date: 2026-12-03 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a16d00f1ff1e"
down_revision = "a13d00e0c1a5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE registration SET updated_at = COALESCE(cancelled_at, created_at)")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index("ix_registration_event_updated", ["event_id", "updated_at"])
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "checkin_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("first_scan_id", sa.Integer(), nullable=False),
        sa.Column("second_scan_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["first_scan_id"], ["scan.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["second_scan_id"], ["scan.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checkin_conflict", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checkin_conflict_registration_id"), ["registration_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("checkin_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_conflict_registration_id"))
    op.drop_table("checkin_conflict")
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_column("synced_at")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_event_updated")
        batch_op.drop_column("updated_at")
