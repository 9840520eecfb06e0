"""A management secret per registration apart from the ticket code; staff sessions; mail caps

Revision ID: e5b9d2a7c3f1
Revises: d4a8c1e6f2b9
Create Date: 2026-12-02 18:00:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "e5b9d2a7c3f1"
down_revision = "d4a8c1e6f2b9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration") as batch_op:
        batch_op.add_column(sa.Column("manage_secret", sa.String(length=43), nullable=True))
    # Registrations made so far get their own secret; their e-mails to come will carry it.
    connection = op.get_bind()
    registration = sa.table("registration", sa.column("id"), sa.column("manage_secret"))
    for (registration_id,) in connection.execute(sa.select(registration.c.id)).all():
        connection.execute(
            registration.update()
            .where(registration.c.id == registration_id)
            .values(manage_secret=secrets.token_urlsafe(18))
        )
    with op.batch_alter_table("registration") as batch_op:
        batch_op.alter_column("manage_secret", existing_type=sa.String(length=43), nullable=False)
        batch_op.create_unique_constraint("uq_registration_manage_secret", ["manage_secret"])

    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name="fk_staff_session_user_id_staff_user",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_staff_session"),
        sa.UniqueConstraint("key_hash", name="uq_staff_session_key_hash"),
    )
    op.create_index("ix_staff_session_user_id", "staff_session", ["user_id"])
    op.create_index(
        "ix_outbox_message_recipient_created", "outbox_message", ["recipient", "created_at"]
    )


def downgrade():
    op.drop_index("ix_outbox_message_recipient_created", table_name="outbox_message")
    op.drop_index("ix_staff_session_user_id", table_name="staff_session")
    op.drop_table("staff_session")
    with op.batch_alter_table("registration") as batch_op:
        batch_op.drop_constraint("uq_registration_manage_secret", type_="unique")
        batch_op.drop_column("manage_secret")
