"""Answering a form: buttons inside it, and typed answers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.db.models import PatientStatus
from bot.delivery.albums import Albums
from bot.delivery.sender import OutboxSender
from bot.dialogs.filters import HasStatus, Magic, OnCurrentScreen
from bot.dialogs.patient.common import Turn
from bot.dialogs.patient.messaging import to_coordinator
from bot.domain.forms import FormAction
from bot.domain.triage import Level
from bot.services.journey import NoticeKind
from bot.texts.callbacks import Act, Op

FORM_OPS = {Op(action.value) for action in FormAction}


async def form_button(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    """A step in a form; a form sent with a flagged score raises its alert in the same
    transaction (services/safety.flag_low_score)."""
    action = FormAction(callback_data.op.value)
    notice = await turn.journey.form_step(action, callback_data.arg)
    await turn.after_button(query, notice)


async def typed(
    message: Message, turn: Turn, sender: OutboxSender, albums: Albums, triage: Level
) -> None:
    assert message.text is not None
    notice = await turn.journey.typed(message.text)
    if notice is not None and notice.kind == NoticeKind.NOT_IN_FORM:
        await to_coordinator(message, turn, sender, albums, triage)
        return
    await turn.show(notice)


def router() -> Router:
    built = Router(name="forms")
    built.message.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.register(form_button, Act.filter(F.op.in_(FORM_OPS)), OnCurrentScreen())
    built.message.register(typed, Magic(F.text & ~F.text.startswith("/")))
    return built
