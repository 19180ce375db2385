"""The agreed contact: when, which way, the reminders around it, and recording it done."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ContactWay, Patient, ProgramPhase
from bot.domain import timing
from bot.domain.job_kinds import CONTACT_JOBS, MAINTENANCE_JOBS, JobKind
from bot.services import jobs


async def set_contact(
    session: AsyncSession,
    patient: Patient,
    moment: datetime,
    way: ContactWay,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Set the next contact and (re)schedule its reminders and the missed-contact check."""
    patient.next_contact_at = moment
    patient.contact_way = way
    session.add(patient)
    await schedule_reminders(session, patient, now=now, tz=tz)


async def schedule_reminders(
    session: AsyncSession, patient: Patient, *, now: datetime, tz: ZoneInfo
) -> None:
    await jobs.cancel(session, patient.key, CONTACT_JOBS)
    moment = patient.next_contact_at
    if moment is None:
        return
    data = {"contact": moment.isoformat()}
    due = {
        **timing.contact_reminders(moment, now, tz),
        JobKind.CONTACT_MISSED: timing.missed_contact_check(moment, tz),
    }
    for kind, at in due.items():
        await jobs.schedule(
            session,
            key=f"{kind}:{patient.key}:{moment.isoformat()}",
            kind=kind,
            due_at=at,
            patient_id=patient.key,
            unit_id=patient.unit_id,
            data=data,
        )


def record_done(session: AsyncSession, patient: Patient, now: datetime) -> None:
    patient.contact_done_at = now
    session.add(patient)


def was_done(patient: Patient, contact: datetime) -> bool:
    """Recorded done on the contact's day or after (a call made early still counts)."""
    done = patient.contact_done_at
    return done is not None and done.date() >= contact.date()


async def start_maintenance(
    session: AsyncSession, patient: Patient, *, now: datetime, weeks: int, tz: ZoneInfo
) -> datetime:
    """Vidmakthåll: the countdown to the end of the program; returns when it ends."""
    patient.phase = ProgramPhase.MAINTENANCE
    patient.maintenance_since = now
    session.add(patient)
    due = timing.maintenance_schedule(now, weeks, tz)
    await jobs.cancel(session, patient.key, MAINTENANCE_JOBS)
    for kind, at in due.items():
        await jobs.schedule(
            session,
            key=f"{kind}:{patient.key}:{now.isoformat()}",
            kind=kind,
            due_at=at,
            patient_id=patient.key,
            data={"ends": due[JobKind.MAINTENANCE_END].isoformat()},
        )
    return due[JobKind.MAINTENANCE_END]
