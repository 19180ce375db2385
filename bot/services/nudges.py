"""A nudge for a patient who has not opened their active module for some days (at most one
a day, and never for one who turned them off), and the reminder a patient asked for at a
pause. Who is idle is one query, used both to plan nudges and to check one still applies."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import (
    ModuleProgress,
    ModuleStatus,
    Patient,
    PatientStatus,
    ProgramPhase,
    ScheduledJob,
)
from bot.domain import timing
from bot.domain.job_kinds import JobKind
from bot.services import heads_up, jobs
from bot.texts import heads_up as heads_up_lines
from bot.texts import notices


def _idle(ctx: AppContext, now: datetime) -> Any:
    """Patients taking part, nudges on, not nudged today, with an active module not opened
    for `nudge_after_days`; with that module's number."""
    since = now - timedelta(days=ctx.settings.nudge_after_days)
    today = now.astimezone(ctx.settings.tz).date()
    last_seen = func.coalesce(ModuleProgress.last_opened_at, ModuleProgress.activated_at)
    return (
        select(Patient, ModuleProgress.module)
        .join(ModuleProgress, col(ModuleProgress.patient_id) == col(Patient.id))
        .where(
            Patient.status == PatientStatus.ACTIVE,
            Patient.phase == ProgramPhase.RUNNING,
            col(Patient.nudges_on).is_(True),
            or_(col(Patient.last_nudged_on).is_(None), col(Patient.last_nudged_on) < today),
            ModuleProgress.status == ModuleStatus.ACTIVE,
            last_seen <= since,
        )
        .order_by(col(Patient.id), col(ModuleProgress.module))
    )


async def plan(session: AsyncSession, ctx: AppContext, now: datetime) -> None:
    """Schedule today's nudge for every idle patient (one query, however many there are)."""
    tz = ctx.settings.tz
    today = now.astimezone(tz).date()
    due = timing.outside_quiet_hours(max(now, timing.at_local(today, timing.NUDGE, tz)), tz)
    found = await session.exec(_idle(ctx, now))
    for patient_id in dict.fromkeys(patient.key for patient, _module in found.all()):
        await jobs.schedule(
            session, key=f"nudge:{patient_id}:{today.isoformat()}", kind=JobKind.NUDGE,
            due_at=due, patient_id=patient_id,
        )  # fmt: skip


async def idle_module(
    session: AsyncSession, ctx: AppContext, patient: Patient, now: datetime
) -> int | None:
    """The active module the patient has left idle, if they are still one to nudge."""
    found = await session.exec(_idle(ctx, now).where(col(Patient.id) == patient.key))
    first = found.first()
    return first[1] if first else None


async def nudge(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, now: datetime
) -> bool:
    today = now.astimezone(ctx.settings.tz).date()
    if patient.last_nudged_on is not None and patient.last_nudged_on >= today:
        return False  # never more than one a day
    if job.kind == JobKind.PAUSE_REMINDER:
        with ctx.speaking(patient.language):
            text = notices.pause_reminder()
    else:
        module = await idle_module(session, ctx, patient, now)
        if module is None:
            return False  # opened meanwhile, or nudges turned off
        with ctx.speaking(patient.language):
            text = notices.nudge(module)
    patient.last_nudged_on = today
    session.add(patient)
    await jobs.tell(session, ctx, job, patient, text, now)
    if job.kind == JobKind.NUDGE:
        await jobs.schedule(
            session, key=f"idle:{patient.key}:{today.isoformat()}", kind=JobKind.IDLE_NOTICE,
            due_at=now + timedelta(days=ctx.settings.idle_notice_days), patient_id=patient.key,
            data={"nudged_at": now.isoformat()},
        )  # fmt: skip
    return True


async def idle_notice(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, now: datetime
) -> bool:
    """Days after a nudge, the coordinator hears if the patient has still not opened the
    program; not if they came back, or finished every module meanwhile."""
    nudged = datetime.fromisoformat(jobs.data_of(job)["nudged_at"])
    found = await session.exec(
        select(func.max(func.coalesce(ModuleProgress.last_opened_at, ModuleProgress.activated_at)))
        .where(
            ModuleProgress.patient_id == patient.key,
            ModuleProgress.status == ModuleStatus.ACTIVE,
        )
    )  # fmt: skip
    last_seen = found.one()
    if last_seen is None or last_seen >= nudged:
        return False
    with ctx.staff_speaking():
        text = heads_up_lines.idle(
            (now - last_seen).days, nudged, ctx.settings.staff_language, ctx.settings.tz
        )
    return await heads_up.tell_topic(session, ctx, patient, job.key, JobKind.IDLE_NOTICE, text)
