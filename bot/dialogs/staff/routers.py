"""The staff routers: guard first, relay last."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.types import TelegramObject

from bot.dialogs import Handler
from bot.dialogs.staff import chat, invite, patients
from bot.dialogs.staff.desk import Desk
from bot.dialogs.staff.middleware import GROUPS


class DeskMiddleware(BaseMiddleware):
    """A coordinator's turn gets a Desk: unit, coordinator, courier and the audit log."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        coordinator = data.get("coordinator")
        if coordinator is not None:
            data["desk"] = Desk(
                bot=data["bot"],
                ctx=data["ctx"],
                session=data["session"],
                courier=data["courier"],
                unit=data["unit"],
                coordinator=coordinator,
                user=data["event_from_user"],
            )
        return await handler(event, data)


def staff_router() -> Router:
    router = Router(name="staff")
    router.message.filter(F.chat.type.in_(GROUPS))
    router.edited_message.filter(F.chat.type.in_(GROUPS))
    router.callback_query.filter(F.message.chat.type.in_(GROUPS))
    for observer in (router.message, router.edited_message, router.callback_query):
        observer.middleware(DeskMiddleware())
    # The guard first (non-coordinators are refused), the relay last (anything else a
    # coordinator writes in a patient's topic goes to the patient).
    router.include_routers(
        chat.guard_router(),
        invite.router(),
        chat.router(),
        patients.router(),
        chat.relay_router(),
    )
    return router
