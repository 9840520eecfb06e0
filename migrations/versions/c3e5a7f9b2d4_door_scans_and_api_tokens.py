"""Door scans (every scan, with its result) and API tokens.

Revision ID: c3e5a7f9b2d4
Revises: 0fa92be3c1d8
Create Date: 2026-11-26 03:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c3e5a7f9b2d4"
down_revision = "0fa92be3c1d8"
branch_labels = None
depends_on = None

RESULTS = (
    "'checked_in', 'already_checked_in', 'cancelled', 'waitlisted', "
    "'other_event', 'unknown', 'malformed', 'undone'"
)


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name=op.f("fk_api_token_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_table(
        "scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("scanned", sa.String(length=300), nullable=False),
        sa.Column("result", sa.String(length=24), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("api_token_id", sa.Integer(), nullable=True),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"result IN ({RESULTS})", name=op.f("ck_scan_result_known")),
        sa.ForeignKeyConstraint(
            ["api_token_id"],
            ["api_token.id"],
            name=op.f("fk_scan_api_token_id_api_token"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_scan_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_scan_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_scan_staff_user_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan")),
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.create_index("ix_scan_event_created", ["event_id", "created_at"], unique=False)
        batch_op.create_index(
            "uq_scan_event_nonce",
            ["event_id", "nonce"],
            unique=True,
            sqlite_where=sa.text("nonce IS NOT NULL"),
            postgresql_where=sa.text("nonce IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_index("uq_scan_event_nonce")
        batch_op.drop_index("ix_scan_event_created")
    op.drop_table("scan")
    op.drop_table("api_token")
