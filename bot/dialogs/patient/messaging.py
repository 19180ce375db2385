"""Writing to the coordinator, "It's urgent", and the triage of everything a patient writes.

A patient's message is stored (and committed) before the patient is told it was sent; then
it is passed on to the patient's topic. Acute messages get their answer before anything
else happens.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.db.models import AlertKind, PatientStatus, RelayDirection
from bot.delivery import Courier
from bot.dialogs import Handler
from bot.dialogs import format as fmt
from bot.dialogs.callbacks import Act, Op
from bot.dialogs.filters import HasStatus, OnCurrentScreen
from bot.dialogs.patient.common import Turn
from bot.dialogs.staff.desk import content_of
from bot.dialogs.staff.views import URGENT_BUTTON
from bot.domain.navigation import Location, Screen
from bot.domain.triage import Level, classify
from bot.services import messages

log = logging.getLogger(__name__)
ALERT_FOR = {Level.ACUTE: AlertKind.ACUTE, Level.URGENT: AlertKind.URGENT}


async def alarm(turn: Turn, courier: Courier, kind: AlertKind, reason: str, quote: str) -> None:
    """An alert the coordinators must acknowledge: stored first, then posted."""
    session, patient = turn.session, turn.patient
    unit = await courier.unit_of(session, patient)
    if unit is None:
        log.error("alert (%s) for %s, but no staff chat is configured", kind, patient.pseudonym)
        return
    ctx = turn.ctx
    alert = await messages.raise_alert(
        session,
        patient,
        unit,
        kind=kind,
        reason=reason,
        now=ctx.clock(),
        office=fmt.office_hours(ctx),
        window=timedelta(minutes=ctx.settings.alert_ack_minutes),
    )
    await courier.post_alert(session, unit, patient, alert, quote)
    await session.commit()  # the alert and its message, together, before anything else
    await courier.card_changed(session, patient)


class TriageMiddleware(BaseMiddleware):
    """Reads every message an active patient writes, form answers included."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        turn: Turn | None = data.get("turn")
        level = Level.ORDINARY
        if isinstance(event, Message) and turn and turn.patient.status == PatientStatus.ACTIVE:
            text = event.text or event.caption or ""
            if text and not text.startswith("/"):
                verdict = classify(text)
                level = verdict.level
                if level != Level.ORDINARY:
                    await answer_alarming(
                        event, turn, data["courier"], level, verdict.reason, text
                    )
        data["triage"] = level
        return await handler(event, data)


async def answer_alarming(
    message: Message, turn: Turn, courier: Courier, level: Level, reason: str, text: str
) -> None:
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
    await message.answer(answer)
    await alarm(turn, courier, ALERT_FOR[level], reason, text)


async def to_coordinator(message: Message, turn: Turn, courier: Courier, triage: Level) -> None:
    content = content_of(message)
    if content is None:
        await message.answer(_("I cannot pass this kind of message on. Please write it as text."))
        return
    relay = await messages.store(
        turn.session,
        turn.ctx.vault,
        turn.patient,
        direction=RelayDirection.FROM_PATIENT,
        content=content,
        source_chat_id=message.chat.id,
        source_message_id=message.message_id,
        media_group_id=message.media_group_id,
        triage=triage.value,
        now=turn.ctx.clock(),
    )
    await courier.relay(turn.session, relay)
    await turn.session.commit()  # stored and queued before the patient is told it was sent
    courier.sender.kick()
    single = message.media_group_id is None  # an album is acknowledged once, when queued
    if single and triage == Level.ORDINARY:
        await message.answer(await fmt.sent_notice(turn.ctx, turn.session, turn.patient))
    if turn.journey.here.screen == Screen.FORM and single:
        await turn.show()  # the question is drawn again below, so the form goes on


async def edited(message: Message, turn: Turn, courier: Courier) -> None:
    relay = await messages.by_source(turn.session, message.chat.id, message.message_id)
    content = content_of(message)
    if relay is None or content is None:
        return
    messages.update_content(turn.ctx.vault, relay, content)
    turn.session.add(relay)
    await courier.mirror_edit(turn.session, relay)


async def write(query: CallbackQuery, turn: Turn) -> None:
    turn.journey.go(Location(screen=Screen.WRITE))
    await turn.after_button(query)


async def urgent(query: CallbackQuery, turn: Turn, courier: Courier) -> None:
    turn.journey.go(Location(screen=Screen.URGENT))
    await turn.after_button(query)
    await alarm(turn, courier, AlertKind.URGENT, URGENT_BUTTON, "")


def router() -> Router:
    built = Router(name="messaging")
    built.message.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.register(write, Act.filter(F.op == Op.WRITE), OnCurrentScreen())
    built.callback_query.register(urgent, Act.filter(F.op == Op.URGENT), OnCurrentScreen())
    # Media never answers a form: it goes to the coordinator wherever the patient is.
    built.message.register(to_coordinator, ~F.text)
    return built


async def erase_command(message: Message, turn: Turn) -> None:
    turn.journey.go(Location(screen=Screen.ERASE))
    await turn.show()


async def erase_step(
    query: CallbackQuery, callback_data: Act, turn: Turn, courier: Courier
) -> None:
    """Asked twice; the second yes deletes at once (the goodbye comes through the outbox)."""
    if callback_data.arg != "2" or turn.journey.here.screen != Screen.ERASE_CONFIRM:
        turn.journey.go(Location(screen=Screen.ERASE_CONFIRM))
        await turn.after_button(query)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    await courier.end_program(turn.session, turn.patient, "erasure")


def erase_router() -> Router:
    built = Router(name="erase")
    can_erase = HasStatus(PatientStatus.ACTIVE, PatientStatus.LAPSED, PatientStatus.DECLINED)
    built.message.register(erase_command, Command("erase"), can_erase)
    built.callback_query.register(
        erase_step, Act.filter(F.op == Op.ERASE), can_erase, OnCurrentScreen()
    )
    return built


def edits_router() -> Router:
    built = Router(name="patient-edits")
    built.edited_message.filter(F.chat.type == "private", HasStatus(PatientStatus.ACTIVE))
    built.edited_message.register(edited)
    return built
