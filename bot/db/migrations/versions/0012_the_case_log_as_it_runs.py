"""the case log kept from the invite on: the row names the patient until their content is
deleted, with status, age band, dates, storage information and the reason for declining

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DATES = ("offered_on", "started_on", "ended_on")


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("age_band", sa.String(length=8), nullable=True))
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        batch_op.add_column(sa.Column("patient_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pseudonym", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="offered")
        )
        batch_op.add_column(sa.Column("age_band", sa.String(length=8), nullable=True))
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("informed_storage", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("decline_reason", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("decline_comment", sa.LargeBinary(), nullable=True))
        batch_op.create_index("ix_caserecord_patient_id", ["patient_id"])
    # Rows written before: every one was a program's end, accepted or not.
    op.execute(
        "UPDATE caserecord SET status = CASE WHEN accepted THEN 'accepted' ELSE 'declined' END,"
        " informed_storage = accepted"
    )


def downgrade() -> None:
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        batch_op.drop_index("ix_caserecord_patient_id")
        for name in ("decline_comment", "decline_reason", "informed_storage", *_DATES,
                     "age_band", "status", "pseudonym", "patient_id"):  # fmt: skip
            batch_op.drop_column(name)
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("age_band")
