"""The first screens: language, consent, what to expect."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.dialogs.screens.base import ScreenBase
from bot.domain.caselog import DeclineReason
from bot.domain.navigation import Location
from bot.texts.callbacks import Op
from bot.texts.caselog import decline_reason_label


class OnboardingScreens(ScreenBase):
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

    async def declined(self, here: Location) -> str:
        text = escape(self.ctx.fill(self.ctx.catalog.texts.declined(self.language)))
        if here.page == "thanks":  # the reason given, or not wanted
            return text + "\n\n" + _("Thank you. That is all.")
        for reason in DeclineReason:
            self.button(decline_reason_label(reason), Op.DECLINE_REASON, reason.value)
        self.row(1)
        return text + "\n\n" + _("If you like, tell us why (it helps us improve the program):")
