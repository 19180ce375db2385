"""A form, one question at a time, and its review before it is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.content.schema import Form, Item, ItemKind
from bot.dialogs.screens.base import ScreenBase, grid
from bot.domain import forms as engine
from bot.domain.answers import NOT_APPLICABLE, Problem
from bot.domain.navigation import Location, Screen
from bot.services import forms as form_store
from bot.services import program
from bot.texts import patient as fmt
from bot.texts.callbacks import Op


def problem_text(problem: Problem, details: dict[str, object], date_example: str) -> str:
    texts = {
        Problem.NOT_A_NUMBER: _("Please type a whole number between {min} and {max}."),
        Problem.OUT_OF_RANGE: _("The number must be between {min} and {max}."),
        Problem.NOT_A_DATE: _("I could not read that as a date. Write it like {example}."),
        Problem.DATE_IN_PAST: _("That date has already passed. Give a date from today on."),
        Problem.DATE_IN_FUTURE: _("That date is in the future. Give a date up to today."),
        Problem.TOO_LONG: _(
            "Your text is {length} characters, and this answer takes at most {limit}. "
            "Your message is still in the chat above, so you can copy it, shorten it "
            "and send it again."
        ),
        Problem.EMPTY: _("Please write an answer."),
        Problem.USE_BUTTONS: _("Please answer with one of the buttons below."),
        Problem.UNKNOWN_OPTION: _("That choice is not available here any more."),
    }
    return texts[problem].format(example=date_example, **details)


class FormScreens(ScreenBase):
    async def form(self, here: Location) -> str:
        journey_form = self.ctx.catalog.forms.get(here.form or "")
        draft = None
        if journey_form is not None and here.module is not None:
            draft = await form_store.load_draft(
                self.session,
                self.ctx.vault,
                journey_form,
                patient_id=self.patient.key,
                module=here.module,
            )
        if journey_form is None or draft is None:
            program.move(self.patient, Location(screen=Screen.HOME))
            return await self.home(here)
        item = engine.current(journey_form, draft)
        if item is None:
            return self.review(journey_form, draft)
        return self.question(journey_form, draft, item)

    def question(self, form: Form, draft: engine.Draft, item: Item) -> str:
        language = self.language
        ids = [i.id for i in form.items]
        position = ids.index(item.id)
        head = _("<b>{title}</b> · question {at} of {total}").format(
            title=escape(form.title(language)), at=position + 1, total=len(ids)
        )
        parts = [head]
        if position == 0 and not draft.answers:
            parts.append(escape(form.intro(language)))
        parts.append(f"<b>{escape(item.prompt(language))}</b>")
        if item.hint:
            parts.append(f"<i>{escape(item.hint(language))}</i>")
        widths = self.answer_buttons(item, draft)
        guide = self.typing_guide(item, draft)
        if guide:
            parts.append(guide)
        if item.id in draft.answers and item.kind not in (ItemKind.ACTIVITIES, ItemKind.MULTI):
            shown = fmt.answer_text(item, draft.answers[item.id], language)
            parts.append(_("Your answer now: {answer}").format(answer=shown))
        nav = 0
        if position > 0 or draft.editing:
            self.button(_("◀ Back"), Op.PREVIOUS)
            nav += 1
        if not item.required and item.kind != ItemKind.MULTI:
            self.button(_("Skip"), Op.SKIP)
            nav += 1
        self.button(_("💾 Save and exit"), Op.SAVE_EXIT)
        self.row(*widths, nav + 1)
        return "\n\n".join(parts)

    def answer_buttons(self, item: Item, draft: engine.Draft) -> list[int]:
        """Adds the item's answer buttons; returns the row widths they take."""
        language = self.language
        chosen = draft.answers.get(item.id)

        def mark(value: object) -> str:
            return "✓ " if chosen == value else ""

        if item.kind == ItemKind.CHOICE:
            for option in item.options:
                self.button(mark(option.id) + option.label(language), Op.ANSWER, option.id)
            return [1] * len(item.options)
        if item.kind == ItemKind.SCALE:
            return self._scale_buttons(item, mark)
        if item.kind == ItemKind.MULTI:
            selected = draft.pending.get("selected", [])
            for option in item.options:
                box = "☑️" if option.id in selected else "⬜️"
                self.button(f"{box} {option.label(language)}", Op.TOGGLE, option.id)
            self.button(_("Done ✔"), Op.CONFIRM)
            return [1] * (len(item.options) + 1)
        if item.kind == ItemKind.ACTIVITIES:
            return self._activity_buttons(item, draft)
        return []

    def _scale_buttons(self, item: Item, mark: Callable[[object], str]) -> list[int]:
        assert item.min is not None and item.max is not None
        values = list(range(item.min, item.max + 1))
        widths: list[int]
        if set(item.labels) == set(values):
            for value, label in item.labels.items():
                self.button(f"{mark(value)}{label(self.language)}", Op.ANSWER, value)
            widths = [1] * len(values)
        else:
            for value in values:
                self.button(f"{mark(value)}{value}", Op.ANSWER, value)
            widths = grid(len(values), 6)
        if item.not_applicable:
            not_applicable = item.not_applicable(self.language)
            self.button(mark(NOT_APPLICABLE) + not_applicable, Op.ANSWER, NOT_APPLICABLE)
            widths.append(1)
        return widths

    def _activity_buttons(self, item: Item, draft: engine.Draft) -> list[int]:
        step = engine.activity_step(draft)
        if step == engine.ActivityStep.WHO:
            for who in engine.RESPONSIBLE:
                self.button(fmt.responsible_label(who), Op.ANSWER, who)
            return grid(len(engine.RESPONSIBLE), 2)
        if step != engine.ActivityStep.MORE:
            return []
        activities = draft.answers.get(item.id) or []
        self.button(_("➕ Add another activity"), Op.ADD)
        for number in range(1, len(activities) + 1):
            self.button(_("🗑 {number}").format(number=number), Op.REMOVE, number - 1)
        self.button(_("Done ✔"), Op.FINISH_LIST)
        return [1, *grid(len(activities), 4), 1]

    def date_example(self) -> str:
        """A plausible date two weeks ahead, in the format the patient should type."""
        return (self.ctx.today().date() + timedelta(days=14)).isoformat()

    def typing_guide(self, item: Item, draft: engine.Draft) -> str:
        if item.kind == ItemKind.TEXT:
            return _("✍️ Write your answer as a message (at most {limit} characters).").format(
                limit=item.max_length
            )
        if item.kind == ItemKind.NUMBER:
            return _("✍️ Type a number between {min} and {max}.").format(min=item.min, max=item.max)
        example = self.date_example()
        if item.kind == ItemKind.DATE:
            return _("✍️ Type a date, for example {example}.").format(example=example)
        if item.kind != ItemKind.ACTIVITIES:
            return ""
        activities = draft.answers.get(item.id) or []
        listed = "\n".join(
            f"{n}. {fmt.activity_line(a, self.language)}" for n, a in enumerate(activities, 1)
        )
        step = engine.activity_step(draft)
        ask = {
            engine.ActivityStep.WHAT: _(
                "✍️ Activity {number}: what will be done? Write it as a message."
            ).format(number=len(activities) + 1),
            engine.ActivityStep.WHO: _("Who is responsible for it?"),
            engine.ActivityStep.END: _(
                "✍️ By what date should it be done? For example {example}."
            ).format(example=example),
            engine.ActivityStep.MORE: _("Add another activity, or choose Done."),
        }[step]
        return f"{listed}\n\n{ask}" if listed else ask

    def review(self, form: Form, draft: engine.Draft) -> str:
        for number, item in enumerate(form.items, start=1):
            self.button(f"✏️ {number}", Op.EDIT, item.id)
        self.button(_("✅ Send"), Op.SUBMIT)
        self.button(_("💾 Save and exit"), Op.SAVE_EXIT)
        count = len(form.items)
        self.row(*grid(count, 6), 1, 1)
        head = _(
            "<b>{title}</b> – check your answers. Tap ✏️ and a number to change "
            "an answer, or send them."
        ).format(title=escape(form.title(self.language)))
        return f"{head}\n\n{fmt.answers_block(form, draft.answers, self.language)}"
