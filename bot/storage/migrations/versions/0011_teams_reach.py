"""bot_installs: the Teams teams the bot is installed in, whose rosters reach people who never wrote

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_installs",
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("tenant", sa.String(100), primary_key=True),
        sa.Column("place_id", sa.String(300), primary_key=True),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bot_installs")
