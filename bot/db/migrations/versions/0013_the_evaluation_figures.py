"""the evaluation's figures on the case log's row (modules finished, contact days kept and
missed, first and last WHO-5 and WAI, the return to work), the day a patient declined (the
overview counts each event in its own span), and the plan's back-at-work date

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = ("contacts_kept", "contacts_missed", "who5_measures", "wai_measures")
_SCORES = ("who5_first", "who5_last", "wai_first", "wai_last")
_BANDS = ("wai_first_band", "wai_last_band")


def upgrade() -> None:
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("modules_done", sa.String(length=20), nullable=False, server_default="")
        )
        for name in _COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        for name in _SCORES:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))
        for name in _BANDS:
            batch_op.add_column(sa.Column(name, sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("back_at_work_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("declined_on", sa.Date(), nullable=True))
    with op.batch_alter_table("rehabplan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("back_at_work", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rehabplan", schema=None) as batch_op:
        batch_op.drop_column("back_at_work")
    with op.batch_alter_table("caserecord", schema=None) as batch_op:
        for name in (
            "declined_on",
            "back_at_work_on",
            *_BANDS,
            *_SCORES,
            *_COUNTS,
            "modules_done",
        ):
            batch_op.drop_column(name)
