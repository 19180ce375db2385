"""Filling in a form: opened from its page, answered by button or typed, saved at every
step, reviewed and sent (the card is redrawn when it is)."""

from __future__ import annotations

from typing import Any

from bot.content.schema import Form, ItemKind
from bot.domain import forms as engine
from bot.domain.answers import NOT_APPLICABLE, AnswerError, Problem, parse_typed
from bot.domain.navigation import Location, Screen
from bot.domain.sharing import FORM_ID as SHARING_FORM
from bot.services import cards, form_requests, heads_up, plans, safety
from bot.services import forms as form_store
from bot.services.journey.base import Notice, NoticeKind, problem_notice
from bot.services.journey.sharing import SharingSteps


class FormSteps(SharingSteps):
    def _form_on_page(self, module: int, form_id: str) -> tuple[Form, str] | None:
        content = self.ctx.catalog.modules.get(module)
        page = next((p for p in content.pages if p.form == form_id), None) if content else None
        if page is None:
            return None
        return self.ctx.catalog.forms[form_id], page.id

    async def _form_here(self, module: int, form_id: str) -> tuple[Form, str | None] | None:
        """The form and its page, if the patient may fill it in: on a page of an open
        module, or sent by the coordinator and not answered yet."""
        if module == form_requests.SENT:
            if form_id == SHARING_FORM:  # the patient's own, at any time (the home screen)
                return self.ctx.catalog.forms[form_id], None
            form = self.ctx.catalog.sendable(form_id)
            waiting = await form_requests.open_request(self.session, self.patient.key, form_id)
            return (form, None) if form is not None and waiting is not None else None
        if module not in await self._open_modules():
            return None
        return self._form_on_page(module, form_id)

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
        found = await self._form_here(module, form_id)
        if found is None:
            if module == form_requests.SENT:
                self.go(Location(screen=Screen.HOME))
                return Notice(NoticeKind.MOVED_ON)
            return Notice(NoticeKind.LOCKED, {"module": module})
        form, page_id = found
        again = again or module == form_requests.SENT  # each request is a new answer
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
            if module == form_requests.SENT:
                self.go(Location(screen=Screen.HOME))
            else:
                self.go(Location(screen=Screen.PAGE, module=module, page=self.here.page))
            return Notice(NoticeKind.SAVED)
        if action == engine.FormAction.SUBMIT:
            return await self._submit(form, module, draft)
        try:
            draft = self._apply(form, draft, action, arg)
        except AnswerError as error:
            return problem_notice(error)
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
        # A form asked for is answered wherever it is sent from (the consent, from module 1).
        await form_requests.answered(self.session, self.patient.key, form.id, self.ctx.clock())
        await self._sharing_sent(form.id, draft.answers)
        await plans.form_sent(self.session, self.patient, form.id, self.ctx.clock())
        score = result.as_dict() if result else None
        await safety.flag_low_score(self.session, self.ctx, self.patient, form.id, score)
        sent = response.submitted_at
        await heads_up.form_sent(self.session, self.ctx, self.patient, form, sent, score)
        await cards.changed(self.session, self.ctx, self.patient)
        return Notice(NoticeKind.SUBMITTED, {"score": score, "form": form.id})

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
            return problem_notice(error)
        await self._save(form, module, draft)
        return None
