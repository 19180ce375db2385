"""Draws the screen a patient is on: text and buttons, from their location and data. One
class per area (onboarding, the program, forms, answers); `Screens` picks the screen."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.dialogs.screens.answers import AnswerScreens
from bot.dialogs.screens.base import View
from bot.dialogs.screens.forms import FormScreens, problem_text
from bot.dialogs.screens.onboarding import OnboardingScreens
from bot.dialogs.screens.program import ProgramScreens
from bot.domain.answers import Problem
from bot.domain.navigation import Screen
from bot.domain.scoring import needs_attention
from bot.services import program
from bot.services.journey import Notice, NoticeKind
from bot.texts import patient as fmt

__all__ = ["Screens", "View"]


class Screens(OnboardingScreens, ProgramScreens, FormScreens, AnswerScreens):
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
            Screen.SHARING: self.sharing,
            Screen.PLAN: self.plan,
        }[here.screen]
        body = await draw(here)
        lead = self.notice_text(notice)
        return View(f"{lead}\n\n{body}" if lead else body, self.keyboard())

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
        if kind == NoticeKind.WITHDRAWN:
            return "🤝 " + _(
                "Your consent is withdrawn: your coordinator shares nothing more with others. "
                "You can give it again at any time."
            )
        if kind == NoticeKind.SAVED:
            return "💾 " + _("Your answers so far are saved. You can go on later.")
        return "↪️ " + _("This step has moved on – here is where you are.")
