"""bulletin: opportunities, bulletin channels, interest, clicks, preferences, coordinators' scope

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("coordinator_scope", sa.String(500), nullable=False, server_default=""))
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("link", sa.String(1000), nullable=False),
        sa.Column("closes_on", sa.String(10), nullable=False),
        sa.Column("contact", sa.String(320), nullable=False),
        sa.Column("audience", sa.JSON, nullable=False),
        sa.Column("competencies", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("author_email", sa.String(320), nullable=False),
        sa.Column("approved_by", sa.String(320), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("closed_shown", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("posted_at", AWARE),
        sa.Column("updated_at", AWARE, nullable=False),
    )
    op.create_index("ix_opportunities_status", "opportunities", ["status", "closes_on"])
    op.create_table(
        "bulletin_channels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(300), nullable=False),
        sa.Column("tenant", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(320), nullable=False),
        sa.Column("added_at", AWARE, nullable=False),
        sa.UniqueConstraint("platform", "channel"),
    )
    op.create_table(
        "bulletin_interest",
        sa.Column(
            "opportunity_id",
            sa.Integer,
            sa.ForeignKey("opportunities.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("at", AWARE, nullable=False),
    )
    op.create_table(
        "bulletin_clicks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "opportunity_id",
            sa.Integer,
            sa.ForeignKey("opportunities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE")),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("at", AWARE, nullable=False),
    )
    op.create_index("ix_bulletin_clicks_person_id", "bulletin_clicks", ["person_id"])
    op.create_index(
        "ux_bulletin_clicks_person",
        "bulletin_clicks",
        ["opportunity_id", "person_id"],
        unique=True,
        sqlite_where=sa.text("person_id IS NOT NULL"),
        postgresql_where=sa.text("person_id IS NOT NULL"),
    )
    op.create_table(
        "bulletin_preferences",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("use_assessment", sa.Boolean, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
    )
    op.create_table(
        "signing_keys",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("key", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    for table in ("signing_keys", "bulletin_preferences", "bulletin_clicks", "bulletin_interest"):
        op.drop_table(table)
    op.drop_table("bulletin_channels")
    op.drop_index("ix_opportunities_status", "opportunities")
    op.drop_table("opportunities")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("coordinator_scope")
