"""Who the coordinators are: the staff chat's administrators as Telegram reports them, read
again every few minutes (by the scheduler), so a removed admin loses access without a
restart, and whether the chat has topics now. A failed read keeps the last good list and is
tried again at the next tick."""

from __future__ import annotations

import logging
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import ClientDecodeError, TelegramAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit
from bot.db.session import SessionFactory
from bot.services import staff

log = logging.getLogger(__name__)


class Admins:
    def __init__(self, bot: Bot, ctx: AppContext, session_factory: SessionFactory) -> None:
        self.bot = bot
        self.ctx = ctx
        self.session_factory = session_factory

    async def refresh(self, session: AsyncSession, unit: CareUnit, force: bool = False) -> None:
        now = self.ctx.clock()
        every = timedelta(minutes=self.ctx.settings.admins_refresh_minutes)
        if not force and not staff.admins_are_stale(unit, now, every):
            return
        try:
            admins = await self.bot.get_chat_administrators(unit.staff_chat_id)
            chat = await self.bot.get_chat(unit.staff_chat_id)
        except (TelegramAPIError, ClientDecodeError, OSError) as error:
            log.warning("administrators of %s not refreshed: %s", unit.staff_chat_id, error)
            return
        members = [staff.Member(a.user.id, a.user.first_name) for a in admins if not a.user.is_bot]
        await staff.record_admins(session, unit, members, now)
        staff.record_chat_kind(session, unit, forum=bool(chat.is_forum))
        await session.commit()

    async def refresh_all(self) -> None:
        async with self.session_factory() as session:
            await staff.default_unit(session, self.ctx.settings)  # the first unit exists
            units = await staff.units(session)
            await session.commit()  # nothing is held while Telegram is asked
            for unit in units:
                await self.refresh(session, unit)
