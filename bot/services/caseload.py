"""The unit's caseload, read for /patients and the weekly notice: one row a patient taking
part, with what needs attention (open alerts, an unanswered or worrying safety check, a bot
the patient blocked, a contact day passed without /done)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import (
    CareUnit,
    ModuleStatus,
    Patient,
    PatientStatus,
    ProgramPhase,
    ScheduledJob,
)
from bot.domain.caseload import CaseRow, View, criteria_of, ordered, shows
from bot.domain.job_kinds import JobKind
from bot.services import alerts, checks, contacts, outbox, overview, plans, program
from bot.texts import caseload as views

MISSED = "missed"  # a contact day passed and not recorded done
CHECK = "check"  # the direct question about risk, unanswered or answered yes
BLOCKED = "blocked"


async def _flags(session: AsyncSession, patient: Patient, now: datetime) -> tuple[str, ...]:
    found = [str(alert.kind) for alert in await alerts.open_alerts(session, patient)]
    check = await checks.latest_check(session, patient)
    if check is not None and check.answer in ("", "yes"):
        found.append(CHECK)
    if patient.blocked_bot:
        found.append(BLOCKED)
    contact = patient.next_contact_at
    if contact is not None and contact < now and not contacts.was_done(patient, contact):
        found.append(MISSED)
    return tuple(dict.fromkeys(found))


async def row(session: AsyncSession, ctx: AppContext, patient: Patient) -> CaseRow:
    series = await overview.wellbeing_series(session, ctx.vault, patient)
    progress = await program.module_progress(session, patient.key)
    active = tuple(sorted(n for n, p in progress.items() if p.status == ModuleStatus.ACTIVE))
    return CaseRow(
        code=patient.pseudonym,
        coordinator_id=patient.coordinator_id,
        modules=active,
        next_contact=patient.next_contact_at,
        wellbeing=series[-1][1] if series else None,
        flags=await _flags(session, patient, ctx.clock()),
        sick_leave_start=patient.sick_leave_start,
        has_plan=await plans.established(session, patient.key),
        criteria=criteria_of(patient.criteria),
        topic_id=patient.topic_id,
    )


async def taking_part(session: AsyncSession, unit: CareUnit) -> list[Patient]:
    found = await session.exec(
        select(Patient)
        .where(
            Patient.unit_id == unit.key,
            Patient.status == PatientStatus.ACTIVE,
            col(Patient.phase) != ProgramPhase.ENDED,
        )
        .order_by(col(Patient.pseudonym))
    )
    return list(found.all())


async def caseload(
    session: AsyncSession, ctx: AppContext, unit: CareUnit, view: View, me: int | None,
    today: date,
) -> list[CaseRow]:  # fmt: skip
    """The unit's patients in this view, what needs the coordinator first."""
    rows = [await row(session, ctx, patient) for patient in await taking_part(session, unit)]
    long_days = ctx.settings.long_case_days
    return ordered([r for r in rows if shows(r, view, me, today, long_days)], today)


async def no_plan_notice(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, now: datetime
) -> bool:
    """The weekly notice: the patients whose sick leave passed 30 days without a plan; not
    sent when there are none."""
    unit = await session.get(CareUnit, job.unit_id) if job.unit_id else None
    if unit is None:
        return False
    settings = ctx.settings
    today = now.astimezone(settings.tz).date()
    rows = await caseload(session, ctx, unit, View.NO_PLAN, None, today)
    if not rows:
        return False
    with ctx.staff_speaking():
        text = views.no_plan_notice(unit, rows, today, settings.staff_language, settings.tz)
    await outbox.enqueue(
        session, ctx.vault, key=job.key, purpose=JobKind.NO_PLAN_NOTICE,
        chat_id=unit.staff_chat_id, text=text, now=now,
    )  # fmt: skip
    return True
