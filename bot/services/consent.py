"""Consent to take part: it lasts at most a year, is asked again two weeks before it lapses,
and sharing stops if it lapses."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import ConsentRecord, Patient, PatientStatus, ScheduledJob
from bot.domain import timing
from bot.domain.job_kinds import CONSENT_JOBS, JobKind
from bot.domain.navigation import Location, Screen
from bot.services import cards, jobs, program
from bot.services.patients import PARTICIPATION
from bot.texts import notices

VALID_FOR = timedelta(days=365)
ASK_BEFORE = timedelta(days=14)


def lapses(given: datetime) -> datetime:
    return given + VALID_FOR


async def latest_given(session: AsyncSession, patient: Patient) -> datetime | None:
    found = await session.exec(
        select(ConsentRecord.decided_at)
        .where(
            ConsentRecord.patient_id == patient.key,
            ConsentRecord.kind == PARTICIPATION,
            col(ConsentRecord.accepted).is_(True),
        )
        .order_by(col(ConsentRecord.decided_at).desc())
        .limit(1)
    )
    return found.first()


async def schedule(session: AsyncSession, patient: Patient, tz: ZoneInfo) -> None:
    """The renewal question and the lapse, counted from the latest consent given."""
    given = await latest_given(session, patient)
    await jobs.cancel(session, patient.key, CONSENT_JOBS)
    if given is None:
        return
    ask = lapses(given) - ASK_BEFORE
    due = {
        JobKind.CONSENT_RENEWAL: timing.at_local(ask.astimezone(tz).date(), timing.NUDGE, tz),
        JobKind.CONSENT_LAPSE: lapses(given),
    }
    for kind, at in due.items():
        await jobs.schedule(
            session,
            key=f"{kind}:{patient.key}:{given.isoformat()}",
            kind=kind,
            due_at=at,
            patient_id=patient.key,
            data={"given": given.isoformat()},
        )


def lapse(session: AsyncSession, patient: Patient) -> None:
    """Nothing is shared any more; the patient sees the consent question until they answer."""
    patient.status = PatientStatus.LAPSED
    program.move(patient, Location(screen=Screen.CONSENT))
    session.add(patient)


async def renew_or_lapse(
    session: AsyncSession, ctx: AppContext, job: ScheduledJob, patient: Patient, now: datetime
) -> bool:
    """Two weeks before, the patient is asked to renew; at the end, sharing stops."""
    given = datetime.fromisoformat(jobs.data_of(job)["given"])
    if await latest_given(session, patient) != given:
        return False  # renewed meanwhile
    if job.kind == JobKind.CONSENT_RENEWAL:
        day = lapses(given).astimezone(ctx.settings.tz).date()
        with ctx.speaking(patient.language):
            text = notices.consent_renewal(day, patient.language)
        await jobs.tell(session, ctx, job, patient, text, now)
        return True
    lapse(session, patient)
    with ctx.speaking(patient.language):
        text = notices.consent_lapsed()
    await jobs.tell(session, ctx, job, patient, text, now)
    await cards.changed(session, ctx, patient)
    return True
