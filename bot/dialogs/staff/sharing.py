"""/consent in the staff chat: the consent to share as it stands, asked of the patient,
recorded from a signed form, the other actor named, or withdrawn on the patient's word."""

from __future__ import annotations

from datetime import datetime, time
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import Patient, PatientStatus
from bot.dialogs.staff.addressing import for_patient
from bot.dialogs.staff.desk import Desk
from bot.domain.audit import AuditAction
from bot.domain.sharing import parse_record
from bot.services import casework, sharing
from bot.texts import contacts as contact_views
from bot.texts import sharing as views
from bot.texts.staff_callbacks import StaffAct, StaffOp

_ASK = ("ask", "fråga", "be")
_WITHDRAW = ("withdraw", "återkalla", "återkallat", "withdrawn")
_OTHER = ("other", "annan")


def _ask_button(patient: Patient) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    keys.button(
        text="🤝 " + _("Ask the patient for consent"),
        callback_data=StaffAct(op=StaffOp.ASK_CONSENT, patient=patient.key).pack(),
    )
    return keys.as_markup()


async def _state(desk: Desk, patient: Patient) -> str:
    settings = desk.ctx.settings
    consent = await sharing.current(desk.session, desk.ctx.vault, patient.key)
    line = views.card_line(consent, desk.ctx.clock(), settings.staff_language, settings.tz)
    return line + "\n\n" + views.how_to()


async def _ask(desk: Desk, patient: Patient) -> str:
    if patient.status != PatientStatus.ACTIVE or patient.chat_id is None:
        return _("⚠️ Not sent: {code} is not taking part now.").format(code=patient.pseudonym)
    if not await casework.ask_consent(desk.session, desk.ctx, desk.actor, patient):
        return _("The consent form is already waiting for the patient.")
    return "🤝 " + _("The consent form is sent to the patient. The card shows what they choose.")


@for_patient
async def consent_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    first, _sep, tail = rest.strip().partition(" ")
    word = first.lower()
    if not word:
        await desk.log(AuditAction.VIEW_CONSENT, patient)
        await message.reply(await _state(desk, patient), reply_markup=_ask_button(patient))
    elif word in _ASK:
        await message.reply(await _ask(desk, patient))
    elif word in _WITHDRAW:
        withdrawn = await casework.withdraw_consent(desk.session, desk.ctx, desk.actor, patient)
        await message.reply(
            "⛔ " + _("The consent is withdrawn. Contacts with other actors are refused now.")
            if withdrawn
            else _("There is no consent in force to withdraw.")
        )
    elif word in _OTHER and tail.strip():
        name = tail.strip()[:120]
        await casework.name_other_actor(desk.session, desk.ctx, desk.actor, patient, name)
        await message.reply(_("🤝 The other actor is named: {name}.").format(name=escape(name)))
    else:
        await _record(message, desk, patient, rest.strip())


async def _record(message: Message, desk: Desk, patient: Patient, text: str) -> None:
    try:
        actors, last_day = parse_record(text, desk.ctx.today().date())
    except ValueError as error:
        await message.reply(
            _("⚠️ I did not understand: <i>{word}</i>").format(word=escape(str(error)))
            + "\n\n" + views.how_to() + "\n\n" + contact_views.echo(text)
        )  # fmt: skip
        return
    tz = desk.ctx.settings.tz
    until = datetime.combine(last_day, time(23, 59), tzinfo=tz) if last_day else None
    await casework.record_consent(desk.session, desk.ctx, desk.actor, patient, actors, until)
    settings = desk.ctx.settings
    consent = await sharing.current(desk.session, desk.ctx.vault, patient.key)
    line = views.card_line(consent, desk.ctx.clock(), settings.staff_language, tz)
    await message.reply("✅ " + line)


async def ask_button(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    patient = await desk.own_patient(callback_data.patient)
    if patient is None:
        await query.answer(_("That patient is not in this unit."), show_alert=True)
        return
    reply = await _ask(desk, patient)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply(reply)


def router() -> Router:
    built = Router(name="staff-sharing")
    built.message.register(consent_command, Command("consent"))
    built.callback_query.register(ask_button, StaffAct.filter(F.op == StaffOp.ASK_CONSENT))
    return built
