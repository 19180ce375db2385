"""Module activation and a patient's place in the program."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content import Catalog
from bot.db.models import ModuleProgress, ModuleStatus, Patient
from bot.domain.navigation import Location, ModuleRule, ModuleRuleError, check_activation

_PROGRESS = select(ModuleProgress).where(ModuleProgress.patient_id == bindparam("patient"))


async def module_progress(session: AsyncSession, patient_id: int) -> dict[int, ModuleProgress]:
    found = await session.exec(_PROGRESS, params={"patient": patient_id})
    return {progress.module: progress for progress in found.all()}


async def activate_module(
    session: AsyncSession, catalog: Catalog, patient: Patient, module: int, now: datetime
) -> ModuleProgress:
    progress = await module_progress(session, patient.key)
    active = {n for n, p in progress.items() if p.status == ModuleStatus.ACTIVE}
    check_activation(catalog, module, active)
    row = progress.get(module) or ModuleProgress(patient_id=patient.key, module=module)
    row.status = ModuleStatus.ACTIVE
    row.activated_at = now
    row.finished_at = None
    session.add(row)
    return row


async def finish_module(
    session: AsyncSession, patient: Patient, module: int, now: datetime
) -> ModuleProgress:
    progress = await module_progress(session, patient.key)
    row = progress.get(module)
    if row is None or row.status != ModuleStatus.ACTIVE:
        raise ModuleRuleError(ModuleRule.NOT_ACTIVE, module)
    row.status = ModuleStatus.FINISHED
    row.finished_at = now
    session.add(row)
    return row


def location(patient: Patient) -> Location:
    return Location.decode(patient.location)


def move(patient: Patient, to: Location) -> None:
    patient.location = to.encode()


def open_page(
    session: AsyncSession, patient: Patient, progress: ModuleProgress, page_id: str, now: datetime
) -> None:
    """Remember the page, so the patient comes back to it after a pause or a restart."""
    progress.page_id = page_id
    progress.last_opened_at = now
    session.add(progress)
    move(patient, Location(screen="page", module=progress.module, page=page_id))
