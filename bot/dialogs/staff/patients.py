"""A coordinator's work on one patient: in the patient's topic, by command or card button."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import ContactWay, Coordinator, ModuleStatus, Patient
from bot.dialogs.staff.chart import wellbeing_png
from bot.dialogs.staff.desk import Desk
from bot.domain.answers import AnswerError, Problem
from bot.domain.audit import AuditAction
from bot.domain.invite import parse_contact
from bot.domain.navigation import ModuleRuleError
from bot.services import cards, casework, overview, program, staff
from bot.services import forms as form_store
from bot.texts import patient as fmt
from bot.texts import staff as views
from bot.texts.chunks import split_text
from bot.texts.rules import module_rule
from bot.texts.staff_callbacks import StaffAct, StaffOp


def _argument(command: CommandObject) -> tuple[str | None, str]:
    """A leading patient code (P-XXXXX) when the command is used outside a topic."""
    args = (command.args or "").strip()
    first, _sep, rest = args.partition(" ")
    if first.upper().startswith("P-"):
        return first, rest.strip()
    return None, args


async def _patient(
    message: Message, desk: Desk, command: CommandObject
) -> tuple[Patient, str] | None:
    code, rest = _argument(command)
    patient = await desk.patient_for(message, code)
    if patient is None:
        await message.reply(
            _(
                "Use this in a patient's topic, or give the patient's code, e.g. "
                "<code>/{command} P-ABC23</code>. Only this unit's patients are found."
            ).format(command=command.command)
        )
        return None
    return patient, rest


PatientHandler = Callable[[Message, CommandObject, Desk, Patient, str], Awaitable[None]]


def for_patient(
    handler: PatientHandler,
) -> Callable[[Message, CommandObject, Desk], Awaitable[None]]:
    """A command about one patient: the topic's, or the code given; else a short how-to."""

    async def resolved(message: Message, command: CommandObject, desk: Desk) -> None:
        found = await _patient(message, desk, command)
        if found is not None:
            await handler(message, command, desk, *found)

    resolved.__name__ = handler.__name__
    return resolved


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


# --- views --------------------------------------------------------------------------------


VIEWED = {
    StaffOp.FORMS: AuditAction.VIEW_FORMS,
    StaffOp.CHART: AuditAction.VIEW_CHART,
    StaffOp.PLAN: AuditAction.VIEW_PLAN,
    StaffOp.TODO: AuditAction.VIEW_TODO,
    StaffOp.JOURNAL: AuditAction.VIEW_JOURNAL,
}


async def _show(desk: Desk, patient: Patient, op: StaffOp, message: Message) -> None:
    ctx = desk.ctx
    vault = ctx.vault
    await desk.log(VIEWED[op], patient)
    if op == StaffOp.CHART:
        series = await overview.wellbeing_series(desk.session, vault, patient)
        if not series:
            await message.answer(_("No wellbeing forms yet."))
            return
        form = ctx.catalog.forms[overview.WELLBEING]
        language = ctx.settings.staff_language
        png = wellbeing_png(
            form,
            series,
            ctx.settings.tz,
            language,
            _("Wellbeing (WHO-5) – {code}").format(code=patient.pseudonym),
        )
        await message.answer_photo(
            BufferedInputFile(png, f"wellbeing-{patient.pseudonym}.png"),
            caption=_("Wellbeing over time: {scores}").format(
                scores=" → ".join(f"{score:g}" for _when, score in series)
            ),
        )
        return
    responses = await form_store.responses(desk.session, vault, patient.key)
    notes = await overview.plan_notes(desk.session, vault, patient)
    if op == StaffOp.FORMS:
        text = views.forms_summary(ctx, responses)
    elif op == StaffOp.PLAN:
        text = views.plan(ctx, responses, notes)
    else:
        state = await overview.overview(desk.session, vault, ctx.catalog, patient)
        text = views.journal(ctx, patient, state, responses, notes, ctx.today().date())
    for chunk in split_text(text):
        await message.answer(chunk)


@for_patient
async def view_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, _rest: str
) -> None:
    op = {"forms": StaffOp.FORMS, "chart": StaffOp.CHART, "journal": StaffOp.JOURNAL}[
        command.command
    ]
    await _show(desk, patient, op, message)


@for_patient
async def plan_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    if rest:
        await casework.complement_plan(desk.session, desk.ctx, desk.actor, patient, rest[:1000])
        await message.reply(_("🎯 Added to the plan."))
        return
    await _show(desk, patient, StaffOp.PLAN, message)


@for_patient
async def card_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, _rest: str
) -> None:
    await desk.log(AuditAction.VIEW_CARD, patient)
    if patient.topic_id is not None and message.message_thread_id == patient.topic_id:
        await cards.changed(desk.session, desk.ctx, patient, repost=True)
        return
    _title, text = await cards.card(desk.session, desk.ctx, patient)
    await message.reply(text)


async def card_button(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    patient = await desk.own_patient(callback_data.patient)
    if patient is None or not isinstance(query.message, Message):
        await query.answer(_("That patient is not in this unit."), show_alert=True)
        return
    await query.answer()
    if callback_data.op == StaffOp.TODO:
        await _send_checklist(desk, patient, query.message, None)
        return
    await _show(desk, patient, callback_data.op, query.message)


# --- the checklist ------------------------------------------------------------------------


async def _current_module(desk: Desk, patient: Patient) -> int:
    progress = await program.module_progress(desk.session, patient.key)
    if not progress:
        return 1
    active = [n for n, p in progress.items() if p.status == ModuleStatus.ACTIVE]
    return max(active) if active else max(progress)


async def _checklist(
    desk: Desk, patient: Patient, module: int
) -> tuple[str, InlineKeyboardBuilder]:
    language = desk.ctx.settings.staff_language
    ticked = await overview.ticks(desk.session, patient, module)
    keys = InlineKeyboardBuilder()
    for item in desk.ctx.catalog.texts.checklist_for(module):
        mark = "✅" if item.id in ticked else "⬜"
        keys.button(
            text=f"{mark} {item.text(language)}"[:64],
            callback_data=StaffAct(
                op=StaffOp.TICK, patient=patient.key, arg=f"{module}.{item.id}"
            ).pack(),
        )
    keys.adjust(1)
    lines = [_("<b>To do after module {n}</b> – {code}").format(n=module, code=patient.pseudonym)]
    for item in desk.ctx.catalog.texts.checklist_for(module):
        mark = "✅" if item.id in ticked else "⬜"
        lines.append(f"{mark} {escape(item.text(language))}")
    return "\n".join(lines), keys


async def _send_checklist(
    desk: Desk, patient: Patient, message: Message, module: int | None
) -> None:
    number = module or await _current_module(desk, patient)
    text, keys = await _checklist(desk, patient, number)
    await message.answer(text, reply_markup=keys.as_markup())


@for_patient
async def todo_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    module = int(rest) if rest.isdigit() and int(rest) in desk.ctx.catalog.modules else None
    await desk.log(AuditAction.VIEW_TODO, patient)
    await _send_checklist(desk, patient, message, module)


async def tick(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    patient = await desk.own_patient(callback_data.patient)
    number, _sep, item = callback_data.arg.partition(".")
    if patient is None or not number.isdigit():
        await query.answer(_("That patient is not in this unit."), show_alert=True)
        return
    done = await overview.toggle_tick(
        desk.session, patient, int(number), item, desk.user.id, desk.ctx.clock()
    )
    await desk.log(
        AuditAction.TICK if done else AuditAction.UNTICK, patient, f"module {number}: {item}"
    )
    text, keys = await _checklist(desk, patient, int(number))
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=keys.as_markup())


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
    try:
        moment, way = _parse_contact(desk, patient, rest)
    except AnswerError:
        await message.reply(contact_how_to())
        return
    await _set_contact(message, desk, patient, moment, way)


async def _set_contact(
    message: Message, desk: Desk, patient: Patient, moment: datetime, way: ContactWay
) -> None:
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
    """The contact took place; optionally the next one is set at once."""
    await casework.record_contact(desk.session, desk.ctx, desk.actor, patient)
    if not rest.strip():
        await message.reply(_("✅ The contact is recorded as done. Set the next with /contact."))
        return
    try:
        moment, way = _parse_contact(desk, patient, rest)
    except AnswerError:
        await message.reply(contact_how_to())
        return
    await _set_contact(message, desk, patient, moment, way)


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
    built.message.register(view_command, Command("forms", "chart", "journal"))
    built.message.register(plan_command, Command("plan"))
    built.message.register(card_command, Command("card"))
    built.message.register(todo_command, Command("todo"))
    built.message.register(contact_command, Command("contact"))
    built.message.register(done_command, Command("done"))
    built.message.register(maintenance_command, Command("maintenance"))
    built.message.register(end_command, Command("end"))
    built.message.register(handover_command, Command("handover"))
    built.callback_query.register(
        card_button,
        StaffAct.filter(
            F.op.in_({StaffOp.FORMS, StaffOp.CHART, StaffOp.PLAN, StaffOp.TODO, StaffOp.JOURNAL})
        ),
    )
    built.callback_query.register(tick, StaffAct.filter(F.op == StaffOp.TICK))
    built.callback_query.register(end_confirmed, StaffAct.filter(F.op == StaffOp.END))
    built.callback_query.register(cancel, StaffAct.filter(F.op == StaffOp.CANCEL))
    built.callback_query.register(handover_chosen, StaffAct.filter(F.op == StaffOp.HANDOVER))
    return built
