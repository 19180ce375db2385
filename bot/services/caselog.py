"""The case log as the program runs: a row written at the invite, updated when the patient
accepts or declines and at every contact day's check, and closed when their content is
deleted (services/erasure.py), when the code, the link and any comment go and the case's
figures stay. services/case_figures.py reads the rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import CaseRecord, Patient, PatientStatus
from bot.db.vault import Vault
from bot.domain.caselog import CaseStatus, DeclineReason
from bot.services import assessments, case_figures


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
    if not accepted:
        record.declined_on = today
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


async def contact_checked(session: AsyncSession, patient: Patient, *, kept: bool) -> None:
    """A contact day's check ran (the morning after): it was kept, or missed."""
    record = await row_of(session, patient)
    if record is None:
        return
    if kept:
        record.contacts_kept += 1
    else:
        record.contacts_missed += 1
    session.add(record)


async def closed(
    session: AsyncSession, vault: Vault, patient: Patient, *, now: datetime, today: date,
    ended_by: str,
) -> CaseRecord:  # fmt: skip
    """The content is about to be deleted: the row keeps the figures of the case (unit, sex,
    age band, target group, dates, hours, contacts established, modules, the assessments and
    the areas in need, the actors consented to, the first and last WHO-5 and WAI, the return
    to work), and loses the code, the link and the comment."""
    record = await _row_or_new(session, patient, today)
    figures = await case_figures.live(session, vault, patient.key)
    needs = await assessments.latest_needs(session, patient.key)
    started = patient.joined_at or patient.created_at
    record.accepted = patient.status in (PatientStatus.ACTIVE, PatientStatus.LAPSED)
    record.started_month, record.ended_month = f"{started:%Y-%m}", f"{now:%Y-%m}"
    record.weeks = max(0, (now - started).days // 7)
    record.ended_by = ended_by
    record.coaching_minutes = figures.coaching_minutes
    record.coordination_minutes = figures.coordination_minutes
    record.contacts_established = ",".join(figures.established)
    record.modules_done = ",".join(str(m) for m in figures.modules_done)
    record.modules_finished = len(figures.modules_done)
    record.consent_to_share = ",".join(figures.consent_to_share)
    record.assessments = await assessments.count(session, patient.key)
    record.areas_in_need = ",".join(
        sorted(a.value for a, lvl in (needs[1] if needs else {}).items() if lvl)
    )
    record.who5_first, record.who5_last = figures.who5.first, figures.who5.last
    record.who5_measures = figures.who5.measures
    record.wai_first, record.wai_last = figures.wai.first, figures.wai.last
    record.wai_measures = figures.wai.measures
    record.wai_first_band, record.wai_last_band = figures.wai.first_band, figures.wai.last_band
    record.back_at_work_on = figures.back_at_work_on
    if record.status == CaseStatus.ACCEPTED:
        record.ended_on = today
    record.patient_id = None
    record.pseudonym = None
    record.decline_comment = None
    session.add(record)
    return record
