"""The staff routers: guard first, relay last."""

from __future__ import annotations

from aiogram import F, Router

from bot.dialogs.filters import Magic
from bot.dialogs.staff import (
    assessment,
    caseload,
    caselog,
    chat,
    contacts,
    invite,
    patients,
    reading,
    sharing,
)
from bot.dialogs.staff.middleware import GROUPS


def staff_router() -> Router:
    router = Router(name="staff")
    router.message.filter(Magic(F.chat.type.in_(GROUPS)))
    router.edited_message.filter(Magic(F.chat.type.in_(GROUPS)))
    router.callback_query.filter(Magic(F.message.chat.type.in_(GROUPS)))
    # The guard first (non-coordinators are refused), the relay last (anything else a
    # coordinator writes in a patient's topic goes to the patient).
    router.include_routers(
        chat.guard_router(),
        invite.router(),
        chat.router(),
        patients.router(),
        contacts.router(),
        assessment.router(),
        sharing.router(),
        caseload.router(),
        caselog.router(),
        reading.router(),
        chat.relay_router(),
    )
    return router
