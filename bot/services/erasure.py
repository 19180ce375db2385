"""The end of a program: everything personal is deleted, the case log keeps its figures."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import (
    Alert,
    Assessment,
    CaseRecord,
    ChecklistTick,
    ConsentRecord,
    ContactNote,
    FormDraft,
    FormRequest,
    FormResponse,
    JobStatus,
    ModuleProgress,
    ModuleStatus,
    OutboxMessage,
    Patient,
    PatientStatus,
    PlanNote,
    RehabPlan,
    Relay,
    SafetyCheck,
    ScheduledJob,
    ShareConsent,
)
from bot.services import assessments, caselog, contact_notes, program, sharing

PER_PATIENT = (
    FormDraft,
    FormResponse,
    ModuleProgress,
    ConsentRecord,
    ContactNote,
    Assessment,
    FormRequest,
    ShareConsent,
    RehabPlan,
    Relay,
    PlanNote,
    ChecklistTick,
    Alert,
    SafetyCheck,
    OutboxMessage,
    ScheduledJob,
)


def _month(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


async def erase(
    session: AsyncSession, patient: Patient, *, now: datetime, ended_by: str,
    today: date | None = None,
) -> CaseRecord:  # fmt: skip
    """Delete the patient and everything stored about them; their case-log row stays, with
    nothing that identifies them (unit, sex, age band, target group, dates, weeks, modules
    finished, the hours of support, the contacts established, the assessments and the areas
    in need, the actors consented to). Returns that row."""
    progress = await program.module_progress(session, patient.key)
    hours = await contact_notes.hours_of(session, patient.key)
    needs = await assessments.latest_needs(session, patient.key)
    in_need = sorted(area.value for area, level in (needs[1] if needs else {}).items() if level)
    started = patient.joined_at or patient.created_at
    record = await caselog.closed(
        session,
        patient,
        today or now.date(),
        accepted=patient.status in (PatientStatus.ACTIVE, PatientStatus.LAPSED),
        started_month=_month(started),
        ended_month=_month(now),
        weeks=max(0, (now - started).days // 7),
        modules_finished=sum(1 for p in progress.values() if p.status == ModuleStatus.FINISHED),
        ended_by=ended_by,
        coaching_minutes=hours.coaching_minutes,
        coordination_minutes=hours.coordination_minutes,
        contacts_established=",".join(sorted(p.value for p in hours.established)),
        assessments=await assessments.count(session, patient.key),
        areas_in_need=",".join(in_need),
        consent_to_share=",".join(sorted(await sharing.ever_agreed(session, patient.key))),
    )
    for table in PER_PATIENT:
        statement = delete(table).where(col(table.patient_id) == patient.key)
        if table is ScheduledJob:  # the job running now (the end of maintenance) finishes
            statement = statement.where(col(ScheduledJob.status) != JobStatus.CLAIMED)
        await session.exec(statement)
    await session.delete(patient)
    await session.flush()
    return record
