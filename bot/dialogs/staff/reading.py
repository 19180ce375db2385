"""What a coordinator reads about a patient: the card, forms, the wellbeing chart, the plan,
the journal summary and the module's to-do list."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.db.models import ModuleStatus, Patient
from bot.dialogs.chart import wellbeing_chart
from bot.dialogs.staff.addressing import for_patient
from bot.dialogs.staff.desk import Desk
from bot.domain.audit import AuditAction
from bot.domain.plan import PlanInputError, parse_change
from bot.services import (
    assessments,
    cards,
    casework,
    contact_notes,
    overview,
    plans,
    program,
    sharing,
)  # fmt: skip
from bot.services import forms as form_store
from bot.texts import plan as plan_words
from bot.texts import staff as views
from bot.texts.chunks import split_text
from bot.texts.journal import JournalFacts, journal
from bot.texts.staff_callbacks import StaffAct, StaffOp

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
        await desk.session.commit()  # the view is logged; the drawing holds no connection
        png = await wellbeing_chart(
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
    language = ctx.settings.staff_language
    plan = await plans.plan_of(desk.session, vault, patient)
    if op == StaffOp.FORMS:
        text = views.forms_summary(ctx, responses)
    elif op == StaffOp.PLAN:
        head = "🎯 " + _("<b>Rehabilitation plan</b> – {code}").format(code=patient.pseudonym)
        text = "\n\n".join(
            [head, plan_words.whole(plan, language, for_staff=True), plan_words.how_to()]
        )
    else:
        state = await overview.overview(desk.session, vault, ctx.catalog, patient)
        facts = JournalFacts(
            responses=responses,
            plan=plan,
            documented=await contact_notes.of_patient(desk.session, vault, patient.key),
            assessed=await assessments.of_patient(desk.session, vault, patient.key),
            consents=await sharing.history(desk.session, vault, patient.key),
        )
        text = journal(ctx, patient, state, facts, ctx.today().date())
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
        try:
            made = parse_change(rest[:1000], desk.ctx.today().date())
        except PlanInputError:
            await message.reply(plan_words.not_understood(rest[:1000]))
            return
        await casework.change_plan(desk.session, desk.ctx, desk.actor, patient, made)
        await message.reply(_("🎯 Added to the plan. The patient has been told."))
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


def router() -> Router:
    built = Router(name="staff-reading")
    built.message.register(view_command, Command("forms", "chart", "journal"))
    built.message.register(plan_command, Command("plan"))
    built.message.register(card_command, Command("card"))
    built.message.register(todo_command, Command("todo"))
    built.callback_query.register(
        card_button,
        StaffAct.filter(
            F.op.in_({StaffOp.FORMS, StaffOp.CHART, StaffOp.PLAN, StaffOp.TODO, StaffOp.JOURNAL})
        ),
    )
    built.callback_query.register(tick, StaffAct.filter(F.op == StaffOp.TICK))
    return built
