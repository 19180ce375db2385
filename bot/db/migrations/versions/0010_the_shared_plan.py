"""the shared rehabilitation plan: the coordinator's additions by kind (activity, sub-goal,
note), and the plan's dates, established and followed up

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.db.types import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_DATES = ("started_on", "planned_end", "employer_meeting", "first_follow_up")


def upgrade() -> None:
    with op.batch_alter_table("plannote", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), nullable=False, server_default="note")
        )
    op.create_table(
        "rehabplan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Date(), nullable=True)
            for name in ("started_on", "planned_end", "employer_meeting", "first_follow_up")
        ),
        sa.Column("established_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("followed_up_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("follow_ups", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id"),
    )


def downgrade() -> None:
    op.drop_table("rehabplan")
    with op.batch_alter_table("plannote", schema=None) as batch_op:
        batch_op.drop_column("kind")
