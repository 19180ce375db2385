"""In a staff chat: which care unit it is, and whether the sender is one of its coordinators."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, TelegramObject, User

from bot.context import AppContext
from bot.db.models import CareUnit
from bot.dialogs import Handler
from bot.services import staff

log = logging.getLogger(__name__)
GROUPS = ("group", "supergroup")


class StaffMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        data["unit"] = None
        data["coordinator"] = None
        if chat is None or chat.type not in GROUPS or user is None:
            return await handler(event, data)
        ctx: AppContext = data["ctx"]
        session = data["session"]
        unit = await staff.unit_by_chat(session, chat.id)
        if unit is None and chat.id == ctx.settings.staff_chat_id:
            unit = await staff.default_unit(session, ctx.settings)
        if unit is None:
            return None  # a group that is no unit's staff chat: the bot stays silent there
        if chat.is_forum is not None and bool(chat.is_forum) != unit.forum:
            unit.forum = bool(chat.is_forum)
            session.add(unit)
        await refresh_admins(data["bot"], ctx, session, unit)
        data["unit"] = unit
        data["coordinator"] = await staff.coordinator(session, unit, user.id)
        return await handler(event, data)


async def refresh_admins(bot: Bot, ctx: AppContext, session: Any, unit: CareUnit) -> None:
    """Coordinators are the chat's administrators as Telegram reports them, re-asked every
    few minutes, so a removed admin loses access without a restart."""
    now = ctx.clock()
    refresh = timedelta(minutes=ctx.settings.admins_refresh_minutes)
    if not staff.admins_are_stale(unit, now, refresh):
        return
    try:
        admins = await bot.get_chat_administrators(unit.staff_chat_id)
    except TelegramAPIError as error:
        log.warning("administrators of %s not refreshed: %s", unit.staff_chat_id, error)
        return
    members = [staff.Member(a.user.id, a.user.first_name) for a in admins if not a.user.is_bot]
    await staff.record_admins(session, unit, members, now)
