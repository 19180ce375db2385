"""The shared rehabilitation plan, stored and read: gathered from the patient's plan forms
and the coordinator's additions (bot/domain/plan.py), with its dates in `rehabplan`. When
its first follow-up is set, a review reminder for the coordinators is scheduled."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Patient, PlanNote, RehabPlan, ScheduledJob
from bot.db.vault import Vault
from bot.domain import timing
from bot.domain.job_kinds import JobKind
from bot.domain.plan import (
    PLAN_FORMS,
    Change,
    ChangeKind,
    DateField,
    Plan,
    PlanDates,
    gather,
)  # fmt: skip
from bot.services import forms as form_store
from bot.services import heads_up, jobs
from bot.texts import plan as words

REVIEW_AT = time(8, 30)


async def _row(session: AsyncSession, patient_id: int) -> RehabPlan | None:
    found = await session.exec(select(RehabPlan).where(RehabPlan.patient_id == patient_id))
    return found.first()


async def _row_or_new(session: AsyncSession, patient_id: int) -> RehabPlan:
    return await _row(session, patient_id) or RehabPlan(patient_id=patient_id)


def _dates(row: RehabPlan | None) -> PlanDates:
    if row is None:
        return PlanDates()
    return PlanDates(
        row.started_on, row.planned_end, row.employer_meeting, row.first_follow_up,
        row.back_at_work, row.established_at, row.followed_up_at,
    )  # fmt: skip


def _change(vault: Vault, note: PlanNote) -> Change:
    sealed: Any = vault.open(note.payload)
    if note.kind == ChangeKind.NOTE or not isinstance(sealed, dict):
        return Change(ChangeKind.NOTE, str(sealed))
    day = sealed.get("day")
    return Change(
        ChangeKind(note.kind), sealed.get("text", ""), sealed.get("who", ""),
        date.fromisoformat(day) if day else None,
    )  # fmt: skip


async def plan_of(session: AsyncSession, vault: Vault, patient: Patient) -> Plan:
    responses = await form_store.responses(session, vault, patient.key)  # newest first
    answers = [(r.form_id, r.answers) for r in reversed(responses) if r.form_id in PLAN_FORMS]
    found = await session.exec(
        select(PlanNote).where(PlanNote.patient_id == patient.key).order_by(col(PlanNote.id))
    )
    changes = [(note.written_at, _change(vault, note)) for note in found.all()]
    return gather(answers, changes, _dates(await _row(session, patient.key)))


async def established(session: AsyncSession, patient_id: int) -> bool:
    row = await _row(session, patient_id)
    return row is not None and row.established_at is not None


async def _establish(session: AsyncSession, patient_id: int, now: datetime) -> None:
    """The first goal or activity establishes the plan (KVÅ DV077)."""
    row = await _row_or_new(session, patient_id)
    if row.established_at is None:
        row.established_at = now
        session.add(row)


async def form_sent(session: AsyncSession, patient: Patient, form_id: str, now: datetime) -> None:
    if form_id in PLAN_FORMS:
        await _establish(session, patient.key, now)


async def change(
    session: AsyncSession, ctx: AppContext, patient: Patient, author: int, made: Change
) -> None:
    """The coordinator's addition: stored (an activity, sub-goal or note), a date set (the
    first follow-up schedules the review reminder), or a follow-up recorded."""
    now = ctx.clock()
    if made.kind in (ChangeKind.ACTIVITY, ChangeKind.SUB_GOAL, ChangeKind.NOTE):
        sealed: Any = made.text
        if made.kind != ChangeKind.NOTE:
            sealed = {"text": made.text, "who": made.who, "day": made.day and made.day.isoformat()}
        session.add(
            PlanNote(
                patient_id=patient.key, author_id=author, payload=ctx.vault.seal(sealed),
                written_at=now, kind=made.kind.value,
            )
        )  # fmt: skip
        if made.kind != ChangeKind.NOTE:
            await _establish(session, patient.key, now)
        return
    row = await _row_or_new(session, patient.key)
    if made.kind == ChangeKind.FOLLOWED_UP:
        row.followed_up_at = now
        row.follow_ups += 1
    elif made.field is not None:
        setattr(row, made.field.value, made.day)
        if made.field == DateField.FIRST_FOLLOW_UP and made.day is not None:
            await _schedule_review(session, ctx, patient, made.day)
    session.add(row)


async def _schedule_review(
    session: AsyncSession, ctx: AppContext, patient: Patient, day: date
) -> None:
    await jobs.schedule(
        session,
        key=f"plan_review:{patient.key}:{day.isoformat()}",
        kind=JobKind.PLAN_REVIEW,
        due_at=timing.at_local(day, REVIEW_AT, ctx.settings.tz),
        patient_id=patient.key,
    )


async def review_due(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, now: datetime
) -> bool:
    """The morning of the first follow-up: the coordinators are reminded in the topic, unless
    the follow-up moved to another day."""
    row = await _row(session, patient.key)
    day = job.due_at.astimezone(ctx.settings.tz).date()
    if row is None or row.first_follow_up != day:
        return False
    with ctx.staff_speaking():
        text = words.review_due(patient.pseudonym)
    return await heads_up.tell_topic(session, ctx, patient, job.key, JobKind.PLAN_REVIEW, text)
