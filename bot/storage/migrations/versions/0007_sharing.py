"""assessments.review and notifications: sharing an assessment with a manager

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("about_person_id", sa.Integer(), nullable=True),
        sa.Column("about_assessment_id", sa.Integer(), nullable=True),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["about_person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["about_assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        for column in ("person_id", "about_person_id", "about_assessment_id", "delivered_at"):
            batch_op.create_index(batch_op.f(f"ix_notifications_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        for column in ("delivered_at", "about_assessment_id", "about_person_id", "person_id"):
            batch_op.drop_index(batch_op.f(f"ix_notifications_{column}"))
    op.drop_table("notifications")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("review")
