"""Onboarding, the modules and their pages, pauses and reminders, and the patient's answers."""

from __future__ import annotations

from bot.db.models import PatientStatus
from bot.domain import timing
from bot.domain.caselog import REASONS, DeclineReason
from bot.domain.job_kinds import JobKind
from bot.domain.navigation import Location, Screen, resolve_page
from bot.services import cards, caselog, consent, contacts, heads_up, jobs, patients, program
from bot.services import forms as form_store
from bot.services.journey.base import JourneyBase, Notice, NoticeKind


class ProgramSteps(JourneyBase):
    def choose_language(self, language: str) -> None:
        if language not in ("sv", "en"):
            return
        self.patient.language = language
        self.session.add(self.patient)
        onboarding = self.patient.status == PatientStatus.CONSENT_PENDING
        self.go(Location(screen=Screen.CONSENT if onboarding else Screen.HOME))

    async def decide_consent(self, accepted: bool) -> None:
        """Consent at the start, or renewed (asked before it lapses, or after it has)."""
        renewal = self.patient.status in (PatientStatus.ACTIVE, PatientStatus.LAPSED)
        if not renewal and self.patient.status != PatientStatus.CONSENT_PENDING:
            return
        version = self.ctx.catalog.texts.participation_consent.version
        await patients.record_consent(
            self.session, self.patient, accepted=accepted, version=version, now=self.ctx.clock()
        )
        today = self.ctx.today().date()
        await caselog.decided(self.session, self.patient, accepted=accepted, today=today)
        if renewal:
            if not accepted:  # declining a renewal stops sharing; nothing is deleted unasked
                consent.lapse(self.session, self.patient)
            self.go(Location(screen=Screen.HOME if accepted else Screen.DECLINED))
        else:
            self.go(Location(screen=Screen.EXPECTATIONS if accepted else Screen.DECLINED))
            if accepted:
                await self._open_first_module()
        await self.consented()
        await cards.changed(self.session, self.ctx, self.patient)

    async def _open_first_module(self) -> None:
        """The module chosen at the invite opens as the patient joins: they can begin at
        once, as seed 000 has module 1 start at sick-listing or the first contact."""
        module = self.patient.first_module
        opened = await program.module_progress(self.session, self.patient.key)
        if module is None or opened or module not in self.ctx.catalog.modules:
            return
        await program.activate_module(
            self.session, self.ctx.catalog, self.patient, module, self.ctx.clock()
        )

    async def decline_reason(self, reason: str) -> Notice | None:
        """Why the patient declined, if they say (seed 002: the log records the reason)."""
        if self.patient.status != PatientStatus.DECLINED or reason not in REASONS:
            return Notice(NoticeKind.MOVED_ON)
        await caselog.decline_reason(
            self.session, self.ctx.vault, self.patient, DeclineReason(reason), "",
            self.ctx.today().date(),
        )  # fmt: skip
        self.go(Location(screen=Screen.DECLINED, page="thanks"))
        return None

    def ask_consent(self) -> None:
        """/consent: the consent text again, to renew it."""
        self.go(Location(screen=Screen.CONSENT))

    def restart_onboarding(self) -> None:
        """/start again after declining: the consent question is asked anew."""
        if self.patient.status == PatientStatus.DECLINED:
            self.patient.status = PatientStatus.CONSENT_PENDING
            self.go(Location(screen=Screen.LANGUAGE))

    async def open_module(self, module: int, page_id: str | None = None) -> Notice | None:
        """A page of a module given to the patient (where they left it, if none is named).
        The module's progress is read once: a page turn is a handful of statements."""
        saved = (await program.module_progress(self.session, self.patient.key)).get(module)
        if saved is None or module not in self.ctx.catalog.modules:
            return Notice(NoticeKind.LOCKED, {"module": module})
        content = self.ctx.catalog.module(module)
        index = resolve_page(content, page_id or saved.page_id)
        program.open_page(
            self.session, self.patient, saved, content.pages[index].id, self.ctx.clock()
        )
        if index == len(content.pages) - 1:
            await heads_up.module_read(
                self.session, self.ctx, self.patient, module, saved.activated_at
            )
        return None

    async def contents(self, module: int) -> Notice | None:
        if module not in await self._open_modules():
            return Notice(NoticeKind.LOCKED, {"module": module})
        self.go(Location(screen=Screen.CONTENTS, module=module, page=self.here.page))
        return None

    async def pause(self) -> None:
        here = self.here
        self.go(Location(screen=Screen.PAUSED, module=here.module, page=here.page))
        # The card's page is brought up to date at pauses, not at every page turn, so that a
        # reading patient does not spend the staff chat's 20 messages a minute.
        await cards.changed(self.session, self.ctx, self.patient)

    async def remind_tomorrow(self) -> Notice:
        """ "Remind me tomorrow" at a pause: a durable job, at 10:00 local time tomorrow."""
        now = self.ctx.clock()
        at = timing.tomorrow(now, self.ctx.settings.tz)
        day = at.astimezone(self.ctx.settings.tz).date()
        await jobs.schedule(
            self.session,
            key=f"pause_reminder:{self.patient.key}:{day.isoformat()}",
            kind=JobKind.PAUSE_REMINDER,
            due_at=at,
            patient_id=self.patient.key,
        )
        return Notice(NoticeKind.REMINDER_SET, {"at": at})

    def toggle_nudges(self) -> Notice:
        self.patient.nudges_on = not self.patient.nudges_on
        self.session.add(self.patient)
        return Notice(NoticeKind.NUDGES, {"on": self.patient.nudges_on})

    async def consented(self) -> None:
        """Once the patient takes part: reminders for the contact agreed at the invite, and
        the consent's renewal and lapse."""
        if self.patient.status == PatientStatus.ACTIVE:
            tz = self.ctx.settings.tz
            await contacts.schedule_reminders(
                self.session, self.patient, now=self.ctx.clock(), tz=tz
            )
            await consent.schedule(self.session, self.patient, tz)

    def my_answers(self) -> None:
        self.go(Location(screen=Screen.ANSWERS))

    def plan(self) -> None:
        self.go(Location(screen=Screen.PLAN))

    async def show_response(self, response_id: int) -> Notice | None:
        found = await form_store.response(
            self.session,
            self.ctx.vault,
            self.patient.key,
            response_id,
        )
        if found is None:
            return Notice(NoticeKind.MOVED_ON)
        here = self.here
        self.go(
            Location(screen=Screen.RESPONSE, response=found.id, module=here.module, page=here.page)
        )
        return None
