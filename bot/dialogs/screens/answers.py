"""My answers: the forms the patient has sent, and each one as sent."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.dialogs.screens.base import ScreenBase
from bot.domain.navigation import Location, Screen
from bot.services import forms as form_store
from bot.services import overview, program
from bot.texts import patient as fmt
from bot.texts.callbacks import Op

MAX_LISTED_RESPONSES = 24


class AnswerScreens(ScreenBase):
    async def answer_list(self, _here: Location) -> str:
        found = await form_store.responses(self.session, self.ctx.vault, self.patient.key)
        tz = self.ctx.settings.tz
        if any(r.form_id == overview.WELLBEING and r.score for r in found):
            self.button(_("📈 My wellbeing over time"), Op.CHART)
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
