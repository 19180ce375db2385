"""The agreed contact: when, which way, the reminders around it (and running them), and
recording it done."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import ContactWay, Patient, ScheduledJob
from bot.domain import timing
from bot.domain.job_kinds import CONTACT_JOBS, JobKind
from bot.services import caselog, heads_up, jobs
from bot.texts import notes, notices


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


async def remind(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, now: datetime
) -> bool:
    """The patient the day before and on the day; the coordinators, when the contact is not
    recorded done. False when the contact was moved (its own reminders are scheduled)."""
    contact = datetime.fromisoformat(jobs.data_of(job)["contact"])
    if patient.next_contact_at != contact:
        return False
    if job.kind == JobKind.CONTACT_MISSED:
        done = was_done(patient, contact)
        await caselog.contact_checked(session, patient, kept=done)  # the evaluation's count
        return not done and await _missed(session, ctx, job, patient, contact)
    with ctx.speaking(patient.language):
        text = notices.contact_reminder(
            contact, ContactWay(patient.contact_way), patient.language, ctx.settings.tz,
            eve=job.kind == JobKind.CONTACT_EVE,
        )  # fmt: skip
    await jobs.tell(session, ctx, job, patient, text, now)
    return True


async def _missed(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, contact: datetime
) -> bool:
    with ctx.staff_speaking():
        text = notes.contact_missed(contact, ctx.settings.staff_language, ctx.settings.tz)
    return await heads_up.tell_topic(session, ctx, patient, job.key, JobKind.CONTACT_MISSED, text)
