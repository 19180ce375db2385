"""The direct question asked when a message may signal risk, and the patient's answer."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Patient, SafetyCheck


async def ask(session: AsyncSession, patient: Patient, reason: str, now: datetime) -> SafetyCheck:
    check = SafetyCheck(patient_id=patient.key, reason=reason[:120], asked_at=now)
    session.add(check)
    await session.flush()
    return check


async def answer(
    session: AsyncSession, patient: Patient, check_id: int, said_yes: bool, now: datetime
) -> SafetyCheck | None:
    """Record the answer; None if the question is not this patient's or was answered."""
    check = await session.get(SafetyCheck, check_id)
    if check is None or check.patient_id != patient.key or check.answer:
        return None
    check.answer = "yes" if said_yes else "no"
    check.answered_at = now
    session.add(check)
    await session.flush()
    return check


async def latest_check(session: AsyncSession, patient: Patient) -> SafetyCheck | None:
    found = await session.exec(
        select(SafetyCheck)
        .where(SafetyCheck.patient_id == patient.key)
        .order_by(col(SafetyCheck.id).desc())
    )
    return found.first()
