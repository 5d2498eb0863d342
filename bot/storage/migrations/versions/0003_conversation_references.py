"""conversation references for proactive Teams messages

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_references",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("conversation_id", sa.String(length=300), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("platform", "conversation_id"),
    )
    with op.batch_alter_table("conversation_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_references_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversation_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_references_person_id"))

    op.drop_table("conversation_references")
