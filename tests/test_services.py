"""The use cases, called as the dialogs, the delivery and the scheduler call them, on a real
SQLite database and without Telegram: what each one stores and queues, committed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import col, select

from bot.app import Infrastructure, build_infrastructure
from bot.config import Settings
from bot.db import migrate
from bot.db.models import (
    Alert,
    AlertKind,
    AuditEntry,
    CaseRecord,
    Lane,
    ModuleProgress,
    ModuleStatus,
    OutboxMessage,
    OutboxMethod,
    OutboxStatus,
    Patient,
    PatientStatus,
    ScheduledJob,
)
from bot.domain.audit import AuditAction
from bot.domain.job_kinds import JobKind
from bot.domain.navigation import ModuleRuleError
from bot.services import cards, casework, ending, nudges, outbox, safety, staff

STAFF_CHAT = -1001000000001
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Stockholm


@pytest.fixture
async def infra(tmp_path: Path) -> AsyncIterator[Infrastructure]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        data_key=Fernet.generate_key().decode(),
        data_dir=tmp_path,
        staff_chat_id=STAFF_CHAT,
    )
    built = build_infrastructure(settings, clock=lambda: NOW)
    await migrate.upgrade(built.engine)
    yield built
    await built.engine.dispose()


async def a_patient(infra: Infrastructure, code: str = "P-1") -> Patient:
    async with infra.session_factory() as session:
        unit = await staff.default_unit(session, infra.context.settings)
        assert unit is not None
        patient = Patient(
            pseudonym=code, status=PatientStatus.ACTIVE, telegram_user_id=4242, chat_id=4242,
            unit_id=unit.key, topic_id=77, joined_at=NOW - timedelta(days=10),
        )  # fmt: skip
        session.add(patient)
        await session.commit()
        return patient


async def queued(infra: Infrastructure) -> list[OutboxMessage]:
    async with infra.session_factory() as session:
        found = await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        return list(found.all())


async def test_changes_before_a_redraw_share_one_card(infra: Infrastructure) -> None:
    patient = await a_patient(infra)
    async with infra.session_factory() as session:
        for _change in range(3):
            await cards.changed(session, infra.context, patient)
        await session.commit()
    rows = await queued(infra)
    assert [row.method for row in rows] == [OutboxMethod.CARD]
    assert rows[0].chat_id == STAFF_CHAT and rows[0].in_topic


async def test_an_alarm_stores_the_alert_the_answer_and_the_card_together(
    infra: Infrastructure,
) -> None:
    patient = await a_patient(infra)
    async with infra.session_factory() as session:
        raised = await safety.alarm(
            session, infra.context, patient, AlertKind.ACUTE, "plan", "I have a plan", "Ring 112"
        )
    assert raised.alert is not None and raised.answer is not None
    rows = await queued(infra)  # committed: a new session sees all three
    answer = next(row for row in rows if row.purpose == "answer:acute")
    assert answer.status == OutboxStatus.SENDING and answer.lane == Lane.SAFETY
    alert = next(row for row in rows if row.method == OutboxMethod.ALERT)
    assert alert.lane == Lane.SAFETY and alert.chat_id == STAFF_CHAT
    assert any(row.method == OutboxMethod.CARD for row in rows)


async def test_ending_a_program_says_goodbye_and_leaves_only_the_case_log(
    infra: Infrastructure,
) -> None:
    patient = await a_patient(infra)
    async with infra.session_factory() as session:
        stored = await session.get(Patient, patient.key)
        assert stored is not None
        await ending.end_program(session, infra.context, stored, "program")
        await session.commit()
    rows = await queued(infra)
    assert {row.purpose for row in rows} == {"goodbye", "ended"}
    assert next(r for r in rows if r.method == OutboxMethod.DROP_TOPIC).thread_id == 77
    note = outbox.outgoing(infra.context.vault, next(r for r in rows if r.chat_id == STAFF_CHAT))
    assert "P-1" in note.text
    async with infra.session_factory() as session:
        assert await session.get(Patient, patient.key) is None
        assert len((await session.exec(select(CaseRecord))).all()) == 1
        assert not (await session.exec(select(Alert))).all()


async def test_a_nudge_is_planned_for_an_idle_module_and_dropped_once_it_is_opened(
    infra: Infrastructure,
) -> None:
    patient = await a_patient(infra)
    async with infra.session_factory() as session:
        session.add(
            ModuleProgress(
                patient_id=patient.key, module=1, status=ModuleStatus.ACTIVE,
                activated_at=NOW - timedelta(days=9),
            )
        )  # fmt: skip
        await nudges.plan(session, infra.context, NOW)
        await session.commit()
        job = (await session.exec(select(ScheduledJob))).one()
        assert job.kind == JobKind.NUDGE and job.patient_id == patient.key
        progress = (await session.exec(select(ModuleProgress))).one()
        progress.last_opened_at = NOW - timedelta(hours=1)  # opened before the nudge went
        session.add(progress)
        stored = await session.get(Patient, patient.key)
        assert stored is not None
        assert not await nudges.nudge(session, infra.context, job, stored, NOW)
    assert await queued(infra) == []


async def test_opening_a_module_is_told_audited_and_drawn_and_a_refusal_changes_nothing(
    infra: Infrastructure,
) -> None:
    patient = await a_patient(infra)
    async with infra.session_factory() as session:
        unit = await staff.default_unit(session, infra.context.settings)
        assert unit is not None
        actor = casework.Actor(unit, 501, "Anna")
        stored = await session.get(Patient, patient.key)
        assert stored is not None
        await casework.change_module(session, infra.context, actor, stored, 1, activate=True)
        with pytest.raises(ModuleRuleError):
            await casework.change_module(session, infra.context, actor, stored, 1, activate=True)
        await session.rollback()
    rows = await queued(infra)
    assert sorted(row.purpose for row in rows) == ["card", "module-open"]
    async with infra.session_factory() as session:
        entries = (await session.exec(select(AuditEntry))).all()
        assert [(e.action, e.actor_name) for e in entries] == [(AuditAction.ACTIVATE, "Anna")]
