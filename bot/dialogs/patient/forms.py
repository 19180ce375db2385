"""Answering a form: buttons inside it, and typed answers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.db.models import PatientStatus
from bot.dialogs.callbacks import Act, Op
from bot.dialogs.filters import HasStatus, OnCurrentScreen
from bot.dialogs.patient.common import Turn
from bot.domain.forms import FormAction

FORM_OPS = {Op(action.value) for action in FormAction}


async def form_button(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    action = FormAction(callback_data.op.value)
    notice = await turn.journey.form_step(action, callback_data.arg)
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
