"""What runs on a clock, in one place.

APScheduler drives two ticks every half minute:
- `Clockwork.tick`: plans what is newly due (today's digest, nudges) and runs the due jobs,
  each by its kind (`bot/domain/job_kinds.py`) through one table, `FOR_PATIENT`, to the
  service function that runs it: contact reminders (`services/contacts.remind`; when they
  fall: `domain/timing.py`), nudges and pause reminders (`services/nudges.nudge`), the
  maintenance countdown (`services/maintenance.countdown`), consent renewal and lapse
  (`services/consent.renew_or_lapse`), the plan's review reminder (`services/plans`), and the
  unit's morning digest (`services/digest`);
- `Clockwork.upkeep`: the coordinators read again from each staff chat, messages stored but
  never queued, and the escalation of alerts nobody acknowledged (`services/alerts`).
What is due lives in the database (`job`, `outbox`), so a restart loses nothing; a tick that
is still running when the next is due is not started twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import JobStatus, Patient, PatientStatus, ProgramPhase, ScheduledJob
from bot.db.session import SessionFactory
from bot.delivery.admins import Admins
from bot.domain.job_kinds import CONSENT_JOBS, CONTACT_JOBS, MAINTENANCE_JOBS, NUDGE_JOBS, JobKind
from bot.services import (
    alerts,
    caseload,
    consent,
    contacts,
    digest,
    jobs,
    maintenance,
    nudges,
    plans,
    relaying,
)  # fmt: skip

log = logging.getLogger(__name__)
TICK_SECONDS = 30
PLAN_EVERY = timedelta(minutes=10)
COMMIT_EVERY = 25
YIELD_SECONDS = 0.03

PatientJob = Callable[[AsyncSession, AppContext, ScheduledJob, Patient, datetime], Awaitable[bool]]
# Each returns False when the job no longer applies (the contact moved, the module was
# opened, consent renewed).
FOR_PATIENT: dict[JobKind, PatientJob] = {
    **dict.fromkeys(CONTACT_JOBS, contacts.remind),
    **dict.fromkeys(NUDGE_JOBS, nudges.nudge),
    JobKind.IDLE_NOTICE: nudges.idle_notice,
    **dict.fromkeys(MAINTENANCE_JOBS, maintenance.countdown),
    **dict.fromkeys(CONSENT_JOBS, consent.renew_or_lapse),
    JobKind.PLAN_REVIEW: plans.review_due,
}
UnitJob = Callable[[AsyncSession, AppContext, ScheduledJob, datetime], Awaitable[bool]]
# The unit's own: the morning digest, and the weekly notice of sick leave without a plan.
FOR_UNIT: dict[JobKind, UnitJob] = {
    JobKind.DIGEST: digest.send,
    JobKind.NO_PLAN_NOTICE: caseload.no_plan_notice,
}
KINDS = frozenset(JobKind)
Kick = Callable[[bool], None]  # the sender's: something was queued (`True`: safety lane)


class Clockwork:
    def __init__(
        self, ctx: AppContext, session_factory: SessionFactory, kick: Kick, admins: Admins
    ) -> None:
        self.ctx = ctx
        self.session_factory = session_factory
        self.kick = kick
        self.admins = admins
        self._planned_at: datetime | None = None

    async def recover(self) -> None:
        """Jobs a dead run had claimed are due again."""
        async with self.session_factory() as session:
            await jobs.release_claimed(session)

    async def tick(self) -> None:
        now = self.ctx.clock()
        grace = timedelta(hours=self.ctx.settings.catch_up_grace_hours)
        async with self.session_factory() as session:
            if self._planned_at is None or now - self._planned_at >= PLAN_EVERY:
                await digest.plan(session, self.ctx, now)
                await nudges.plan(session, self.ctx, now)
                self._planned_at = now
                await session.commit()
            for n, job in enumerate(await jobs.claim_due(session, now), start=1):
                if job.due_at < now - grace:
                    log.info("job %s fell due at %s, beyond the grace period", job.key, job.due_at)
                    jobs.finish(job, JobStatus.SKIPPED, now)
                else:
                    done = await self.run(session, job, now)
                    jobs.finish(job, JobStatus.DONE if done else JobStatus.SKIPPED, now)
                session.add(job)
                # Committed in batches: a crash re-runs the batch, and the messages' dedupe
                # keys keep that from sending anything twice.
                if n % COMMIT_EVERY == 0:
                    await session.commit()
                    self.kick(False)
                    # Leave the database to the sender for a moment: SQLite's lock is not
                    # fair, and a fan-out should send while it is still being queued.
                    await asyncio.sleep(YIELD_SECONDS)
            await session.commit()
        self.kick(False)

    async def run(self, session: AsyncSession, job: ScheduledJob, now: datetime) -> bool:
        """Queue what the job says; False when it no longer applies."""
        for_unit = FOR_UNIT.get(JobKind(job.kind)) if job.kind in KINDS else None
        if for_unit is not None:
            return await for_unit(session, self.ctx, job, now)
        patient = await session.get(Patient, job.patient_id) if job.patient_id else None
        if patient is None or patient.chat_id is None:
            return False
        if patient.status != PatientStatus.ACTIVE or patient.phase == ProgramPhase.ENDED:
            return False
        runner = FOR_PATIENT.get(JobKind(job.kind)) if job.kind in KINDS else None
        if runner is None:
            log.error("unknown job kind %s", job.kind)
            return False
        return await runner(session, self.ctx, job, patient, now)

    async def upkeep(self) -> None:
        await self.admins.refresh_all()
        async with self.session_factory() as session:
            await relaying.queue_orphans(session, self.ctx)
            await session.commit()
            await alerts.escalate_due(session, self.ctx)
        self.kick(True)  # escalations go in the safety lane


def create_scheduler(clockwork: Clockwork) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    for tick in (clockwork.tick, clockwork.upkeep):
        scheduler.add_job(tick, "interval", seconds=TICK_SECONDS, max_instances=1, coalesce=True)
    return scheduler
