"""deliveries: one ledger for everything the bot sends on its own, with shared throttles and blocks

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("send_id", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("changes_id", sa.Integer, sa.ForeignKey("deliveries.id", ondelete="SET NULL")),
        sa.Column("feature", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(120), nullable=False),
        sa.Column("about_person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="SET NULL")),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE")),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(300), nullable=False),
        sa.Column("card", sa.JSON, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("lease_owner", sa.String(80), nullable=False),
        sa.Column("lease_expires_at", AWARE),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", AWARE, nullable=False),
        sa.Column("last_error", sa.String(120), nullable=False),
        sa.Column("reason", sa.String(120), nullable=False),
        sa.Column("outcome_unknown", sa.Boolean, nullable=False),
        sa.Column("message_ref", sa.JSON, nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
        sa.Column("sent_at", AWARE),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_deliveries_send", "deliveries", ["send_id"])
    op.create_index("ix_deliveries_subject", "deliveries", ["feature", "subject"])
    op.create_index("ix_deliveries_about_person_id", "deliveries", ["about_person_id"])
    op.create_index("ix_deliveries_person_id", "deliveries", ["person_id"])
    op.create_table(
        "delivery_throttles",
        sa.Column("scope", sa.String(300), primary_key=True),
        sa.Column("next_slot_at", AWARE, nullable=False),
        sa.Column("throttled_until", AWARE),
        sa.Column("throttled_seconds", sa.Float, nullable=False),
    )
    op.create_table(
        "delivery_blocks",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("reason", sa.String(120), nullable=False),
        sa.Column("since", AWARE, nullable=False),
    )
    # The old path's waiting cards move to the ledger: undelivered ones as pending posts.
    op.execute(
        """
        INSERT INTO deliveries (send_id, kind, feature, subject, about_person_id, person_id, platform,
            channel, card, state, lease_owner, attempts, next_attempt_at, last_error, reason, outcome_unknown,
            message_ref, created_at, updated_at)
        SELECT 'notification:' || id, 'post', 'assessment.share',
            CASE WHEN about_assessment_id IS NULL THEN '' ELSE 'assessment:' || about_assessment_id END,
            about_person_id, person_id, '', '', card, 'pending', '', 0, created_at, '', '', false, '{}',
            created_at, created_at
        FROM notifications WHERE delivered_at IS NULL
        """
    )
    op.drop_table("notifications")


def downgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("about_person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE")),
        sa.Column("about_assessment_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="CASCADE")),
        sa.Column("card", sa.JSON, nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("delivered_at", AWARE),
    )
    op.drop_table("delivery_blocks")
    op.drop_table("delivery_throttles")
    op.drop_table("deliveries")
