"""Languages of registrants and staff; drop the unused API token last-use column

Revision ID: d4a8c1e6f2b9
Revises: c3e5a7f9b2d4
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4a8c1e6f2b9"
down_revision = "c3e5a7f9b2d4"
branch_labels = None
depends_on = None


def upgrade():
    # Registrations made so far were made in French.
    with op.batch_alter_table("registration") as batch_op:
        batch_op.add_column(
            sa.Column("locale", sa.String(length=8), server_default="fr", nullable=False)
        )
    with op.batch_alter_table("staff_user") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.drop_column("last_used_at")


def downgrade():
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("staff_user") as batch_op:
        batch_op.drop_column("locale")
    with op.batch_alter_table("registration") as batch_op:
        batch_op.drop_column("locale")
