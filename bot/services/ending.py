"""Ending a program: a goodbye to the patient and a note to the coordinators that names no
one, then everything personal deleted, the patient's topic with it."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import OutboxMethod, Patient
from bot.domain.audit import AuditAction
from bot.services import erasure, outbox, staff
from bot.texts import notes, notices


async def end_program(
    session: AsyncSession, ctx: AppContext, patient: Patient, ended_by: str
) -> None:
    """`ended_by`: "program" (the coordinator or the countdown) or "erasure" (the patient
    asked). The caller commits; the goodbye goes once Telegram can take it, and no row of it
    stays after that."""
    unit = await staff.unit_of(session, ctx.settings, patient)
    now = ctx.clock()
    code, topic, pid = patient.pseudonym, patient.topic_id, patient.key
    if patient.chat_id is not None:
        with ctx.speaking(patient.language):
            goodbye = notices.goodbye()
        await outbox.enqueue(
            session, ctx.vault, key=f"goodbye:{pid}", purpose="goodbye",
            chat_id=patient.chat_id, text=goodbye, now=now,
        )  # fmt: skip
    record = await erasure.erase(
        session, ctx.vault, patient, now=now, ended_by=ended_by, today=ctx.today().date()
    )
    if unit is None:
        return
    with ctx.staff_speaking():
        note = notes.program_deleted(code, ended_by)
    await outbox.enqueue(
        session, ctx.vault, key=f"ended:{pid}", purpose="ended",
        chat_id=unit.staff_chat_id, text=note, now=now,
    )  # fmt: skip
    await staff.audit(
        session, unit=unit, actor_id=0, actor_name="bot", action=AuditAction.CONTENT_DELETED,
        detail=f"{ended_by}; case log {record.id}", now=now,
    )  # fmt: skip
    if unit.forum and topic is not None:
        await outbox.enqueue(
            session, ctx.vault, key=f"untopic:{pid}", purpose="ended",
            method=OutboxMethod.DROP_TOPIC, chat_id=unit.staff_chat_id, thread_id=topic,
            now=now,
        )  # fmt: skip
