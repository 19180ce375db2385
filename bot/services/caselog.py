"""The case log as the program runs: a row written at the invite, updated when the patient
accepts or declines, and closed when their content is deleted (services/erasure.py), when
the code, the link and any comment go. The overview reads every row of a unit, with the
hours of the cases still running counted from their contact notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import CaseRecord, ModuleStatus, Patient
from bot.db.vault import Vault
from bot.domain.caselog import CaseEntry, CaseStatus, DeclineReason
from bot.services import contact_notes, program, sharing


async def row_of(session: AsyncSession, patient: Patient) -> CaseRecord | None:
    found = await session.exec(select(CaseRecord).where(CaseRecord.patient_id == patient.key))
    return found.first()


def offered(session: AsyncSession, patient: Patient, today: date) -> CaseRecord:
    """The row of a patient just invited: offered, not started."""
    record = CaseRecord(
        unit_id=patient.unit_id,
        patient_id=patient.key,
        pseudonym=patient.pseudonym,
        status=CaseStatus.OFFERED,
        sex=patient.sex,
        age_band=patient.age_band,
        target_group=patient.target_group,
        offered_on=today,
    )
    session.add(record)
    return record


async def joined_unit(session: AsyncSession, patient: Patient) -> None:
    """A patient invited without a unit joins the default one, and so does their row."""
    record = await row_of(session, patient)
    if record is not None:
        record.unit_id = patient.unit_id
        session.add(record)


async def _row_or_new(session: AsyncSession, patient: Patient, today: date) -> CaseRecord:
    """Patients invited before the log was kept get their row when it is first needed."""
    return await row_of(session, patient) or offered(session, patient, today)


async def decided(session: AsyncSession, patient: Patient, *, accepted: bool, today: date) -> None:
    """The first answer to the consent to take part; its text says what is stored."""
    record = await _row_or_new(session, patient, today)
    if record.status != CaseStatus.OFFERED and not accepted:
        return  # declining a renewal does not undo a case that began
    record.status = CaseStatus.ACCEPTED if accepted else CaseStatus.DECLINED
    record.accepted = accepted
    record.informed_storage = True
    if accepted and record.started_on is None:
        record.started_on = today
        record.started_month = record.started_on.strftime("%Y-%m")
    session.add(record)


async def decline_reason(
    session: AsyncSession, vault: Vault, patient: Patient, reason: DeclineReason,
    comment: str, today: date,
) -> None:  # fmt: skip
    record = await _row_or_new(session, patient, today)
    record.decline_reason = reason.value
    if comment:
        record.decline_comment = vault.seal(comment)
    session.add(record)


async def entries(session: AsyncSession, vault: Vault, unit_id: int | None) -> list[CaseEntry]:
    """Every row of the unit (or of all units); a running case's hours, contacts, modules
    finished and consent to share are read live from its records."""
    query = select(CaseRecord).order_by(col(CaseRecord.id))
    if unit_id is not None:
        query = query.where(CaseRecord.unit_id == unit_id)
    found = []
    for record in (await session.exec(query)).all():
        coaching, coordination = record.coaching_minutes, record.coordination_minutes
        established = _listed(record.contacts_established)
        finished, shared = record.modules_finished, _listed(record.consent_to_share)
        if record.patient_id is not None:
            hours = await contact_notes.hours_of(session, record.patient_id)
            coaching, coordination = hours.coaching_minutes, hours.coordination_minutes
            established = tuple(sorted(p.value for p in hours.established))
            progress = await program.module_progress(session, record.patient_id)
            finished = sum(1 for p in progress.values() if p.status == ModuleStatus.FINISHED)
            shared = tuple(sorted(await sharing.ever_agreed(session, record.patient_id)))
        found.append(
            CaseEntry(
                status=CaseStatus(record.status),
                offered_on=record.offered_on or record.started_on or _month_start(record),
                sex=record.sex,
                age_band=record.age_band,
                target_group=record.target_group,
                started_on=record.started_on,
                ended_on=record.ended_on,
                coaching_minutes=coaching,
                coordination_minutes=coordination,
                code=record.pseudonym or "",
                informed_storage=record.informed_storage,
                consent_to_share=shared,
                ended_by=record.ended_by,
                contacts_established=established,
                modules_finished=finished,
                decline_reason=record.decline_reason,
                comment=str(vault.open(record.decline_comment)) if record.decline_comment else "",
            )
        )
    return found


def _listed(stored: str) -> tuple[str, ...]:
    return tuple(part for part in stored.split(",") if part)


def _month_start(record: CaseRecord) -> date:
    month = record.started_month or record.ended_month or "1970-01"
    return datetime.strptime(month + "-01", "%Y-%m-%d").date()


async def closed(
    session: AsyncSession, patient: Patient, today: date, **figures: object
) -> CaseRecord:
    """The content is deleted: the row keeps the figures given, and loses the code, the link
    and the comment."""
    record = await _row_or_new(session, patient, today)
    for name, value in figures.items():
        setattr(record, name, value)
    if record.status == CaseStatus.ACCEPTED:
        record.ended_on = today
    record.patient_id = None
    record.pseudonym = None
    record.decline_comment = None
    session.add(record)
    return record
