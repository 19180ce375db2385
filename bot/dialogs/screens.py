"""Draws the screen a patient is on: text and buttons, from their location and data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.content.schema import Form, Item, ItemKind, Module, PageKind
from bot.context import AppContext
from bot.db.models import ModuleStatus, Patient
from bot.domain import forms as engine
from bot.domain.answers import NOT_APPLICABLE, Problem
from bot.domain.navigation import Location, Screen, resolve_page
from bot.domain.scoring import needs_attention
from bot.services import forms as form_store
from bot.services import program, staff
from bot.services.journey import Notice, NoticeKind
from bot.texts import patient as fmt
from bot.texts.callbacks import Act, Op

MAX_LISTED_RESPONSES = 24


def grid(count: int, per_row: int) -> list[int]:
    """Row widths that put `count` buttons `per_row` to a row, the last row holding the rest."""
    full, rest = divmod(count, per_row)
    return [per_row] * full + ([rest] if rest else [])


@dataclass(frozen=True)
class View:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


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


class Screens:
    def __init__(self, ctx: AppContext, session: AsyncSession, patient: Patient) -> None:
        self.ctx = ctx
        self.session = session
        self.patient = patient
        self.language = patient.language
        self.keys = InlineKeyboardBuilder()

    def button(self, label: str, op: Op, arg: object = "") -> None:
        data = Act(seq=self.patient.screen_seq, op=op, arg=str(arg)).pack()
        self.keys.button(text=label, callback_data=data)

    def row(self, *widths: int) -> None:
        self.keys.adjust(*widths)

    async def render(self, notice: Notice | None = None) -> View:
        here = program.location(self.patient)
        draw = {
            Screen.LANGUAGE: self.language_choice,
            Screen.CONSENT: self.consent,
            Screen.EXPECTATIONS: self.expectations,
            Screen.DECLINED: self.declined,
            Screen.HOME: self.home,
            Screen.PAGE: self.page,
            Screen.CONTENTS: self.contents,
            Screen.PAUSED: self.paused,
            Screen.FORM: self.form,
            Screen.ANSWERS: self.answer_list,
            Screen.RESPONSE: self.response,
            Screen.WRITE: self.write,
            Screen.URGENT: self.urgent,
            Screen.ERASE: self.erase,
            Screen.ERASE_CONFIRM: self.erase_confirm,
        }[here.screen]
        body = await draw(here)
        lead = self.notice_text(notice)
        return View(f"{lead}\n\n{body}" if lead else body, self.keys.as_markup())

    def notice_text(self, notice: Notice | None) -> str:
        if notice is None:
            return ""
        kind = notice.kind
        if kind == NoticeKind.PROBLEM:
            details = {k: v for k, v in notice.details.items() if k != "problem"}
            problem = Problem(notice.details["problem"])
            return "⚠️ " + problem_text(problem, details, self.date_example())
        if kind == NoticeKind.LOCKED:
            return "🔒 " + _("That module is not open yet. Your coordinator opens it for you.")
        if kind == NoticeKind.SUBMITTED:
            thanks = "✅ " + _(
                "Thank you! Your answers are saved, and your coordinator can see them."
            )
            if needs_attention(notice.details.get("score")):
                # A score the content flags: the way to the clinic, not only the advice.
                return f"{thanks}\n\n{fmt.urgent_line(self.ctx.settings)}"
            return thanks
        if kind == NoticeKind.REMINDER_SET:
            at = fmt.appointment(notice.details["at"], self.language, self.ctx.settings.tz)
            return "⏰ " + _("I will remind you {when}.").format(when=at)
        if kind == NoticeKind.NUDGES:
            if notice.details["on"]:
                return "🔔 " + _("Reminders are on: I nudge you when a module has waited a while.")
            return "🔕 " + _(
                "Reminders are off. Reminders of your contact days still come. /reminders "
                "turns them on again."
            )
        if kind == NoticeKind.SAVED:
            return "💾 " + _("Your answers so far are saved. You can go on later.")
        return "↪️ " + _("This step has moved on – here is where you are.")

    # --- onboarding -------------------------------------------------------------------------

    async def language_choice(self, _here: Location) -> str:
        self.button("🇸🇪 Svenska", Op.LANGUAGE, "sv")
        self.button("🇬🇧 English", Op.LANGUAGE, "en")
        return "Välj språk · Choose your language"

    async def consent(self, _here: Location) -> str:
        text = self.ctx.catalog.texts.participation_consent
        self.button(_("✅ I agree"), Op.CONSENT, "yes")
        self.button(_("I do not want to take part"), Op.CONSENT, "no")
        self.row(1)
        body = self.ctx.fill(text.body(self.language))
        return f"<b>{escape(text.title(self.language))}</b>\n\n{escape(body)}"

    async def expectations(self, _here: Location) -> str:
        self.button(_("Understood – let's start"), Op.UNDERSTOOD)
        return escape(self.ctx.fill(self.ctx.catalog.texts.expectations(self.language)))

    async def declined(self, _here: Location) -> str:
        return escape(self.ctx.fill(self.ctx.catalog.texts.declined(self.language)))

    # --- home, modules and pages ------------------------------------------------------------

    async def home(self, _here: Location) -> str:
        progress = await program.module_progress(self.session, self.patient.key)
        lines = [_("<b>Sjukskrivningskollen</b> – your modules:"), ""]
        for number, module in self.ctx.catalog.modules.items():
            title = escape(module.title(self.language))
            state = progress.get(number)
            if state is None:
                lines.append(
                    _("🔒 {number}. {title} – not open yet").format(number=number, title=title)
                )
                continue
            at = resolve_page(module, state.page_id) + 1
            where = _("page {at} of {total}").format(at=at, total=len(module.pages))
            if state.status == ModuleStatus.FINISHED:
                lines.append(
                    _("✔️ {number}. {title} – finished").format(number=number, title=title)
                )
            else:
                lines.append(f"📖 {number}. {title} – {where}")
            self.button(f"{number}. {module.title(self.language)}", Op.MODULE, number)
        if not progress:
            lines += ["", _("Your coordinator will open your first module soon.")]
        self.button(_("🗂 My answers"), Op.MY_ANSWERS)
        self.button(_("✉️ Write to my coordinator"), Op.WRITE)
        self.button(_("🆘 It's urgent"), Op.URGENT)
        self.row(1)
        return "\n".join(lines)

    # --- the coordinator and urgent help ------------------------------------------------------

    async def write(self, _here: Location) -> str:
        self.button(_("🏠 Home"), Op.HOME)
        back = await staff.responsible_back(self.session, self.patient, self.ctx.today().date())
        expect = fmt.expected_answer(self.ctx, self.patient, back)
        return (
            _(
                "✉️ <b>Write to your coordinator</b>\n\nWrite your message here in the chat; "
                "you can also send a photo, a voice message or a document. Your coordinator "
                "reads it and answers here."
            )
            + "\n\n"
            + expect
            + "\n\n"
            + fmt.urgent_line(self.ctx.settings)
        )

    async def erase(self, _here: Location) -> str:
        self.button(_("Yes, delete everything"), Op.ERASE, "1")
        self.button(_("No, keep it"), Op.HOME)
        self.row(1)
        return _(
            "🗑 <b>Delete everything?</b>\n\nEverything you have written and answered here is "
            "deleted, and you leave the program. Your coordinator is told. Send /export first "
            "if you want to keep a copy."
        )

    async def erase_confirm(self, _here: Location) -> str:
        self.button(_("Delete now"), Op.ERASE, "2")
        self.button(_("No, keep it"), Op.HOME)
        self.row(1)
        return _("🗑 <b>Are you sure?</b> This cannot be undone.")

    async def urgent(self, _here: Location) -> str:
        self.button(_("✉️ Write to my coordinator"), Op.WRITE)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        return fmt.acute_help(self.ctx)

    async def _module_page(self, here: Location) -> tuple[Module, int]:
        module = self.ctx.catalog.module(here.module or 1)
        return module, resolve_page(module, here.page)

    async def page(self, here: Location) -> str:
        module, index = await self._module_page(here)
        page = module.pages[index]
        language = self.language
        widths: list[int] = []
        if page.form:
            await self._form_button(module.number, self.ctx.catalog.forms[page.form])
            widths.append(1)
        if page.kind == PageKind.PAUSE:
            self.button(_("⏸ Take a break"), Op.PAUSE)
            widths.append(1)
        nav = 0
        if index > 0:
            self.button(_("◀ Back"), Op.PAGE, f"{module.number}.{module.pages[index - 1].id}")
            nav += 1
        self.button(_("☰ Contents"), Op.CONTENTS, module.number)
        nav += 1
        if index + 1 < len(module.pages):
            label = _("Continue ▶") if page.kind == PageKind.PAUSE else _("Next ▶")
            self.button(label, Op.PAGE, f"{module.number}.{module.pages[index + 1].id}")
        else:
            self.button(_("🏠 Home"), Op.HOME)
        nav += 1
        self.row(*widths, nav)
        header = _("Module {number} · {title}\nPage {at} of {total}").format(
            number=module.number,
            title=escape(module.title(language)),
            at=index + 1,
            total=len(module.pages),
        )
        text = f"<i>{header}</i>\n\n<b>{escape(page.title(language))}</b>\n\n"
        text += escape(page.body(language))
        if page.sources:
            names = "; ".join(escape(source.title) for source in page.sources)
            text += "\n\n<i>" + _("Source: {names}").format(names=names) + "</i>"
        return text

    async def _form_button(self, module: int, form: Form) -> None:
        done = await form_store.latest(
            self.session,
            self.ctx.vault,
            self.patient.key,
            module,
            form.id,
        )
        title = form.title(self.language)
        label = _("✅ {title} – see your answers") if done else _("📝 Fill in: {title}")
        self.button(label.format(title=title), Op.FORM, f"{module}.{form.id}")

    async def contents(self, here: Location) -> str:
        module, index = await self._module_page(here)
        lines = [f"<b>{module.number}. {escape(module.title(self.language))}</b>", ""]
        for number, page in enumerate(module.pages, start=1):
            marker = "▶️" if number - 1 == index else f"{number}."
            lines.append(f"{marker} {escape(page.title(self.language))}")
            self.button(str(number), Op.PAGE, f"{module.number}.{page.id}")
        self.button(_("🏠 Home"), Op.HOME)
        self.row(*grid(len(module.pages), 5), 1)
        return "\n".join(lines)

    async def paused(self, here: Location) -> str:
        module, index = await self._module_page(here)
        following = module.pages[min(index + 1, len(module.pages) - 1)]
        self.button(_("▶ Continue now"), Op.PAGE, f"{module.number}.{following.id}")
        self.button(_("⏰ Remind me tomorrow"), Op.REMIND)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        return _(
            "Good idea to take a break. Your place is saved: when you come back, open "
            "/menu and you continue from here."
        )

    # --- forms ------------------------------------------------------------------------------

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

    # --- my answers -------------------------------------------------------------------------

    async def answer_list(self, _here: Location) -> str:
        found = await form_store.responses(self.session, self.ctx.vault, self.patient.key)
        tz = self.ctx.settings.tz
        for response in found[:MAX_LISTED_RESPONSES]:
            form = self.ctx.catalog.forms.get(response.form_id)
            if form is None:
                continue
            moment = fmt.when(response.submitted_at, self.language, tz)
            self.button(f"{form.title(self.language)} · {moment}", Op.RESPONSE, response.id)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        if not found:
            return _("<b>My answers</b>\n\nYou have not sent any forms yet.")
        return _("<b>My answers</b>\n\nChoose a form to read what you answered.")

    async def response(self, here: Location) -> str:
        found = await form_store.response(
            self.session,
            self.ctx.vault,
            self.patient.key,
            here.response or 0,
        )
        form = self.ctx.catalog.forms.get(found.form_id) if found else None
        if found is None or form is None:
            program.move(self.patient, Location(screen=Screen.ANSWERS))
            return await self.answer_list(here)
        if here.page and here.module:
            if form.repeatable:
                self.button(_("📝 Fill in again"), Op.AGAIN, f"{found.module}.{form.id}")
            else:
                self.button(_("✏️ Change my answers"), Op.AGAIN, f"{found.module}.{form.id}")
            self.button(_("◀ Back to the page"), Op.PAGE, f"{here.module}.{here.page}")
        self.button(_("🗂 My answers"), Op.MY_ANSWERS)
        self.button(_("🏠 Home"), Op.HOME)
        self.row(1)
        moment = fmt.when(found.submitted_at, self.language, self.ctx.settings.tz)
        parts = [
            f"<b>{escape(form.title(self.language))}</b>",
            _("Sent {moment}").format(moment=moment),
            fmt.answers_block(form, found.answers, self.language),
        ]
        scored = fmt.score_block(form, found.score, self.language)
        if scored:
            parts.append(scored)
        if found.wording != "project":
            parts.append("<i>" + _("Wording: {name}").format(name=escape(found.wording)) + "</i>")
        return "\n\n".join(parts)
