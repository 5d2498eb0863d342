"""windows: promotion windows, their lead-time slots, one reminder per recipient; people.grade_since

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("people") as people:
        people.add_column(sa.Column("grade_since", sa.Date, nullable=True))
    op.create_table(
        "windows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("opens", sa.Date, nullable=False),
        sa.Column("closes", sa.Date, nullable=False),
        sa.Column("recurrence", sa.String(10), nullable=False),
        sa.Column("eligible", sa.JSON, nullable=False),
        sa.Column("criteria_text", sa.Text, nullable=False),
        sa.Column("criteria_link", sa.String(500), nullable=False),
        sa.Column("mentoring_contact", sa.String(320), nullable=False),
        sa.Column("mentoring_how", sa.Text, nullable=False),
        sa.Column("leads", sa.JSON, nullable=False),
        sa.Column("deleted_at", AWARE),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
    )
    op.create_table(
        "window_slots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("window_id", sa.Integer, sa.ForeignKey("windows.id", ondelete="CASCADE"), nullable=False),
        sa.Column("occurrence", sa.String(10), nullable=False),
        sa.Column("lead", sa.String(20), nullable=False),
        sa.Column("due_at", AWARE, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.UniqueConstraint("window_id", "occurrence", "lead"),
    )
    op.create_index("ix_window_slots_due", "window_slots", ["state", "due_at"])
    op.create_table(
        "window_reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("window_id", sa.Integer, sa.ForeignKey("windows.id", ondelete="CASCADE"), nullable=False),
        sa.Column("occurrence", sa.String(10), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lead", sa.String(40), nullable=False),
        sa.Column("state", sa.String(14), nullable=False),
        sa.Column("due_at", AWARE, nullable=False),
        sa.Column("delivery_id", sa.Integer),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
        sa.UniqueConstraint("window_id", "occurrence", "person_id", "lead"),
    )
    op.create_index("ix_window_reminders_due", "window_reminders", ["state", "due_at"])
    op.create_index("ix_window_reminders_window", "window_reminders", ["window_id", "occurrence"])
    op.create_index("ix_window_reminders_person_id", "window_reminders", ["person_id"])
    op.create_table(
        "window_opt_outs",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("since", AWARE, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("window_opt_outs")
    op.drop_table("window_reminders")
    op.drop_table("window_slots")
    op.drop_table("windows")
    with op.batch_alter_table("people") as people:
        people.drop_column("grade_since")
