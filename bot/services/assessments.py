"""The risk and needs assessments of a patient, stored and read: the levels in the clear
(the card and the case log count them), the notes and the summary sealed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Assessment, Patient
from bot.db.vault import Vault
from bot.domain.assessment import (
    Area,
    AreaNeed,
    Assessed,
    AssessmentEntry,
    decode_needs,
    encode_needs,
)


def add(
    session: AsyncSession, vault: Vault, patient: Patient, author_id: int,
    entry: AssessmentEntry, now: datetime,
) -> Assessment:  # fmt: skip
    notes = {a.area.value: a.note for a in entry.areas if a.note}
    row = Assessment(
        patient_id=patient.key,
        author_id=author_id,
        needs=encode_needs(entry),
        payload=vault.seal({"notes": notes, "summary": entry.summary}),
        made_at=now,
    )
    session.add(row)
    return row


async def of_patient(session: AsyncSession, vault: Vault, patient_id: int) -> list[Assessed]:
    """Every assessment, the first first (the journal lists them all)."""
    found = await session.exec(
        select(Assessment)
        .where(Assessment.patient_id == patient_id)
        .order_by(col(Assessment.made_at), col(Assessment.id))
    )
    made = []
    for row in found.all():
        sealed = vault.open(row.payload)
        notes: dict[str, str] = sealed.get("notes", {})
        areas = tuple(
            AreaNeed(area, need, notes.get(area.value, ""))
            for area, need in decode_needs(row.needs).items()
        )
        made.append(Assessed(AssessmentEntry(areas, sealed.get("summary", "")), row.made_at))
    return made


async def latest_needs(
    session: AsyncSession, patient_id: int
) -> tuple[datetime, dict[Area, int]] | None:
    """When the newest assessment was made and its levels, without decrypting (the card)."""
    found = await session.exec(
        select(Assessment.made_at, Assessment.needs)
        .where(Assessment.patient_id == patient_id)
        .order_by(col(Assessment.made_at).desc(), col(Assessment.id).desc())
        .limit(1)
    )
    row = found.first()
    if row is None:
        return None
    return row[0], {area: int(need) for area, need in decode_needs(row[1]).items()}


async def count(session: AsyncSession, patient_id: int) -> int:
    found = await session.exec(
        select(func.count()).select_from(Assessment).where(Assessment.patient_id == patient_id)
    )
    return int(found.one())
