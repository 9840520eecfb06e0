"""Walk-ins without an e-mail address

Door staff register someone who turns up without a ticket by name and organisation; the
address is optional there. A registration without one gets no message. NULL, not "", so
that the unique index on (event, address) of active registrations lets many of them be.

Revision ID: a13d00e0c1a5
Revises: d82391246fcd
Create Date: 2026-12-03 04:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a13d00e0c1a5"
down_revision = "a13f3e55a9e1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=True)


def downgrade():
    registration = sa.table(
        "registration", sa.column("id", sa.Integer), sa.column("email", sa.String)
    )
    # The same placeholder as an erased address: reserved, never delivered.
    op.get_bind().execute(
        registration.update()
        .where(registration.c.email.is_(None))
        .values(
            email=sa.literal("sans-adresse-")
            + sa.cast(registration.c.id, sa.String)
            + sa.literal("@invalid")
        )
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)
