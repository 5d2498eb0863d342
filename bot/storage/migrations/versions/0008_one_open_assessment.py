"""assessments: at most one open (in progress or paused) per person, even under concurrent starts

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('score', 'evidence', 'paused')")


def upgrade() -> None:
    op.create_index(
        "ux_assessments_one_open",
        "assessments",
        ["person_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ux_assessments_one_open", table_name="assessments")
