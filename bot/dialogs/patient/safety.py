"""The safety path of everything a patient writes: acute, possible, urgent.

Every message an active patient writes (form answers included) is triaged by a middleware
that only reads: it gives each handler the verdict. The first handler of the patient's
chat (`alarming`) answers a message that may signal risk: the message, its alert and the
answer are stored in one transaction (services/safety.py), then the answer (112 and the
crisis lines, or the direct question) is sent at once, and retried by the outbox's safety
lane if that fails. No Telegram call stands before it. The message then goes on to the
handler it was meant for (a form's answer, a note to the coordinator).
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import AlertKind, PatientStatus
from bot.delivery.albums import Albums
from bot.delivery.sender import OutboxSender
from bot.dialogs import Handler
from bot.dialogs.filters import HasStatus
from bot.dialogs.patient.common import Turn
from bot.dialogs.patient.relay import store_from_patient
from bot.domain.triage import Level, Verdict, classify
from bot.services import safety
from bot.texts import safety as words
from bot.texts.callbacks import Act, Op

ALERT_FOR = {Level.ACUTE: AlertKind.ACUTE, Level.URGENT: AlertKind.URGENT}


class TriageReading(BaseMiddleware):
    """The verdict on what an active patient wrote, for every handler (`triage`, and
    `verdict` where it is not ordinary). It reads; it stores and sends nothing."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        turn: Turn | None = data.get("turn")
        verdict: Verdict | None = None
        if isinstance(event, Message) and turn and turn.patient.status == PatientStatus.ACTIVE:
            text = event.text or event.caption or ""
            if text and not text.startswith("/"):
                verdict = classify(text, hint=turn.patient.language)
        data["triage"] = verdict.level if verdict else Level.ORDINARY
        data["verdict"] = verdict if verdict and verdict.level != Level.ORDINARY else None
        return await handler(event, data)


class Alarming(Filter):
    """A message whose verdict calls for an answer before anything else."""

    async def __call__(self, message: Message, verdict: Verdict | None = None) -> bool:
        return verdict is not None  # given only when the message is not ordinary


async def alarming(
    message: Message, turn: Turn, sender: OutboxSender, albums: Albums, verdict: Verdict
) -> None:
    text = message.text or message.caption or ""
    if verdict.level == Level.POSSIBLE:
        await ask_directly(message, turn, sender, albums, verdict)
    else:
        await answer_alarming(message, turn, sender, albums, verdict, text)
    raise SkipHandler  # answered: now the handler the message was meant for


async def alarm(
    turn: Turn, sender: OutboxSender, kind: AlertKind, reason: str, quote: str, answer: str = ""
) -> None:
    """An alert the coordinators must acknowledge, and the patient's answer: stored and
    committed together, then the answer is sent at once."""
    raised = await safety.alarm(turn.session, turn.ctx, turn.patient, kind, reason, quote, answer)
    await announce(sender, raised)


async def announce(sender: OutboxSender, raised: safety.Raised) -> None:
    """After the commit: the answer at once, and the alert's lane woken."""
    await sender.send_now(raised.answer)
    sender.kick(safety=True)


async def answer_alarming(
    message: Message, turn: Turn, sender: OutboxSender, albums: Albums, verdict: Verdict,
    text: str,
) -> None:  # fmt: skip
    with turn.ctx.speaking(turn.patient.language):
        answer = words.alarm_answer(turn.ctx, turn.patient.language, verdict.level)
    try:
        await store_from_patient(message, turn, albums, verdict.level)
        raised = await safety.alarm(
            turn.session, turn.ctx, turn.patient, ALERT_FOR[verdict.level], verdict.reason,
            text, answer,
        )  # fmt: skip
    except Exception:
        # Nothing could be stored (the database is down, the disk full): the numbers still
        # go, and the update fails, so that it comes again.
        with contextlib.suppress(Exception):
            await message.answer(answer)
        raise
    await announce(sender, raised)


def question_markup(check_id: int) -> dict[str, Any]:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes"), callback_data=Act(seq=0, op=Op.SAFETY, arg=f"{check_id}-yes"))
    builder.button(text=_("No"), callback_data=Act(seq=0, op=Op.SAFETY, arg=f"{check_id}-no"))
    return builder.as_markup().model_dump(exclude_none=True)


async def ask_directly(
    message: Message, turn: Turn, sender: OutboxSender, albums: Albums, verdict: Verdict
) -> None:
    """A message that may signal risk: a short, caring, direct question."""
    await store_from_patient(message, turn, albums, Level.POSSIBLE)
    row = await safety.ask_directly(
        turn.session, turn.ctx, turn.patient, verdict.reason, words.direct_question(),
        question_markup,
    )  # fmt: skip
    await sender.send_now(row)


async def answered(
    query: CallbackQuery, callback_data: Act, turn: Turn, sender: OutboxSender
) -> None:
    check_id, _sep, said = callback_data.arg.partition("-")
    check = await safety.record_answer(
        turn.session, turn.ctx, turn.patient, int(check_id or 0), said == "yes"
    )
    await query.answer()
    if isinstance(query.message, Message):
        with contextlib.suppress(Exception):  # the buttons go; the answer is already kept
            await query.message.edit_reply_markup(reply_markup=None)
    if check is None:
        return  # answered before (a second press)
    if check.answer == "yes":
        answer = words.alarm_answer(turn.ctx, turn.patient.language, Level.ACUTE)
        await alarm(turn, sender, AlertKind.ACUTE, f"asked: yes ({check.reason})", "", answer)
        return
    await turn.bot.send_message(
        turn.patient.chat_id or query.from_user.id, words.thanks_for_answering(turn.ctx)
    )


def router() -> Router:
    """First in the patient's chat: an alarming message is answered before any other
    handler sees it."""
    built = Router(name="safety")
    built.message.register(alarming, Alarming())
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.register(answered, Act.filter(F.op == Op.SAFETY))
    return built
