"""the module chosen at the invite, and the coordinator's contact notes (kind, minutes, who
took part), with the hours and contacts they add to the case log

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.db.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_module", sa.Integer(), nullable=True))
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        for column in ("coaching_minutes", "coordination_minutes"):
            batch_op.add_column(
                sa.Column(column, sa.Integer(), nullable=False, server_default="0")
            )
        batch_op.add_column(
            sa.Column(
                "contacts_established", sa.String(length=120), nullable=False, server_default=""
            )
        )
    op.create_table(
        "contactnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("participants", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("held_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contactnote_patient_id", "contactnote", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_contactnote_patient_id", table_name="contactnote")
    op.drop_table("contactnote")
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        for column in ("contacts_established", "coordination_minutes", "coaching_minutes"):
            batch_op.drop_column(column)
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("first_module")
