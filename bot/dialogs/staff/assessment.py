"""/assess and /send in the staff chat: the risk and needs assessment of the routine call,
written one area a line, and the questionnaires sent to the patient during it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.content.schema import Form
from bot.db.models import Patient, PatientStatus
from bot.dialogs.staff.addressing import for_patient
from bot.dialogs.staff.desk import Desk
from bot.domain import assessment as method
from bot.domain.assessment import Assessed
from bot.services import casework
from bot.texts import assessment as views
from bot.texts import contacts as contact_views
from bot.texts.staff_callbacks import StaffAct, StaffOp


def _send_buttons(desk: Desk, patient: Patient) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    language = desk.ctx.settings.staff_language
    for form_id in desk.ctx.catalog.texts.sendable_forms:
        form = desk.ctx.catalog.forms[form_id]
        keys.button(
            text="📋 " + _("Send: {form}").format(form=form.title(language)),
            callback_data=StaffAct(op=StaffOp.SEND_FORM, patient=patient.key, arg=form.id).pack(),
        )
    keys.adjust(1)
    return keys.as_markup()


@for_patient
async def assess_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    language = desk.ctx.settings.staff_language
    try:
        entry = method.parse(rest)
    except method.AssessmentError as error:
        shown = views.how_to(language, error.problem, error.detail)
        if rest.strip() and error.problem != method.AssessmentProblem.EMPTY:
            shown += "\n\n" + contact_views.echo(rest)
        await message.reply(shown, reply_markup=_send_buttons(desk, patient))
        return
    await casework.assess(desk.session, desk.ctx, desk.actor, patient, entry)
    await message.reply(views.recorded(Assessed(entry, desk.ctx.clock())))


async def _send(desk: Desk, patient: Patient, form: Form) -> str:
    title = form.title(desk.ctx.settings.staff_language)
    if patient.status != PatientStatus.ACTIVE or patient.chat_id is None:
        return _("⚠️ Not sent: {code} is not taking part now.").format(code=patient.pseudonym)
    if not await casework.send_form(desk.session, desk.ctx, desk.actor, patient, form):
        return _(
            "{form} is already waiting for the patient. It reaches the topic when sent."
        ).format(form=title)
    return _("📋 {form} is sent to the patient. The score comes here when they send it.").format(
        form=title
    )


@for_patient
async def send_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    form = desk.ctx.catalog.sendable(rest.strip()) if rest.strip() else None
    if form is None:
        await message.reply(
            _("Which form? For example <code>/send KEDS</code> or <code>/send OREBRO-SF</code>."),
            reply_markup=_send_buttons(desk, patient),
        )
        return
    await message.reply(await _send(desk, patient, form))


async def send_button(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    patient = await desk.own_patient(callback_data.patient)
    form = desk.ctx.catalog.sendable(callback_data.arg)
    if patient is None or form is None:
        await query.answer(_("That patient is not in this unit."), show_alert=True)
        return
    reply = await _send(desk, patient, form)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply(reply)


def router() -> Router:
    built = Router(name="staff-assessment")
    built.message.register(assess_command, Command("assess"))
    built.message.register(send_command, Command("send"))
    built.callback_query.register(send_button, StaffAct.filter(F.op == StaffOp.SEND_FORM))
    return built
