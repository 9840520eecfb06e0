"""Audit log of staff actions: who, what, when, on which record, before and after.

Revision ID: 0fa92be3c1d8
Revises: b7d2e91c4a60
Create Date: 2026-11-26 02:47:45.022311

"""

import sqlalchemy as sa
from alembic import op

revision = "0fa92be3c1d8"
down_revision = "b7d2e91c4a60"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_user.id"],
            name=op.f("fk_audit_entry_actor_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_audit_entry_event_id_event"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_audit_entry_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_audit_entry_event_created", ["event_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_audit_entry_actor_created", ["actor_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_audit_entry_registration", ["registration_id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_registration")
        batch_op.drop_index("ix_audit_entry_actor_created")
        batch_op.drop_index("ix_audit_entry_event_created")
        batch_op.drop_index("ix_audit_entry_created_at")

    op.drop_table("audit_entry")
