"""What happens at a time: contact reminders, the morning digest, missed contacts, nudges.

APScheduler calls `tick` every half minute. Each tick plans what is newly due (today's
digest, nudges for patients who have not opened their module for a while), claims due jobs
atomically, and turns each into outbox messages under the job's key, so a job run twice (a
crash between claiming and finishing) still sends once. Jobs that fell due while the bot was
down run on start if they are within the grace period, and are skipped otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy import or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import (
    CareUnit,
    ContactWay,
    FormResponse,
    JobStatus,
    ModuleProgress,
    ModuleStatus,
    Patient,
    PatientStatus,
    ProgramPhase,
    ScheduledJob,
)
from bot.db.session import SessionFactory
from bot.delivery import Courier
from bot.dialogs import format as fmt
from bot.dialogs.staff import views
from bot.domain import timing
from bot.domain.job_kinds import CONSENT_JOBS, CONTACT_JOBS, MAINTENANCE_JOBS, NUDGE_JOBS, JobKind
from bot.locales import speaking
from bot.outbox import OutboxSender
from bot.services import consent, contacts, jobs, outbox, overview, staff

log = logging.getLogger(__name__)
KINDS = frozenset(JobKind)
PatientJob = Callable[[AsyncSession, ScheduledJob, Patient, datetime], Awaitable[bool]]
PLAN_EVERY = timedelta(minutes=10)
COMMIT_EVERY = 25
YIELD_SECONDS = 0.03


class Timekeeper:
    def __init__(
        self,
        ctx: AppContext,
        i18n: I18n,
        session_factory: SessionFactory,
        sender: OutboxSender,
        courier: Courier,
    ) -> None:
        self.courier = courier
        self.ctx = ctx
        self.i18n = i18n
        self.session_factory = session_factory
        self.sender = sender
        self._planned_at: datetime | None = None
        # One table from a job's kind to what runs it (each returns False when the job no
        # longer applies: the contact moved, the module was opened, consent renewed).
        for_patient: dict[JobKind, PatientJob] = {
            **dict.fromkeys(CONTACT_JOBS, self._contact),
            **dict.fromkeys(NUDGE_JOBS, self._nudge),
            **dict.fromkeys(MAINTENANCE_JOBS, self._maintenance),
            **dict.fromkeys(CONSENT_JOBS, self._consent),
        }
        self.for_patient = for_patient

    @property
    def tz(self) -> ZoneInfo:
        return self.ctx.settings.tz

    def locale(self, language: str) -> AbstractContextManager[None]:
        return speaking(self.i18n, language)

    async def recover(self) -> None:
        async with self.session_factory() as session:
            await jobs.release_claimed(session)

    async def tick(self) -> None:
        now = self.ctx.clock()
        grace = timedelta(hours=self.ctx.settings.catch_up_grace_hours)
        async with self.session_factory() as session:
            if self._planned_at is None or now - self._planned_at >= PLAN_EVERY:
                await self.plan(session, now)
                self._planned_at = now
                await session.commit()
            for n, job in enumerate(await jobs.claim_due(session, now), start=1):
                if job.due_at < now - grace:
                    log.info("job %s fell due at %s, beyond the grace period", job.key, job.due_at)
                    jobs.finish(job, JobStatus.SKIPPED, now)
                else:
                    done = await self.run(session, job, now)
                    jobs.finish(job, JobStatus.DONE if done else JobStatus.SKIPPED, now)
                session.add(job)
                # Committed in batches: a crash re-runs the batch, and the messages' dedupe
                # keys keep that from sending anything twice.
                if n % COMMIT_EVERY == 0:
                    await session.commit()
                    self.sender.kick()
                    # Leave the database to the sender for a moment: SQLite's lock is not
                    # fair, and a fan-out should send while it is still being queued.
                    await asyncio.sleep(YIELD_SECONDS)
            await session.commit()
        self.sender.kick()

    # --- planning -------------------------------------------------------------------------------

    async def plan(self, session: AsyncSession, now: datetime) -> None:
        today = now.astimezone(self.tz).date()
        digest_at = timing.digest_time(today, self.tz)
        if digest_at is not None and now.astimezone(self.tz).hour < 12:
            for unit in await staff.units(session):
                await jobs.schedule(
                    session,
                    key=f"digest:{unit.key}:{today.isoformat()}",
                    kind=JobKind.DIGEST,
                    due_at=digest_at,
                    unit_id=unit.key,
                )
        for patient in await self._idle_patients(session, now):
            await jobs.schedule(
                session,
                key=f"nudge:{patient.key}:{today.isoformat()}",
                kind=JobKind.NUDGE,
                due_at=timing.outside_quiet_hours(
                    max(now, timing.at_local(today, timing.NUDGE, self.tz)), self.tz
                ),
                patient_id=patient.key,
            )

    async def _idle_patients(self, session: AsyncSession, now: datetime) -> list[Patient]:
        """Taking part, nudges on, not nudged today, and an active module not opened lately
        (one query, however many patients there are)."""
        since = now - timedelta(days=self.ctx.settings.nudge_after_days)
        today = now.astimezone(self.tz).date()
        last_seen = func.coalesce(ModuleProgress.last_opened_at, ModuleProgress.activated_at)
        found = await session.exec(
            select(Patient)
            .join(ModuleProgress, col(ModuleProgress.patient_id) == col(Patient.id))
            .where(
                Patient.status == PatientStatus.ACTIVE,
                Patient.phase == ProgramPhase.RUNNING,
                col(Patient.nudges_on).is_(True),
                or_(col(Patient.last_nudged_on).is_(None), col(Patient.last_nudged_on) < today),
                ModuleProgress.status == ModuleStatus.ACTIVE,
                last_seen <= since,
            )
            .distinct()
        )
        return list(found.all())

    async def _active_module_idle_since(
        self, session: AsyncSession, patient: Patient, since: datetime
    ) -> int | None:
        rows = await session.exec(
            select(ModuleProgress).where(
                ModuleProgress.patient_id == patient.key,
                ModuleProgress.status == ModuleStatus.ACTIVE,
            )
        )
        for progress in rows.all():
            last = progress.last_opened_at or progress.activated_at
            if last <= since:
                return progress.module
        return None

    # --- running a job --------------------------------------------------------------------------

    async def run(self, session: AsyncSession, job: ScheduledJob, now: datetime) -> bool:
        """Queue what the job says; False when it no longer applies."""
        if job.kind == JobKind.DIGEST:
            return await self._digest(session, job, now)
        patient = await session.get(Patient, job.patient_id) if job.patient_id else None
        if patient is None or patient.chat_id is None:
            return False
        if patient.status != PatientStatus.ACTIVE:
            return False
        if patient.phase == ProgramPhase.ENDED:
            return False
        runner = self.for_patient.get(JobKind(job.kind)) if job.kind in KINDS else None
        if runner is None:
            log.error("unknown job kind %s", job.kind)
            return False
        return await runner(session, job, patient, now)

    async def _to_patient(
        self, session: AsyncSession, job: ScheduledJob, patient: Patient, text: str, now: datetime
    ) -> None:
        assert patient.chat_id is not None
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=job.key,
            purpose=job.kind,
            chat_id=patient.chat_id,
            patient_id=patient.key,
            text=text,
            now=now,
            not_before=timing.outside_quiet_hours(now, self.tz),
        )

    async def _contact(
        self, session: AsyncSession, job: ScheduledJob, patient: Patient, now: datetime
    ) -> bool:
        contact = datetime.fromisoformat(jobs.data_of(job)["contact"])
        if patient.next_contact_at != contact:
            return False  # the contact was moved; its own reminders are scheduled
        if job.kind == JobKind.CONTACT_MISSED:
            if contacts.was_done(patient, contact):
                return False
            return await self._missed(session, job, patient, contact, now)
        with self.locale(patient.language):
            way = fmt.contact_way_for_patient(ContactWay(patient.contact_way))
            shown = fmt.appointment(contact, patient.language, self.tz)
            if job.kind == JobKind.CONTACT_EVE:
                text = "📅 " + _("Tomorrow is your contact day: {when} – {way}.")
            else:
                text = "📅 " + _("Today is your contact day: {when} – {way}.")
            text = text.format(when=shown, way=way)
        await self._to_patient(session, job, patient, text, now)
        return True

    async def _missed(
        self,
        session: AsyncSession,
        job: ScheduledJob,
        patient: Patient,
        contact: datetime,
        now: datetime,
    ) -> bool:
        unit = await session.get(CareUnit, patient.unit_id) if patient.unit_id else None
        if unit is None:
            return False
        with self.locale(self.ctx.settings.staff_language):
            text = "⚠️ " + _(
                "The contact on {when} is not recorded as done. Record it with /done (and set "
                "the next with /done DATE TIME)."
            ).format(when=fmt.appointment(contact, self.ctx.settings.staff_language, self.tz))
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=job.key,
            purpose=JobKind.CONTACT_MISSED,
            chat_id=unit.staff_chat_id,
            in_topic=True,  # tagged with the code where the chat has no topics
            patient_id=patient.key,
            text=text,
            now=now,
        )
        return True

    async def _nudge(
        self, session: AsyncSession, job: ScheduledJob, patient: Patient, now: datetime
    ) -> bool:
        today = now.astimezone(self.tz).date()
        if patient.last_nudged_on is not None and patient.last_nudged_on >= today:
            return False  # never more than one a day
        if job.kind == JobKind.NUDGE and not patient.nudges_on:
            return False
        since = now - timedelta(days=self.ctx.settings.nudge_after_days)
        idle = await self._active_module_idle_since(session, patient, since)
        if job.kind == JobKind.NUDGE and idle is None:
            return False  # opened meanwhile
        with self.locale(patient.language):
            if job.kind == JobKind.PAUSE_REMINDER:
                text = "⏰ " + _(
                    "You asked me to remind you: your module is waiting. Open /menu to go on."
                )
            else:
                text = "📖 " + _(
                    "It has been a few days – module {n} is waiting for you, right where you "
                    "left it. Open /menu to go on. (/reminders turns these reminders off.)"
                ).format(n=idle)
        patient.last_nudged_on = today
        session.add(patient)
        await self._to_patient(session, job, patient, text, now)
        return True

    async def _maintenance(
        self, session: AsyncSession, job: ScheduledJob, patient: Patient, now: datetime
    ) -> bool:
        if patient.phase != ProgramPhase.MAINTENANCE:
            return False  # taken out of maintenance meanwhile
        if job.kind == JobKind.MAINTENANCE_END:
            await self.courier.end_program(session, patient, "program")
            return True
        ends = datetime.fromisoformat(jobs.data_of(job)["ends"]).astimezone(self.tz).date()
        with self.locale(patient.language):
            text = "🌿 " + _(
                "Your program ends on {day}, and then everything you wrote and answered here is "
                "deleted. Send /export to get it as a PDF to keep."
            ).format(day=fmt.long_date(ends, patient.language))
        await self._to_patient(session, job, patient, text, now)
        return True

    async def _consent(
        self, session: AsyncSession, job: ScheduledJob, patient: Patient, now: datetime
    ) -> bool:
        given = datetime.fromisoformat(jobs.data_of(job)["given"])
        if await consent.latest_given(session, patient) != given:
            return False  # renewed meanwhile
        lapses = consent.lapses(given).astimezone(self.tz).date()
        if job.kind == JobKind.CONSENT_RENEWAL:
            with self.locale(patient.language):
                text = "📝 " + _(
                    "Your consent to take part lasts until {day}. To go on after that, send "
                    "/consent and agree again."
                ).format(day=fmt.long_date(lapses, patient.language))
            await self._to_patient(session, job, patient, text, now)
            return True
        consent.lapse(session, patient)
        with self.locale(patient.language):
            text = "📝 " + _(
                "Your consent has lapsed, so nothing you do here is shared with your coordinator "
                "any more. Send /consent to renew it, or /erase to have everything deleted."
            )
        await self._to_patient(session, job, patient, text, now)
        await self.courier.card_changed(session, patient)
        return True

    async def _digest(self, session: AsyncSession, job: ScheduledJob, now: datetime) -> bool:
        unit = await session.get(CareUnit, job.unit_id) if job.unit_id else None
        if unit is None:
            return False
        today = now.astimezone(self.tz).date()
        start = timing.at_local(today, time(0, 0), self.tz)
        found = await session.exec(
            select(Patient)
            .where(
                Patient.unit_id == unit.key,
                col(Patient.next_contact_at) >= start,
                col(Patient.next_contact_at) < start + timedelta(days=1),
            )
            .order_by(col(Patient.next_contact_at))
        )
        todays = list(found.all())
        language = self.ctx.settings.staff_language
        coordinators = {c.id: c for c in await staff.coordinators(session, unit)}
        with self.locale(language):
            lines = [
                "☀️ <b>"
                + _("Contacts today, {day}").format(day=fmt.long_date(today, language))
                + "</b>"
            ]
            if not todays:
                lines.append(_("No contacts today."))
            by_owner: dict[int | None, list[Patient]] = {}
            for patient in todays:
                by_owner.setdefault(patient.coordinator_id, []).append(patient)
            for owner, patients in by_owner.items():
                who = coordinators.get(owner) if owner is not None else None
                lines.append("")
                lines.append(views.mention(who) if who else _("No responsible coordinator"))
                for patient in patients:
                    lines.append(await self._digest_line(session, patient))
        await outbox.enqueue(
            session,
            self.ctx.vault,
            key=job.key,
            purpose=JobKind.DIGEST,
            chat_id=unit.staff_chat_id,
            text="\n".join(lines),
            now=now,
        )
        return True

    async def _digest_line(self, session: AsyncSession, patient: Patient) -> str:
        assert patient.next_contact_at is not None
        state = await overview.overview(session, self.ctx.vault, self.ctx.catalog, patient)
        wellbeing = "–"
        if state.latest_wellbeing is not None:
            arrow = views.TREND_ARROWS[state.wellbeing_trend]
            wellbeing = f"{state.latest_wellbeing:g} {arrow}".strip()
        unread = await self._unread_forms(session, patient)
        at = patient.next_contact_at.astimezone(self.tz).strftime("%H:%M")
        return "• " + _(
            "{time} {code} ({way}) – wellbeing {wellbeing}, unread forms: {unread}"
        ).format(
            time=at,
            code=escape(patient.pseudonym),
            way=views.contact_way(ContactWay(patient.contact_way)),
            wellbeing=wellbeing,
            unread=unread,
        )

    async def _unread_forms(self, session: AsyncSession, patient: Patient) -> int:
        """Forms sent since a coordinator last looked at the patient's forms."""
        seen = await staff.last_viewed(session, patient, "view forms")
        query = select(FormResponse.id).where(FormResponse.patient_id == patient.key)
        if seen is not None:
            query = query.where(col(FormResponse.submitted_at) > seen)
        return len((await session.exec(query)).all())
