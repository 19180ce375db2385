"""staff chat, routing and alerts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:58:55.152187
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "careunit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("staff_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.String(length=16), nullable=False),
        sa.Column("fallback_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("forum", sa.Boolean(), nullable=False),
        sa.Column("admins_checked_at", bot.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("staff_chat_id"),
    )
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.BigInteger(), nullable=False),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["careunit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "coordinator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("allow_listed", sa.Boolean(), nullable=False),
        sa.Column("away_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["careunit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "user_id"),
    )
    with op.batch_alter_table("coordinator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coordinator_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "staffdialog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["careunit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "user_id"),
    )
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("raised_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff_message_id", sa.Integer(), nullable=True),
        sa.Column("escalate_at", bot.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("acknowledged_by", sa.BigInteger(), nullable=True),
        sa.Column("acknowledged_at", bot.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["careunit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alert_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "checklisttick",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("module", sa.Integer(), nullable=False),
        sa.Column("item", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("ticked_by", sa.BigInteger(), nullable=False),
        sa.Column("ticked_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id", "module", "item"),
    )
    with op.batch_alter_table("checklisttick", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklisttick_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "plannote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("written_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plannote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plannote_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "relay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=False),
        sa.Column("copy_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("copy_message_id", sa.Integer(), nullable=True),
        sa.Column("media_group_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("triage", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", bot.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("relay", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relay_copy_message_id"), ["copy_message_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_relay_patient_id"), ["patient_id"], unique=False)

    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("target_group", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("sick_leave_start", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("contact_way", sa.String(length=8), nullable=False, server_default="phone")
        )
        batch_op.add_column(
            sa.Column("next_contact_at", bot.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("coordinator_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("phase", sa.String(length=12), nullable=False, server_default="running")
        )
        batch_op.add_column(sa.Column("topic_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("card_message_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "card_digest",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("blocked_bot", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_patient_unit_id"), ["unit_id"], unique=False)
        batch_op.create_foreign_key("fk_patient_unit_id_careunit", "careunit", ["unit_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_patient_coordinator_id_coordinator", "coordinator", ["coordinator_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_constraint("fk_patient_coordinator_id_coordinator", type_="foreignkey")
        batch_op.drop_constraint("fk_patient_unit_id_careunit", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_patient_unit_id"))
        batch_op.drop_column("blocked_bot")
        batch_op.drop_column("card_digest")
        batch_op.drop_column("card_message_id")
        batch_op.drop_column("topic_id")
        batch_op.drop_column("phase")
        batch_op.drop_column("coordinator_id")
        batch_op.drop_column("next_contact_at")
        batch_op.drop_column("contact_way")
        batch_op.drop_column("sick_leave_start")
        batch_op.drop_column("target_group")
        batch_op.drop_column("sex")
        batch_op.drop_column("unit_id")

    with op.batch_alter_table("relay", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relay_patient_id"))
        batch_op.drop_index(batch_op.f("ix_relay_copy_message_id"))

    op.drop_table("relay")
    with op.batch_alter_table("plannote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plannote_patient_id"))

    op.drop_table("plannote")
    with op.batch_alter_table("checklisttick", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklisttick_patient_id"))

    op.drop_table("checklisttick")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_unit_id"))
        batch_op.drop_index(batch_op.f("ix_alert_patient_id"))

    op.drop_table("alert")
    op.drop_table("staffdialog")
    with op.batch_alter_table("coordinator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordinator_unit_id"))

    op.drop_table("coordinator")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditentry_unit_id"))
        batch_op.drop_index(batch_op.f("ix_auditentry_patient_id"))

    op.drop_table("auditentry")
    op.drop_table("careunit")
