"""/patients in the staff chat: the unit's caseload, by view (all, mine, needs attention,
over 30 days without a plan, long cases), with buttons to switch between them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.dialogs.staff.desk import Desk
from bot.domain.audit import AuditAction
from bot.domain.caseload import VIEW_WORDS, View
from bot.services import caseload
from bot.texts import caseload as views
from bot.texts.chunks import split_text
from bot.texts.staff_callbacks import StaffAct, StaffOp


def _views_keyboard(current: View) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    for view in View:
        mark = "• " if view == current else ""
        keys.button(
            text=mark + views.view_label(view),
            callback_data=StaffAct(op=StaffOp.CASELOAD, arg=view.value).pack(),
        )
    keys.adjust(3, 2)
    return keys.as_markup()


async def _text(desk: Desk, view: View) -> list[str]:
    settings = desk.ctx.settings
    today = desk.ctx.today().date()
    rows = await caseload.caseload(
        desk.session, desk.ctx, desk.unit, view, desk.coordinator.id, today
    )
    await desk.log(AuditAction.VIEW_CASELOAD, detail=view.value)
    text = views.caseload(desk.unit, rows, view, today, settings.staff_language, settings.tz)
    return split_text(text)


async def patients_command(message: Message, command: CommandObject, desk: Desk) -> None:
    word = (command.args or "").strip().lower()
    view = VIEW_WORDS.get(word, View.ALL)
    chunks = await _text(desk, view)
    for chunk in chunks[:-1]:
        await message.answer(chunk)
    await message.answer(chunks[-1], reply_markup=_views_keyboard(view))


async def view_button(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    view = VIEW_WORDS.get(callback_data.arg, View.ALL)
    chunks = await _text(desk, view)
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if len(chunks) == 1:
        await query.message.edit_text(chunks[0], reply_markup=_views_keyboard(view))
        return
    for chunk in chunks[:-1]:
        await query.message.answer(chunk)
    await query.message.answer(chunks[-1], reply_markup=_views_keyboard(view))


def router() -> Router:
    built = Router(name="staff-caseload")
    built.message.register(patients_command, Command("patients"))
    built.callback_query.register(view_button, StaffAct.filter(F.op == StaffOp.CASELOAD))
    return built
