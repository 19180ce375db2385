"""The morning digest: each unit's contacts of the day, by coordinator, with each patient's
wellbeing and the forms nobody has looked at yet."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit, ContactWay, Coordinator, FormResponse, Patient, ScheduledJob
from bot.domain import timing
from bot.domain.audit import AuditAction
from bot.domain.job_kinds import JobKind
from bot.services import caseload, jobs, outbox, overview, staff
from bot.texts.digest import DigestLine, digest


async def plan(session: AsyncSession, ctx: AppContext, now: datetime) -> None:
    """Today's digest for every unit, on a working day, until noon."""
    tz = ctx.settings.tz
    today = now.astimezone(tz).date()
    at = timing.digest_time(today, tz)
    if at is None or now.astimezone(tz).hour >= 12:
        return
    year, week, _day = today.isocalendar()
    for unit in await staff.units(session):
        await jobs.schedule(
            session, key=f"digest:{unit.key}:{today.isoformat()}", kind=JobKind.DIGEST,
            due_at=at, unit_id=unit.key,
        )  # fmt: skip
        # Once a week, on its first working day: sick leave over 30 days without a plan.
        await jobs.schedule(
            session, key=f"no-plan:{unit.key}:{year}-W{week:02d}", kind=JobKind.NO_PLAN_NOTICE,
            due_at=at, unit_id=unit.key,
        )  # fmt: skip


async def send(session: AsyncSession, ctx: AppContext, job: ScheduledJob, now: datetime) -> bool:
    unit = await session.get(CareUnit, job.unit_id) if job.unit_id else None
    if unit is None:
        return False
    tz = ctx.settings.tz
    today = now.astimezone(tz).date()
    start = timing.at_local(today, time(0, 0), tz)
    found = await session.exec(
        select(Patient)
        .where(
            Patient.unit_id == unit.key,
            col(Patient.next_contact_at) >= start,
            col(Patient.next_contact_at) < start + timedelta(days=1),
        )
        .order_by(col(Patient.next_contact_at))
    )
    coordinators = {c.id: c for c in await staff.coordinators(session, unit)}
    by_owner: dict[int | None, list[DigestLine]] = {}
    contacted = list(found.all())
    for patient in contacted:
        by_owner.setdefault(patient.coordinator_id, []).append(await _line(session, ctx, patient))
    groups: list[tuple[Coordinator | None, list[DigestLine]]] = [
        (coordinators.get(owner) if owner is not None else None, lines)
        for owner, lines in by_owner.items()
    ]
    waiting = await _waiting(session, unit, {p.key for p in contacted})
    with ctx.staff_speaking():
        text = digest(today, ctx.settings.staff_language, tz, groups, waiting)
    await outbox.enqueue(
        session, ctx.vault, key=job.key, purpose=JobKind.DIGEST, chat_id=unit.staff_chat_id,
        text=text, now=now,
    )  # fmt: skip
    return True


async def _waiting(
    session: AsyncSession, unit: CareUnit, contacted: set[int]
) -> list[tuple[str, int]]:
    """Patients with no contact today whose forms wait for feedback: (code, how many)."""
    waiting = []
    for patient in await caseload.taking_part(session, unit):
        if patient.key not in contacted and (count := await unread_forms(session, patient)):
            waiting.append((patient.pseudonym, count))
    return waiting


async def _line(session: AsyncSession, ctx: AppContext, patient: Patient) -> DigestLine:
    assert patient.next_contact_at is not None
    state = await overview.overview(session, ctx.vault, ctx.catalog, patient)
    return DigestLine(
        at=patient.next_contact_at,
        code=patient.pseudonym,
        way=ContactWay(patient.contact_way),
        wellbeing=state.latest_wellbeing,
        trend=state.wellbeing_trend,
        unread_forms=await unread_forms(session, patient),
    )


async def unread_forms(session: AsyncSession, patient: Patient) -> int:
    """Forms sent since a coordinator last looked at the patient's forms."""
    seen = await staff.last_viewed(session, patient, AuditAction.VIEW_FORMS)
    query = select(FormResponse.id).where(FormResponse.patient_id == patient.key)
    if seen is not None:
        query = query.where(col(FormResponse.submitted_at) > seen)
    return len((await session.exec(query)).all())
