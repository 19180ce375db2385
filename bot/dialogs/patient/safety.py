"""The safety path of everything a patient writes: acute, possible, urgent.

Every message an active patient writes (form answers included) is triaged. A message that
may signal risk is stored with its alert and its answer in one transaction; then the answer
(112 and the crisis lines, or the direct question) is sent at once, and retried by the
outbox's safety lane if that fails. No Telegram call stands before it.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import AlertKind, PatientStatus
from bot.delivery import Courier
from bot.dialogs import Handler
from bot.dialogs import format as fmt
from bot.dialogs.callbacks import Act, Op
from bot.dialogs.filters import HasStatus
from bot.dialogs.patient.common import Turn
from bot.dialogs.patient.relay import store_from_patient
from bot.domain.triage import Level, Verdict, classify
from bot.services import safety

log = logging.getLogger(__name__)
ALERT_FOR = {Level.ACUTE: AlertKind.ACUTE, Level.URGENT: AlertKind.URGENT}


async def alarm(
    turn: Turn, courier: Courier, kind: AlertKind, reason: str, quote: str, answer: str = ""
) -> None:
    """An alert the coordinators must acknowledge, and the patient's answer: stored and
    committed together, then the answer is sent at once."""
    await announce(turn, courier, await store_alarm(turn, courier, kind, reason, quote, answer))


async def store_alarm(
    turn: Turn, courier: Courier, kind: AlertKind, reason: str, quote: str, answer: str
) -> safety.Raised:
    session, patient, ctx = turn.session, turn.patient, turn.ctx
    unit = await courier.unit_of(session, patient)
    if unit is None:
        log.error("alert (%s) for %s, but no staff chat is configured", kind, patient.pseudonym)
    raised = await safety.raise_alarm(
        session, ctx.vault, patient, unit, kind=kind, reason=reason, quote=quote, answer=answer,
        now=ctx.clock(), office=fmt.office_hours(ctx),
        window=timedelta(minutes=ctx.settings.alert_ack_minutes),
    )  # fmt: skip
    await session.commit()
    return raised


async def announce(turn: Turn, courier: Courier, raised: safety.Raised) -> None:
    """After the commit: the answer at once, the alert's lane woken, the card redrawn."""
    await courier.sender.send_now(raised.answer)
    courier.sender.kick(safety=True)
    await courier.card_changed(turn.session, turn.patient)


def answer_text(turn: Turn, level: Level) -> str:
    ctx = turn.ctx
    if level == Level.ACUTE:
        answer = fmt.acute_help(ctx) + "\n\n" + _("Your coordinator has been alerted.")
    else:
        answer = "🟠 " + _(
            "If this cannot wait, call {clinic} on {phone} today, or 1177. In an emergency, "
            "call 112. Your coordinator gets your message."
        ).format(clinic=ctx.settings.clinic_name, phone=ctx.settings.clinic_phone)
    closed = fmt.closed_line(ctx, turn.patient.language)
    if closed:
        answer += (
            "\n\n" + closed + " " + _("Do not wait for an answer here: use the numbers above.")
        )
    return answer


async def answer_alarming(
    message: Message, turn: Turn, courier: Courier, verdict: Verdict, text: str
) -> None:
    answer = answer_text(turn, verdict.level)
    kind = ALERT_FOR[verdict.level]
    try:
        await store_from_patient(message, turn, courier, verdict.level)
        raised = await store_alarm(turn, courier, kind, verdict.reason, text, answer)
    except Exception:
        # Nothing could be stored (the database is down, the disk full): the numbers still
        # go, and the update fails, so that it comes again.
        with contextlib.suppress(Exception):
            await message.answer(answer)
        raise
    await announce(turn, courier, raised)


def question_markup(check_id: int) -> dict[str, Any]:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes"), callback_data=Act(seq=0, op=Op.SAFETY, arg=f"{check_id}-yes"))
    builder.button(text=_("No"), callback_data=Act(seq=0, op=Op.SAFETY, arg=f"{check_id}-no"))
    return builder.as_markup().model_dump(exclude_none=True)


async def ask_directly(message: Message, turn: Turn, courier: Courier, verdict: Verdict) -> None:
    """A message that may signal risk: a short, caring, direct question."""
    session, patient, ctx = turn.session, turn.patient, turn.ctx
    question = "💛 " + _(
        "I want to ask you directly, because it matters: are you having thoughts of ending "
        "your life or harming yourself, or are you in danger right now?"
    )
    await store_from_patient(message, turn, courier, Level.POSSIBLE)
    check = await safety.ask(session, patient, verdict.reason, ctx.clock())
    row = await safety.answer_at_once(
        session, ctx.vault, patient, question, "safety-question", ctx.clock(),
        question_markup(check.id or 0),
    )  # fmt: skip
    await session.commit()
    await courier.sender.send_now(row)
    await courier.card_changed(session, patient)


async def answered(query: CallbackQuery, callback_data: Act, turn: Turn, courier: Courier) -> None:
    check_id, _sep, said = callback_data.arg.partition("-")
    check = await safety.answer(
        turn.session, turn.patient, int(check_id or 0), said == "yes", turn.ctx.clock()
    )
    await turn.session.commit()
    await query.answer()
    if isinstance(query.message, Message):
        with contextlib.suppress(Exception):  # the buttons go; the answer is already kept
            await query.message.edit_reply_markup(reply_markup=None)
    if check is None:
        return  # answered before (a second press)
    if check.answer == "yes":
        answer = answer_text(turn, Level.ACUTE)
        await alarm(turn, courier, AlertKind.ACUTE, f"asked: yes ({check.reason})", "", answer)
        return
    await courier.card_changed(turn.session, turn.patient)
    thanks = _("Thank you for answering. Your message has been passed to your coordinator.")
    await turn.bot.send_message(
        turn.patient.chat_id or query.from_user.id,
        f"{thanks}\n\n{fmt.urgent_line(turn.ctx.settings)}",
    )


class TriageMiddleware(BaseMiddleware):
    """Reads every message an active patient writes, form answers included. It answers an
    alarming one before any handler runs; the handler is told the verdict."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        turn: Turn | None = data.get("turn")
        level = Level.ORDINARY
        if isinstance(event, Message) and turn and turn.patient.status == PatientStatus.ACTIVE:
            text = event.text or event.caption or ""
            if text and not text.startswith("/"):
                verdict = classify(text, hint=turn.patient.language)
                level = verdict.level
                if level in ALERT_FOR:
                    await answer_alarming(event, turn, data["courier"], verdict, text)
                elif level == Level.POSSIBLE:
                    await ask_directly(event, turn, data["courier"], verdict)
        data["triage"] = level
        return await handler(event, data)


def router() -> Router:
    built = Router(name="safety")
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.register(answered, Act.filter(F.op == Op.SAFETY))
    return built
