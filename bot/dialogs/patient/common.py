"""One patient's turn: what every patient handler needs, and the ways to answer."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Patient
from bot.dialogs.presenter import deliver, render, show
from bot.services.journey import Journey, Notice


@dataclass
class Turn:
    bot: Bot
    ctx: AppContext
    session: AsyncSession
    i18n: I18n
    patient: Patient

    @property
    def journey(self) -> Journey:
        return Journey(self.ctx, self.session, self.patient)

    async def show(self, notice: Notice | None = None, edit: Message | None = None) -> None:
        await show(self.bot, self.ctx, self.session, self.i18n, self.patient, notice, edit)

    async def after_button(self, query: CallbackQuery, notice: Notice | None = None) -> None:
        """Every press is answered, and the screen redrawn in place where possible. The
        screen is rendered first, so the press's database work is one transaction,
        committed before the answer goes (dialogs/unit_of_work.py)."""
        view = await render(self.ctx, self.session, self.i18n, self.patient, notice)
        await query.answer()
        edit = query.message if isinstance(query.message, Message) else None
        await deliver(self.bot, self.patient, view, edit)
