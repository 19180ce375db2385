"""Writing to the coordinator, "It's urgent", edits and erasure.

A patient's message is stored (and committed) before the patient is told it was sent; then
it is passed on to the patient's topic. The triage (bot/dialogs/patient/safety) has answered
an alarming one before any of this runs.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.db.models import AlertKind, PatientStatus
from bot.delivery.albums import Albums
from bot.delivery.sender import OutboxSender
from bot.dialogs.filters import HasStatus, Magic, OnCurrentScreen
from bot.dialogs.patient.common import Turn
from bot.dialogs.patient.relay import store_from_patient
from bot.dialogs.patient.safety import alarm
from bot.dialogs.staff.desk import content_of
from bot.domain.navigation import Location, Screen
from bot.domain.triage import Level
from bot.services import ending, messages, relaying, staff
from bot.texts import patient as fmt
from bot.texts.callbacks import Act, Op
from bot.texts.staff import URGENT_BUTTON


async def to_coordinator(
    message: Message, turn: Turn, sender: OutboxSender, albums: Albums, triage: Level
) -> None:
    if await store_from_patient(message, turn, albums, triage) is None:
        await message.answer(_("I cannot pass this kind of message on. Please write it as text."))
        return
    await turn.session.commit()  # stored and queued before the patient is told it was sent
    sender.kick()
    single = message.media_group_id is None  # an album is acknowledged once, when queued
    if single and triage == Level.ORDINARY:
        back = await staff.responsible_back(turn.session, turn.patient, turn.ctx.today().date())
        await message.answer(fmt.sent_notice(turn.ctx, turn.patient, back))
    if turn.journey.here.screen == Screen.FORM and single:
        await turn.show()  # the question is drawn again below, so the form goes on


async def edited(message: Message, turn: Turn) -> None:
    relay = await messages.by_source(turn.session, message.chat.id, message.message_id)
    content = content_of(message)
    if relay is None or content is None:
        return
    messages.update_content(turn.ctx.vault, relay, content)
    turn.session.add(relay)
    await relaying.mirror_edit(turn.session, turn.ctx, relay)


async def write(query: CallbackQuery, turn: Turn) -> None:
    turn.journey.go(Location(screen=Screen.WRITE))
    await turn.after_button(query)


async def urgent(query: CallbackQuery, turn: Turn, sender: OutboxSender) -> None:
    turn.journey.go(Location(screen=Screen.URGENT))
    await turn.after_button(query)
    await alarm(turn, sender, AlertKind.URGENT, URGENT_BUTTON, "")


def router() -> Router:
    built = Router(name="messaging")
    built.message.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.filter(HasStatus(PatientStatus.ACTIVE))
    built.callback_query.register(write, Act.filter(F.op == Op.WRITE), OnCurrentScreen())
    built.callback_query.register(urgent, Act.filter(F.op == Op.URGENT), OnCurrentScreen())
    # Media never answers a form: it goes to the coordinator wherever the patient is.
    built.message.register(to_coordinator, Magic(~F.text))
    return built


async def erase_command(message: Message, turn: Turn) -> None:
    turn.journey.go(Location(screen=Screen.ERASE))
    await turn.show()


async def erase_step(query: CallbackQuery, callback_data: Act, turn: Turn) -> None:
    """Asked twice; the second yes deletes at once (the goodbye comes through the outbox)."""
    if callback_data.arg != "2" or turn.journey.here.screen != Screen.ERASE_CONFIRM:
        turn.journey.go(Location(screen=Screen.ERASE_CONFIRM))
        await turn.after_button(query)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    await ending.end_program(turn.session, turn.ctx, turn.patient, "erasure")


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
    built.edited_message.filter(Magic(F.chat.type == "private"), HasStatus(PatientStatus.ACTIVE))
    built.edited_message.register(edited)
    return built
