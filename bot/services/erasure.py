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
    OutboxMessage,
    Patient,
    PlanNote,
    RehabPlan,
    Relay,
    SafetyCheck,
    ScheduledJob,
    ShareConsent,
)
from bot.db.vault import Vault
from bot.services import caselog

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


async def erase(
    session: AsyncSession, vault: Vault, patient: Patient, *, now: datetime, ended_by: str,
    today: date | None = None,
) -> CaseRecord:  # fmt: skip
    """Delete the patient and everything stored about them; their case-log row stays with
    the case's figures and nothing that identifies them (services/caselog.closed). Returns
    that row."""
    record = await caselog.closed(
        session, vault, patient, now=now, today=today or now.date(), ended_by=ended_by
    )
    for table in PER_PATIENT:
        statement = delete(table).where(col(table.patient_id) == patient.key)
        if table is ScheduledJob:  # the job running now (the end of maintenance) finishes
            statement = statement.where(col(ScheduledJob.status) != JobStatus.CLAIMED)
        await session.exec(statement)
    await session.delete(patient)
    await session.flush()
    return record
