"""The security desk: its settings, sendings, entries and attachments; the public calendar SEQUENCE

Revision ID: a6a3677a2b9e
Revises: e5b9d2a7c3f1
Create Date: 2026-12-02 17:52:15.937841

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a6a3677a2b9e"
down_revision = "e5b9d2a7c3f1"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "desk_setting",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("cutoff_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_desk_setting_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_desk_setting")),
    )
    op.create_table(
        "desk_entry",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_desk_entry_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_desk_entry_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "registration_id", name=op.f("pk_desk_entry")),
    )
    op.create_table(
        "desk_sending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("resent_id", sa.Integer(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_user.id"],
            name=op.f("fk_desk_sending_actor_id_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_desk_sending_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_message.id"],
            name=op.f("fk_desk_sending_message_id_outbox_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resent_id"], ["desk_sending.id"], name=op.f("fk_desk_sending_resent_id_desk_sending")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_sending")),
    )
    with op.batch_alter_table("desk_sending", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_sending_event_id"), ["event_id"], unique=False)

    op.create_table(
        "outbox_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("sending_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_message.id"],
            name=op.f("fk_outbox_attachment_message_id_outbox_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sending_id"],
            ["desk_sending.id"],
            name=op.f("fk_outbox_attachment_sending_id_desk_sending"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attachment")),
    )
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attachment_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_attachment_sending_id"), ["sending_id"], unique=False
        )

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("calendar_sequence")

    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attachment_sending_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_attachment_message_id"))

    op.drop_table("outbox_attachment")
    with op.batch_alter_table("desk_sending", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_sending_event_id"))

    op.drop_table("desk_sending")
    op.drop_table("desk_entry")
    op.drop_table("desk_setting")
