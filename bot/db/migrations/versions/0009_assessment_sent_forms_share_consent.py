"""the coordinator's method: the risk and needs assessment, the forms a coordinator sends,
the consent to share information, and what the case log keeps of them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.db.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CASE_COUNTS = ("areas_in_need", "consent_to_share")


def _per_patient(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{name}_patient_id", name, ["patient_id"])


def upgrade() -> None:
    _per_patient(
        "assessment",
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("needs", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", UTCDateTime(timezone=True), nullable=False),
    )
    _per_patient(
        "formrequest",
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
    )
    _per_patient(
        "shareconsent",
        sa.Column("actors", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("given_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.BigInteger(), nullable=True),
    )
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("assessments", sa.Integer(), nullable=False, server_default="0")
        )
        for column in _CASE_COUNTS:
            batch_op.add_column(
                sa.Column(column, sa.String(length=120), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        for column in (*_CASE_COUNTS, "assessments"):
            batch_op.drop_column(column)
    for name in ("shareconsent", "formrequest", "assessment"):
        op.drop_index(f"ix_{name}_patient_id", table_name=name)
        op.drop_table(name)
