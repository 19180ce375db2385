"""/invite in the staff chat: a short guided dialog that ends with a one-time link."""

from __future__ import annotations

import json
from datetime import timedelta

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.dates import format_date
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ContactWay, StaffDialog
from bot.dialogs.staff.desk import Desk
from bot.domain import invite as steps
from bot.domain.answers import Problem
from bot.domain.audit import AuditAction
from bot.domain.caseload import Criterion
from bot.services import patients
from bot.texts import patient as fmt
from bot.texts import staff as views
from bot.texts.staff_callbacks import StaffAct, StaffOp


def _prompt(step: steps.Step) -> str:
    return {
        steps.Step.PSEUDONYM: _(
            "👤 <b>New patient</b> (1/10)\nA code for the patient – letters, digits and "
            "hyphens, never a name or personal identity number. Type it, or let me make one."
        ),
        steps.Step.LANGUAGE: _("🗣 (2/10) The patient's language:"),
        steps.Step.SEX: _("(3/10) Sex (for the statistics by sex):"),
        steps.Step.AGE_BAND: _("(4/10) Age (for the statistics by age):"),
        steps.Step.SICK_LEAVE_START: _(
            "📅 (5/10) First day of the sick leave? For example 2026-11-02 or 2/11."
        ),
        steps.Step.TARGET_GROUP: _("(6/10) Target group:"),
        steps.Step.CRITERIA: _(
            "🔎 (7/10) Why may the patient need coordination? Tick all that apply, then "
            "press Done."
        ),
        steps.Step.CONTACT_WAY: _("📞 (8/10) How do you keep in touch?"),
        steps.Step.FIRST_CONTACT: _(
            "📅 (9/10) The first contact day, and the time if you like: e.g. 2026-12-02 10:00."
        ),
        steps.Step.FIRST_MODULE: _(
            "📖 (10/10) Which module does the patient start with? It opens as soon as they "
            "have joined (usually module 1)."
        ),
    }[step]


def _choice_label(step: steps.Step, value: str, desk: Desk) -> str:
    if step == steps.Step.FIRST_MODULE:
        title = desk.ctx.catalog.module(int(value)).title(desk.ctx.settings.staff_language)
        return f"{value} · {title}"
    labels = {
        steps.Step.LANGUAGE: {"sv": "🇸🇪 Svenska", "en": "🇬🇧 English"},
        steps.Step.SEX: {"female": _("Woman"), "male": _("Man"), "other": _("Other / not stated")},
        steps.Step.AGE_BAND: {
            "-29": _("under 30"),
            "30-39": "30–39",
            "40-49": "40–49",
            "50-59": "50–59",
            "60-": _("60 or over"),
            "none": _("not stated"),
        },
        steps.Step.TARGET_GROUP: {
            "mental": _("Mental ill-health"),
            "pain": _("Pain"),
            "both": _("Both"),
        },
        steps.Step.CONTACT_WAY: {
            ContactWay.PHONE.value: _("Phone"),
            ContactWay.MESSAGE.value: _("Messages here"),
            ContactWay.VISIT.value: _("Visit"),
        },
    }
    return labels[step][value]


def _criterion_label(criterion: str) -> str:
    return {
        Criterion.LONG: _("The sick leave may become long"),
        Criterion.RECURRENT: _("Recurrent sick-leave periods"),
        Criterion.ILLNESS: _("Recurrent mental ill-health or long-term pain"),
    }[Criterion(criterion)]


def _keyboard(
    step: steps.Step, desk: Desk, state: dict[str, str] | None = None
) -> InlineKeyboardMarkup:
    keys = InlineKeyboardBuilder()
    if step == steps.Step.CRITERIA:
        picked = (state or {}).get(steps.PICKED, "").split(",")
        for criterion in steps.CRITERIA:
            box = "☑️" if criterion in picked else "⬜️"
            keys.button(
                text=f"{box} {_criterion_label(criterion)}",
                callback_data=StaffAct(op=StaffOp.INVITE, arg=f"t.{criterion}").pack(),
            )
        keys.button(
            text=_("Done ✔"), callback_data=StaffAct(op=StaffOp.INVITE, arg=steps.DONE).pack()
        )
    if step == steps.Step.PSEUDONYM:
        keys.button(
            text=_("🎲 Make a code"),
            callback_data=StaffAct(op=StaffOp.INVITE, arg=steps.GENERATE).pack(),
        )
    for value in steps.CHOICES.get(step, ()):
        keys.button(
            text=_choice_label(step, value, desk),
            callback_data=StaffAct(op=StaffOp.INVITE, arg=value).pack(),
        )
    keys.button(text=_("Cancel"), callback_data=StaffAct(op=StaffOp.INVITE, arg="cancel").pack())
    keys.adjust(1 if step in (steps.Step.FIRST_MODULE, steps.Step.CRITERIA) else 3)
    return keys.as_markup()


def problem_text(problem: steps.InviteProblem | Problem) -> str:
    return {
        steps.InviteProblem.BAD_PSEUDONYM: _(
            "A code is 2–16 letters, digits or hyphens, e.g. P-4KX2."
        ),
        steps.InviteProblem.IDENTITY_LIKE: _(
            "That looks like part of a personal identity number. Use a code that says "
            "nothing about who the patient is."
        ),
        steps.InviteProblem.TAKEN: _("That code is taken. Choose another."),
        Problem.NOT_A_DATE: _("I could not read that date. Write it like 2026-12-02."),
        Problem.DATE_IN_PAST: _("That day has passed. Give a day from today on."),
        Problem.DATE_IN_FUTURE: _("That day has not come yet. Give a day up to today."),
        Problem.USE_BUTTONS: _("Please choose with the buttons."),
    }.get(problem, _("Please try again."))


async def open_dialog(session: AsyncSession, desk: Desk) -> StaffDialog | None:
    found = await session.exec(
        select(StaffDialog).where(
            StaffDialog.unit_id == desk.unit.key, StaffDialog.user_id == desk.user.id
        )
    )
    return found.first()


async def start(message: Message, desk: Desk) -> None:
    dialog = await open_dialog(desk.session, desk) or StaffDialog(
        unit_id=desk.unit.key, user_id=desk.user.id
    )
    dialog.thread_id = message.message_thread_id if message.is_topic_message else None
    dialog.state = "{}"
    dialog.updated_at = desk.ctx.clock()
    desk.session.add(dialog)
    await message.answer(
        _prompt(steps.Step.PSEUDONYM), reply_markup=_keyboard(steps.Step.PSEUDONYM, desk)
    )


async def _advance(desk: Desk, dialog: StaffDialog, raw: str, reply: Message) -> None:
    state: dict[str, str] = json.loads(dialog.state)
    step = steps.next_step(state)
    if step is None:
        return
    today = desk.ctx.today().date()
    try:
        if step == steps.Step.CRITERIA and raw.startswith("t."):
            state = steps.toggle(state, raw[2:])
            dialog.state = json.dumps(state)
            desk.session.add(dialog)
            await reply.edit_text(_prompt(step), reply_markup=_keyboard(step, desk, state))
            return
        if step == steps.Step.CRITERIA and raw == steps.DONE:
            raw = state.get(steps.PICKED, "")
        state = steps.answer(state, step, raw, today, desk.ctx.settings.tz)
        code = state.get(steps.Step.PSEUDONYM.value)
        taken = (
            step == steps.Step.PSEUDONYM
            and code not in (None, steps.GENERATE)
            and await patients.find_by_pseudonym(desk.session, str(code)) is not None
        )
        if taken:
            raise steps.InviteInputError(steps.InviteProblem.TAKEN)
    except steps.InviteInputError as error:
        await reply.answer(
            "⚠️ " + problem_text(error.problem) + "\n\n" + _prompt(step),
            reply_markup=_keyboard(step, desk),
        )
        return
    dialog.state = json.dumps(state)
    dialog.updated_at = desk.ctx.clock()
    desk.session.add(dialog)
    following = steps.next_step(state)
    if following is not None:
        await reply.answer(_prompt(following), reply_markup=_keyboard(following, desk))
        return
    await _finish(desk, dialog, state, reply)


async def _finish(desk: Desk, dialog: StaffDialog, state: dict[str, str], reply: Message) -> None:
    settings = desk.ctx.settings
    details = patients.invite_details(
        state, unit_id=desk.unit.key, coordinator_id=desk.coordinator.id
    )
    made = await patients.create_invite(
        desk.session, details, now=desk.ctx.clock(), ttl=timedelta(days=settings.invite_ttl_days)
    )
    await desk.session.delete(dialog)
    await desk.log(AuditAction.INVITE, made.patient)
    me = await desk.bot.me()
    link = patients.deep_link(settings.bot_username.lstrip("@") or me.username or "", made.code)
    expires = format_date(
        (desk.ctx.today() + timedelta(days=settings.invite_ttl_days)).date(),
        format="long",
        locale=settings.staff_language,
    )
    contact = (
        fmt.appointment(details.first_contact, settings.staff_language, settings.tz)
        if details.first_contact
        else "–"
    )
    await reply.answer(
        _(
            "✅ <b>{code}</b> is invited.\nSend the patient this link; it works once, until "
            "{expires}:\n{link}\n\nFirst contact: {contact}, {way}. Module {module} opens as "
            "soon as they join, and a topic for the patient opens here."
        ).format(
            module=details.first_module,
            code=made.patient.pseudonym,
            expires=expires,
            link=link,
            contact=contact,
            way=views.contact_way(details.contact_way),
        )
    )


async def typed(message: Message, desk: Desk, dialog: StaffDialog) -> None:
    await _advance(desk, dialog, message.text or "", message)


async def chosen(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    dialog = await open_dialog(desk.session, desk)
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if dialog is None:
        await query.message.edit_text(_("This invite dialog is closed. Start again with /invite."))
        return
    if callback_data.arg == "cancel":
        await desk.session.delete(dialog)
        await query.message.edit_text(_("Invite cancelled."))
        return
    if not callback_data.arg.startswith("t."):  # a tick redraws the same step in place
        await query.message.edit_reply_markup(reply_markup=None)
    await _advance(desk, dialog, callback_data.arg, query.message)


class InDialog(BaseFilter):
    """A typed message from a coordinator with an invite dialog open in this thread."""

    async def __call__(
        self, message: Message, desk: Desk | None = None
    ) -> bool | dict[str, StaffDialog]:
        if desk is None or message.text is None or message.text.startswith("/"):
            return False
        dialog = await open_dialog(desk.session, desk)
        thread = message.message_thread_id if message.is_topic_message else None
        if dialog is None or dialog.thread_id != thread:
            return False
        return {"dialog": dialog}


def router() -> Router:
    built = Router(name="staff-invite")
    built.message.register(start, Command("invite"))
    built.message.register(typed, InDialog())
    built.callback_query.register(chosen, StaffAct.filter(F.op == StaffOp.INVITE))
    return built
