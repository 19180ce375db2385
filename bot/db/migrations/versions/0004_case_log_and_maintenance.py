"""case log and maintenance

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 01:58:51.500384
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "caserecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("sex", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("target_group", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("started_month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("ended_month", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("modules_finished", sa.Integer(), nullable=False),
        sa.Column("ended_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["careunit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_caserecord_unit_id"), ["unit_id"], unique=False)

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("maintenance_since", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("maintenance_since")

    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_caserecord_unit_id"))

    op.drop_table("caserecord")
