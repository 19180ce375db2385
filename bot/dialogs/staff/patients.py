"""A coordinator's actions on one patient: modules, contacts, maintenance, the end of the
program, handover. Each calls its use case in services/casework and replies after it."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import ContactWay, Coordinator, Patient
from bot.dialogs.staff import contacts
from bot.dialogs.staff.addressing import for_patient
from bot.dialogs.staff.desk import Desk
from bot.domain.answers import AnswerError, Problem
from bot.domain.invite import parse_contact
from bot.domain.navigation import ModuleRuleError
from bot.services import casework, staff
from bot.texts import patient as fmt
from bot.texts import staff as views
from bot.texts.rules import module_rule
from bot.texts.staff_callbacks import StaffAct, StaffOp

# --- modules ------------------------------------------------------------------------------


@for_patient
async def change_module(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    if not rest.strip().isdigit():
        await message.reply(
            _("Which module? For example <code>/{command} 2</code>.").format(
                command=command.command
            )
        )
        return
    module = int(rest.strip())
    activate = command.command == "activate"
    try:
        await casework.change_module(
            desk.session, desk.ctx, desk.actor, patient, module, activate=activate
        )
    except ModuleRuleError as error:
        await message.reply("⚠️ " + module_rule(error))
        return
    if activate:
        await message.reply(
            _("✅ Module {n} is active. The patient has been told.").format(n=module)
        )
    else:
        await message.reply(_("✔️ Module {n} is finished.").format(n=module))


# --- contact, phase, ownership ------------------------------------------------------------

WAYS = {way.value: way for way in ContactWay}


def contact_how_to() -> str:
    return _(
        "Give the day, and if you like the time and the way, e.g. "
        "<code>/contact 2026-12-02 10:00 phone</code> (phone, message or visit)."
    )


@for_patient
async def contact_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    await _set_contact(message, desk, patient, rest)


async def _set_contact(message: Message, desk: Desk, patient: Patient, rest: str) -> None:
    """The next contact from "DATE [TIME] [way]", or how to write it."""
    try:
        moment, way = _parse_contact(desk, patient, rest)
    except AnswerError:
        await message.reply(contact_how_to())
        return
    await casework.set_contact(desk.session, desk.ctx, desk.actor, patient, moment, way)
    shown = fmt.appointment(moment, desk.ctx.settings.staff_language, desk.ctx.settings.tz)
    await message.reply(
        _("📅 Next contact: {when}, {way}.").format(when=shown, way=views.contact_way(way))
    )


def _parse_contact(desk: Desk, patient: Patient, rest: str) -> tuple[datetime, ContactWay]:
    """ "DATE [TIME] [phone|message|visit]"; the way stays as it was when not given."""
    words = rest.split()
    way = next((WAYS[w.lower()] for w in words if w.lower() in WAYS), patient.contact_way)
    when_text = " ".join(w for w in words if w.lower() not in WAYS)
    if not when_text:
        raise AnswerError(Problem.NOT_A_DATE)
    return parse_contact(when_text, desk.ctx.today().date(), desk.ctx.settings.tz), way


@for_patient
async def done_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    """The contact took place; after it, either its note (the note's line, kind first) or
    the next contact's day."""
    await casework.record_contact(desk.session, desk.ctx, desk.actor, patient)
    if not rest.strip():
        await message.reply(
            _(
                "✅ The contact is recorded as done. Set the next with /contact, and document "
                "it with /note (for example <code>/note coaching 30</code>)."
            )
        )
        return
    if contacts.is_note(rest):
        await contacts.record_note(message, desk, patient, rest.strip())
        return
    await _set_contact(message, desk, patient, rest)


@for_patient
async def maintenance_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, _rest: str
) -> None:
    settings = desk.ctx.settings
    ends = await casework.start_maintenance(desk.session, desk.ctx, desk.actor, patient)
    await message.reply(
        _(
            "🌿 The program is in maintenance. It ends, and its content is deleted, on {day}; "
            "the patient is reminded twice and offered an export."
        ).format(day=fmt.long_date(ends.astimezone(settings.tz).date(), settings.staff_language))
    )


@for_patient
async def end_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, _rest: str
) -> None:
    keys = InlineKeyboardBuilder()
    keys.button(
        text=_("End the program for {code}").format(code=patient.pseudonym),
        callback_data=StaffAct(op=StaffOp.END, patient=patient.key).pack(),
    )
    keys.button(text=_("Cancel"), callback_data=StaffAct(op=StaffOp.CANCEL).pack())
    keys.adjust(1)
    await message.reply(
        _(
            "End the program now? Everything the patient wrote and answered is deleted (the "
            "case log keeps anonymous figures), and so is this topic. The patient gets a "
            "goodbye."
        ),
        reply_markup=keys.as_markup(),
    )


async def end_confirmed(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    patient = await desk.own_patient(callback_data.patient)
    if patient is None:
        await query.answer(_("That patient is not in this unit."), show_alert=True)
        return
    code = patient.pseudonym
    await casework.end_program(desk.session, desk.ctx, desk.actor, patient)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("The program has ended for {code}.").format(code=code))


async def cancel(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_("Cancelled."))


@for_patient
async def handover_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, _rest: str
) -> None:
    keys = InlineKeyboardBuilder()
    for who in await staff.coordinators(desk.session, desk.unit):
        keys.button(
            text=who.first_name or str(who.user_id),
            callback_data=StaffAct(
                op=StaffOp.HANDOVER, patient=patient.key, arg=str(who.id)
            ).pack(),
        )
    keys.adjust(2)
    await message.reply(
        _("Hand {code} over to:").format(code=patient.pseudonym), reply_markup=keys.as_markup()
    )


async def handover_chosen(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    patient = await desk.own_patient(callback_data.patient)
    target = None
    if callback_data.arg.isdigit():
        target = await desk.session.get(Coordinator, int(callback_data.arg))
    if patient is None or target is None or target.unit_id != desk.unit.id or not target.active:
        await query.answer(_("That is not possible in this unit."), show_alert=True)
        return
    await casework.hand_over(desk.session, desk.ctx, desk.actor, patient, target)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            _("{code} is now {who}'s patient.").format(
                code=patient.pseudonym, who=views.mention(target)
            )
        )


def router() -> Router:
    built = Router(name="staff-patients")
    built.message.register(change_module, Command("activate", "finish"))
    built.message.register(contact_command, Command("contact"))
    built.message.register(done_command, Command("done"))
    built.message.register(maintenance_command, Command("maintenance"))
    built.message.register(end_command, Command("end"))
    built.message.register(handover_command, Command("handover"))
    built.callback_query.register(end_confirmed, StaffAct.filter(F.op == StaffOp.END))
    built.callback_query.register(cancel, StaffAct.filter(F.op == StaffOp.CANCEL))
    built.callback_query.register(handover_chosen, StaffAct.filter(F.op == StaffOp.HANDOVER))
    return built
