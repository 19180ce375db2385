"""The patient's way through the program: what each button or typed answer does.

Functions here change the patient's location, drafts and responses and return a Notice for
the dialog layer to word; they know nothing of Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content.schema import Form, ItemKind
from bot.context import AppContext
from bot.db.models import ModuleStatus, Patient, PatientStatus
from bot.domain import forms as engine
from bot.domain import timing
from bot.domain.answers import NOT_APPLICABLE, AnswerError, Problem, parse_typed
from bot.domain.job_kinds import JobKind
from bot.domain.navigation import Location, Screen, resolve_page
from bot.services import cards, consent, contacts, jobs, patients, program
from bot.services import forms as form_store


class NoticeKind(StrEnum):
    PROBLEM = "problem"  # an answer that was not taken; details["problem"] says why
    LOCKED = "locked"
    SUBMITTED = "submitted"
    SAVED = "saved"
    NOT_IN_FORM = "not_in_form"
    MOVED_ON = "moved_on"
    REMINDER_SET = "reminder_set"  # details["at"]: when
    NUDGES = "nudges"  # details["on"]: whether reminders are on now


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    details: dict[str, Any] = field(default_factory=dict)


def _problem(error: AnswerError) -> Notice:
    return Notice(NoticeKind.PROBLEM, {"problem": error.problem, **error.details})


@dataclass
class Journey:
    """One patient's request, with what it needs to act on it."""

    ctx: AppContext
    session: AsyncSession
    patient: Patient

    @property
    def here(self) -> Location:
        return program.location(self.patient)

    def go(self, to: Location) -> None:
        program.move(self.patient, to)

    # --- onboarding -------------------------------------------------------------------------

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
        if renewal:
            if not accepted:  # declining a renewal stops sharing; nothing is deleted unasked
                consent.lapse(self.session, self.patient)
            self.go(Location(screen=Screen.HOME if accepted else Screen.DECLINED))
        else:
            self.go(Location(screen=Screen.EXPECTATIONS if accepted else Screen.DECLINED))
        await self.consented()
        await cards.changed(self.session, self.ctx, self.patient)

    def ask_consent(self) -> None:
        """/consent: the consent text again, to renew it."""
        self.go(Location(screen=Screen.CONSENT))

    def restart_onboarding(self) -> None:
        """/start again after declining: the consent question is asked anew."""
        if self.patient.status == PatientStatus.DECLINED:
            self.patient.status = PatientStatus.CONSENT_PENDING
            self.go(Location(screen=Screen.LANGUAGE))

    # --- modules and pages ------------------------------------------------------------------

    async def _open_modules(self) -> dict[int, ModuleStatus]:
        progress = await program.module_progress(self.session, self.patient.key)
        return {n: ModuleStatus(p.status) for n, p in progress.items()}

    async def open_module(self, module: int, page_id: str | None = None) -> Notice | None:
        """A page of a module given to the patient (where they left it, if none is named).
        The module's progress is read once: a page turn is a handful of statements."""
        saved = (await program.module_progress(self.session, self.patient.key)).get(module)
        if saved is None or module not in self.ctx.catalog.modules:
            return Notice(NoticeKind.LOCKED, {"module": module})
        content = self.ctx.catalog.module(module)
        page = content.pages[resolve_page(content, page_id or saved.page_id)]
        program.open_page(self.session, self.patient, saved, page.id, self.ctx.clock())
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

    # --- forms ------------------------------------------------------------------------------

    def _form_on_page(self, module: int, form_id: str) -> tuple[Form, str] | None:
        content = self.ctx.catalog.modules.get(module)
        page = next((p for p in content.pages if p.form == form_id), None) if content else None
        if page is None:
            return None
        return self.ctx.catalog.forms[form_id], page.id

    async def _save(self, form: Form, module: int, draft: engine.Draft) -> None:
        await form_store.save_draft(
            self.session,
            self.ctx.vault,
            draft,
            patient_id=self.patient.key,
            module=module,
            form_id=form.id,
            now=self.ctx.clock(),
        )

    async def open_form(self, module: int, form_id: str, again: bool = False) -> Notice | None:
        found = self._form_on_page(module, form_id)
        if found is None or module not in await self._open_modules():
            return Notice(NoticeKind.LOCKED, {"module": module})
        form, page_id = found
        pid = self.patient.key
        draft = await form_store.load_draft(
            self.session, self.ctx.vault, form, patient_id=pid, module=module
        )
        if draft is None:
            previous = await form_store.latest(self.session, self.ctx.vault, pid, module, form.id)
            if previous is not None and not again:
                self.go(
                    Location(
                        screen=Screen.RESPONSE, response=previous.id, module=module, page=page_id
                    )
                )
                return None
            keep = previous.answers if previous and not form.repeatable else None
            draft = engine.start(form, keep)
            await self._save(form, module, draft)
        self.go(Location(screen=Screen.FORM, module=module, page=page_id, form=form.id))
        return None

    async def current_form(self) -> tuple[Form, int, engine.Draft] | None:
        here = self.here
        if here.screen != Screen.FORM or here.form is None or here.module is None:
            return None
        form = self.ctx.catalog.forms.get(here.form)
        if form is None:
            return None
        draft = await form_store.load_draft(
            self.session,
            self.ctx.vault,
            form,
            patient_id=self.patient.key,
            module=here.module,
        )
        return None if draft is None else (form, here.module, draft)

    async def form_step(self, action: engine.FormAction, arg: str) -> Notice | None:
        """A button pressed inside a form."""
        found = await self.current_form()
        if found is None:
            return Notice(NoticeKind.MOVED_ON)
        form, module, draft = found
        if action == engine.FormAction.SAVE_EXIT:
            self.go(Location(screen=Screen.PAGE, module=module, page=self.here.page))
            return Notice(NoticeKind.SAVED)
        if action == engine.FormAction.SUBMIT:
            return await self._submit(form, module, draft)
        try:
            draft = self._apply(form, draft, action, arg)
        except AnswerError as error:
            return _problem(error)
        await self._save(form, module, draft)
        return None

    def _apply(
        self, form: Form, draft: engine.Draft, action: engine.FormAction, arg: str
    ) -> engine.Draft:
        today = self.ctx.today().date()
        item = engine.current(form, draft)
        if action == engine.FormAction.ANSWER:
            if item is not None and item.kind == ItemKind.ACTIVITIES:
                return engine.activity_input(form, draft, arg, today)
            value: Any = arg
            if item is not None and item.kind == ItemKind.SCALE and arg != NOT_APPLICABLE:
                value = int(arg) if arg.lstrip("-").isdigit() else arg
            return engine.answer(form, draft, value)
        steps = {
            engine.FormAction.SKIP: lambda: engine.skip(form, draft),
            engine.FormAction.PREVIOUS: lambda: engine.back(form, draft),
            engine.FormAction.EDIT: lambda: engine.edit(form, draft, arg),
            engine.FormAction.TOGGLE: lambda: engine.toggle(form, draft, arg),
            engine.FormAction.CONFIRM: lambda: engine.confirm_selection(form, draft),
            engine.FormAction.ADD: lambda: engine.add_activity(draft),
            engine.FormAction.REMOVE: lambda: engine.remove_activity(
                form, draft, int(arg) if arg.isdigit() else -1
            ),
            engine.FormAction.FINISH_LIST: lambda: engine.finish_activities(form, draft),
        }
        if action not in steps:
            raise AnswerError(Problem.UNKNOWN_OPTION)
        return steps[action]()

    async def _submit(self, form: Form, module: int, draft: engine.Draft) -> Notice | None:
        if draft.at is not None or engine.missing(form, draft):
            return Notice(NoticeKind.MOVED_ON)
        response, result = await form_store.submit(
            self.session,
            self.ctx.vault,
            self.ctx.catalog,
            self.patient,
            module=module,
            form=form,
            draft=draft,
            now=self.ctx.clock(),
        )
        self.go(
            Location(
                screen=Screen.RESPONSE, response=response.id, module=module, page=self.here.page
            )
        )
        await cards.changed(self.session, self.ctx, self.patient)
        return Notice(
            NoticeKind.SUBMITTED,
            {"score": result.as_dict() if result else None, "form": form.id},
        )

    async def typed(self, text: str) -> Notice | None:
        """Text the patient wrote: an answer when a form asks for one."""
        found = await self.current_form()
        if found is None:
            return Notice(NoticeKind.NOT_IN_FORM)
        form, module, draft = found
        item = engine.current(form, draft)
        today = self.ctx.today().date()
        try:
            if item is None:
                raise AnswerError(Problem.USE_BUTTONS)
            if item.kind == ItemKind.ACTIVITIES:
                if engine.activity_step(draft) not in (
                    engine.ActivityStep.WHAT,
                    engine.ActivityStep.END,
                ):
                    raise AnswerError(Problem.USE_BUTTONS)
                draft = engine.activity_input(form, draft, text, today)
            elif item.kind == ItemKind.MULTI:
                raise AnswerError(Problem.USE_BUTTONS)
            else:
                draft = engine.answer(form, draft, parse_typed(item, text, today))
        except AnswerError as error:
            return _problem(error)
        await self._save(form, module, draft)
        return None
