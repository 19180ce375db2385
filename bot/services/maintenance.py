"""Vidmakthåll: the weeks after the last module, counted down to the end of the program,
when everything personal is deleted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Patient, ProgramPhase, ScheduledJob
from bot.domain import timing
from bot.domain.job_kinds import MAINTENANCE_JOBS, JobKind
from bot.services import ending, jobs
from bot.texts import notices


async def start_maintenance(
    session: AsyncSession, patient: Patient, *, now: datetime, weeks: int, tz: ZoneInfo
) -> datetime:
    """Vidmakthåll: the countdown to the end of the program; returns when it ends."""
    patient.phase = ProgramPhase.MAINTENANCE
    patient.maintenance_since = now
    session.add(patient)
    due = timing.maintenance_schedule(now, weeks, tz)
    await jobs.cancel(session, patient.key, MAINTENANCE_JOBS)
    for kind, at in due.items():
        await jobs.schedule(
            session,
            key=f"{kind}:{patient.key}:{now.isoformat()}",
            kind=kind,
            due_at=at,
            patient_id=patient.key,
            data={"ends": due[JobKind.MAINTENANCE_END].isoformat()},
        )
    return due[JobKind.MAINTENANCE_END]


async def countdown(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, now: datetime
) -> bool:
    """A warning that the program ends soon, or its end."""
    if patient.phase != ProgramPhase.MAINTENANCE:
        return False  # taken out of maintenance meanwhile
    if job.kind == JobKind.MAINTENANCE_END:
        await ending.end_program(session, ctx, patient, "program")
        return True
    ends = datetime.fromisoformat(jobs.data_of(job)["ends"]).astimezone(ctx.settings.tz).date()
    with ctx.speaking(patient.language):
        text = notices.program_ends(ends, patient.language)
    await jobs.tell(session, ctx, job, patient, text, now)
    return True
