"""Answering a form: buttons inside it, and typed answers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.db.models import PatientStatus
from bot.dialogs.callbacks import Act, Op
from bot.dialogs.filters import HasStatus, OnCurrentScreen
from bot.dialogs.patient.common import Turn

FORM_OPS = {
    Op.ANSWER,
    Op.SKIP,
    Op.PREVIOUS,
    Op.SAVE_EXIT,
    Op.EDIT,
    Op.SUBMIT,
    Op.TOGGLE,
    Op.CONFIRM,
    Op.ADD,
    Op.REMOVE,
    Op.FINISH_LIST,
}


async def form_button(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    notice = await turn.journey.form_step(callback_data.op.value, callback_data.arg)
    await turn.after_button(query, notice)


async def typed(message: Message, turn: Turn) -> None:
    assert message.text is not None
    await turn.show(await turn.journey.typed(message.text))


def router() -> Router:
    built = Router(name="forms")
    built.message.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.register(form_button, Act.filter(F.op.in_(FORM_OPS)), OnCurrentScreen())
    built.message.register(typed, F.text & ~F.text.startswith("/"))
    return built
