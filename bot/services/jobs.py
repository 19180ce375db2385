"""Durable time: what must happen at a time is a row, claimed atomically when due."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db import claims
from bot.db.models import JobStatus, Patient, ScheduledJob
from bot.domain import timing
from bot.services import outbox


async def schedule(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    due_at: datetime,
    patient_id: int | None = None,
    unit_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> ScheduledJob | None:
    """A job, once per key: scheduling the same thing twice does nothing."""
    found = await session.exec(select(ScheduledJob).where(ScheduledJob.key == key))
    existing = found.first()
    if existing is not None:
        if existing.status != JobStatus.CANCELLED:
            return None
        existing.status = JobStatus.PENDING  # set again after being called off
        existing.due_at = due_at
        session.add(existing)
        return existing
    job = ScheduledJob(
        key=key[:160],
        kind=kind,
        due_at=due_at,
        patient_id=patient_id,
        unit_id=unit_id,
        data=json.dumps(data or {}),
    )
    session.add(job)
    await session.flush()
    return job


async def cancel(session: AsyncSession, patient_id: int, kinds: tuple[str, ...]) -> None:
    await session.exec(
        update(ScheduledJob)
        .where(
            col(ScheduledJob.patient_id) == patient_id,
            col(ScheduledJob.kind).in_(kinds),
            col(ScheduledJob.status) == JobStatus.PENDING,
        )
        .values(status=JobStatus.CANCELLED)
    )


async def claim_due(session: AsyncSession, now: datetime, limit: int = 500) -> list[ScheduledJob]:
    return await claims.claim_due(
        session,
        ScheduledJob,
        due=ScheduledJob.due_at,
        pending=JobStatus.PENDING,
        claimed=JobStatus.CLAIMED,
        now=now,
        limit=limit,
    )


def finish(job: ScheduledJob, status: JobStatus, now: datetime) -> None:
    job.status = status
    job.done_at = now


def data_of(job: ScheduledJob) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(job.data)
    return loaded


async def release_claimed(session: AsyncSession) -> None:
    """Jobs a crashed run had claimed: due again. Running one twice is harmless, because what
    a job does is queue messages under dedupe keys."""
    await session.exec(
        update(ScheduledJob)
        .where(col(ScheduledJob.status) == JobStatus.CLAIMED)
        .values(status=JobStatus.PENDING)
    )
    await session.commit()


async def tell(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, text: str,
    now: datetime,
) -> None:  # fmt: skip
    """A job's message to the patient, under the job's key (a job run twice sends once),
    held back to the morning when it falls due in the night."""
    await outbox.tell_patient(
        session, ctx.vault, patient, text, job.key, now, purpose=job.kind,
        not_before=timing.outside_quiet_hours(now, ctx.settings.tz),
    )  # fmt: skip
