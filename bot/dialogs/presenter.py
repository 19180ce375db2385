"""Shows the patient's current screen: edits the screen message in place when it can."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import Patient
from bot.dialogs.screens import Screens, View
from bot.services.journey import Notice
from bot.texts.chunks import MESSAGE_LIMIT, split_text


async def show(
    bot: Bot,
    ctx: AppContext,
    session: AsyncSession,
    i18n: I18n,
    patient: Patient,
    notice: Notice | None = None,
    edit: Message | None = None,
) -> None:
    view = await render(ctx, session, i18n, patient, notice)
    await deliver(bot, patient, view, edit)


async def render(
    ctx: AppContext, session: AsyncSession, i18n: I18n, patient: Patient, notice: Notice | None
) -> View:
    """The patient's next screen (its number bumped): database work only, nothing sent."""
    patient.screen_seq += 1
    with i18n.use_locale(patient.language):
        view = await Screens(ctx, session, patient).render(notice)
    session.add(patient)
    return view


async def deliver(bot: Bot, patient: Patient, view: View, edit: Message | None) -> None:
    """Edit the screen in place when it can, else send it anew."""
    assert patient.chat_id is not None
    editable = edit is not None and edit.message_id == patient.screen_message_id
    if editable and len(view.text) <= MESSAGE_LIMIT:
        assert edit is not None
        if await _edited(bot, patient.chat_id, edit, view):
            return
    chunks = split_text(view.text)
    for chunk in chunks[:-1]:
        await bot.send_message(patient.chat_id, chunk)
    sent = await bot.send_message(patient.chat_id, chunks[-1], reply_markup=view.keyboard)
    patient.screen_message_id = sent.message_id


async def _edited(bot: Bot, chat_id: int, message: Message, view: View) -> bool:
    try:
        await bot.edit_message_text(
            text=view.text,
            chat_id=chat_id,
            message_id=message.message_id,
            reply_markup=view.keyboard,
        )
    except TelegramBadRequest:  # too old to edit, deleted, or unchanged: send anew
        return False
    return True
