"""bulletin follow-through: weekly digests, closing reminders to the interested, when a mode was chosen

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("bulletin_preferences") as batch:
        batch.add_column(sa.Column("mode_since", AWARE, nullable=True))
    # Whoever chose a mode before this revision chose it when they last changed a setting.
    op.execute("UPDATE bulletin_preferences SET mode_since = updated_at")
    with op.batch_alter_table("bulletin_preferences") as batch:
        batch.alter_column("mode_since", existing_type=AWARE, nullable=False)
    op.create_table(
        "bulletin_digests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("opportunity_ids", sa.JSON, nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.UniqueConstraint("person_id", "week"),
    )
    op.create_index("ix_bulletin_digests_person_id", "bulletin_digests", ["person_id"])
    op.create_table(
        "bulletin_digest_weeks",
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("done_at", AWARE, nullable=False),
    )
    op.create_table(
        "bulletin_closing_reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "opportunity_id",
            sa.Integer,
            sa.ForeignKey("opportunities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("closes_on", sa.String(10), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.UniqueConstraint("opportunity_id", "person_id", "closes_on"),
    )
    op.create_index("ix_bulletin_closing_reminders_person_id", "bulletin_closing_reminders", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_bulletin_closing_reminders_person_id", "bulletin_closing_reminders")
    op.drop_table("bulletin_closing_reminders")
    op.drop_table("bulletin_digest_weeks")
    op.drop_index("ix_bulletin_digests_person_id", "bulletin_digests")
    op.drop_table("bulletin_digests")
    with op.batch_alter_table("bulletin_preferences") as batch:
        batch.drop_column("mode_since")
