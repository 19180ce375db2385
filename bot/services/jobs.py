"""Durable time: what must happen at a time is a row, claimed atomically when due."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import JobStatus, ScheduledJob


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
    due = (
        select(ScheduledJob.id)
        .where(ScheduledJob.status == JobStatus.PENDING, col(ScheduledJob.due_at) <= now)
        .order_by(col(ScheduledJob.due_at), col(ScheduledJob.id))
        .limit(limit)
    )
    claimed = await session.exec(
        update(ScheduledJob)
        .where(col(ScheduledJob.id).in_(due), col(ScheduledJob.status) == JobStatus.PENDING)
        .values(status=JobStatus.CLAIMED, claimed_at=now)
        .returning(col(ScheduledJob.id))
    )
    ids = [row[0] for row in claimed.all()]
    await session.commit()
    if not ids:
        return []
    rows = await session.exec(
        select(ScheduledJob).where(col(ScheduledJob.id).in_(ids)).order_by(col(ScheduledJob.id))
    )
    return list(rows.all())


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
