"""In a staff chat: which care unit it is, and whether the sender is one of its coordinators
(who then gets a Desk: unit, coordinator, the album collector and the audit log). It reads what is
stored; the list of coordinators is refreshed by the tick."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, User

from bot.context import AppContext
from bot.dialogs import Handler
from bot.dialogs.staff.desk import Desk
from bot.services import staff

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
        data["unit"] = unit
        coordinator = await staff.coordinator(session, unit, user.id)
        data["coordinator"] = coordinator
        if coordinator is not None:
            data["desk"] = Desk(data["bot"], ctx, session, data["albums"], unit, coordinator, user)
        return await handler(event, data)
