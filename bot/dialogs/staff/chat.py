"""The staff chat itself: replies to patients, notes, alerts, absence, help and the audit log.

Who may do anything here is settled first: a member who is not a coordinator is refused,
and the attempt is logged.
"""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import (
    Alert,
    CareUnit,
    Coordinator,
    Patient,
    PatientStatus,
    RelayDirection,
)
from bot.dialogs.filters import Magic
from bot.dialogs.staff.desk import Desk, content_of
from bot.domain.answers import AnswerError, parse_date
from bot.domain.audit import AuditAction
from bot.services import alerts, cards, messages, relaying, staff
from bot.texts import patient as fmt
from bot.texts import staff as views
from bot.texts.staff_callbacks import StaffAct, StaffOp


class NotCoordinator(BaseFilter):
    async def __call__(
        self, event: TelegramObject, coordinator: Coordinator | None = None
    ) -> bool:
        return coordinator is None


async def _refuse(
    session: AsyncSession, ctx: AppContext, unit: CareUnit, user: User, action: AuditAction,
    detail: str = "",
) -> None:  # fmt: skip
    await staff.audit(
        session,
        unit=unit,
        actor_id=user.id,
        actor_name=user.full_name,
        action=action,
        detail=detail,
        allowed=False,
        now=ctx.clock(),
    )


async def refuse_command(
    message: Message, session: AsyncSession, ctx: AppContext, unit: CareUnit
) -> None:
    assert message.from_user is not None and message.text is not None
    await _refuse(
        session, ctx, unit, message.from_user, AuditAction.COMMAND, message.text.split()[0]
    )
    await message.reply(_("⛔ Only the unit's coordinators can use the bot's staff functions."))


async def refuse_in_topic(
    message: Message, session: AsyncSession, ctx: AppContext, unit: CareUnit
) -> None:
    """A non-coordinator writing in a patient's topic: nothing reaches the patient."""
    assert message.from_user is not None
    patient = (
        await staff.unit_patient(session, unit, topic_id=message.message_thread_id)
        if message.is_topic_message
        else None
    )
    if patient is None:
        return  # ordinary talk in the general topic
    await _refuse(session, ctx, unit, message.from_user, AuditAction.WRITE_TO_PATIENT)
    await message.reply(
        _("⛔ Only the unit's coordinators can write to patients. This was not sent.")
    )


async def refuse_button(
    query: CallbackQuery, session: AsyncSession, ctx: AppContext, unit: CareUnit
) -> None:
    await _refuse(session, ctx, unit, query.from_user, AuditAction.BUTTON, query.data or "")
    await query.answer(_("Only the unit's coordinators can use this."), show_alert=True)


# --- replies and notes ----------------------------------------------------------------------


async def to_patient(message: Message, desk: Desk) -> None:
    patient = await desk.patient_for(message)
    if patient is None:
        return
    content = content_of(message)
    if content is None:
        await message.reply(_("This kind of message cannot be passed on. Nothing was sent."))
        return
    note = (message.text or message.caption or "").startswith(desk.ctx.settings.note_marker)
    direction = RelayDirection.STAFF_NOTE if note else RelayDirection.TO_PATIENT
    relay = await messages.store(
        desk.session,
        desk.ctx.vault,
        patient,
        direction=direction,
        content=content,
        source_chat_id=message.chat.id,
        source_message_id=message.message_id,
        media_group_id=message.media_group_id,
        author_id=desk.user.id,
        now=desk.ctx.clock(),
    )
    if note:
        await desk.log(AuditAction.NOTE, patient)
        return
    if patient.status != PatientStatus.ACTIVE or patient.chat_id is None:
        messages.undeliverable(desk.session, relay)
        await message.reply(
            _("⚠️ Not sent: {code} is not taking part ({state}).").format(
                code=patient.pseudonym, state=views.status_line(patient)
            )
        )
        return
    await desk.log(AuditAction.REPLY, patient)
    # Stored and queued together; the outbox marks it 👌 when the patient has it.
    await desk.albums.queue(desk.session, relay)


async def staff_edit(message: Message, desk: Desk) -> None:
    relay = await messages.by_source(desk.session, message.chat.id, message.message_id)
    content = content_of(message)
    if relay is None or content is None or relay.direction != RelayDirection.TO_PATIENT:
        return
    messages.update_content(desk.ctx.vault, relay, content)
    desk.session.add(relay)
    patient = await desk.session.get(Patient, relay.patient_id)
    await desk.log(AuditAction.EDIT_REPLY, patient)
    await relaying.mirror_edit(desk.session, desk.ctx, relay)


# --- alerts ---------------------------------------------------------------------------------


async def acknowledge(query: CallbackQuery, callback_data: StaffAct, desk: Desk) -> None:
    alert = await desk.session.get(Alert, int(callback_data.arg or 0))
    if alert is None or alert.unit_id != desk.unit.id:
        await query.answer(_("That alert is not in this unit."), show_alert=True)
        return
    patient = await desk.session.get(Patient, alert.patient_id)
    first = await alerts.acknowledge(desk.session, alert, desk.user.id, desk.ctx.clock())
    if not first:
        await query.answer(_("Someone has already acknowledged this alert."))
        return
    await desk.log(AuditAction.ACKNOWLEDGE_ALERT, patient, alert.kind)
    await query.answer(_("Acknowledged. Thank you."))
    if isinstance(query.message, Message):
        at = fmt.when(desk.ctx.clock(), desk.ctx.settings.staff_language, desk.ctx.settings.tz)
        await query.message.edit_text(
            views.acknowledged(query.message.html_text, desk.user.full_name, at)
        )
    if patient is not None:
        await cards.changed(desk.session, desk.ctx, patient)


# --- the coordinator ------------------------------------------------------------------------


async def away(message: Message, command: CommandObject, desk: Desk) -> None:
    arg = (command.args or "").strip()
    language = desk.ctx.settings.staff_language
    if arg.lower() in ("off", "av", "slut", "back", "tillbaka"):
        staff.set_away(desk.session, desk.coordinator, None)
        await desk.log(AuditAction.AWAY_OFF)
        await message.reply(_("Welcome back. Patients are told the usual response time again."))
        return
    try:
        until: date = parse_date(arg, desk.ctx.today().date(), "future")
    except AnswerError:
        await message.reply(
            _(
                "Give the day you are back, e.g. <code>/away 2026-12-14</code>, or "
                "<code>/away off</code>."
            )
        )
        return
    staff.set_away(desk.session, desk.coordinator, until)
    await desk.log(AuditAction.AWAY, detail=until.isoformat())
    await message.reply(
        _(
            "🏖 You are away until {day}. Your patients are told when they can expect an "
            "answer. Hand patients over with /handover in their topics if needed."
        ).format(day=format_date(until, format="long", locale=language))
    )


async def audit_log(message: Message, command: CommandObject, desk: Desk) -> None:
    patient = await desk.patient_for(message, (command.args or "").strip() or None)
    entries = await staff.audit_trail(desk.session, desk.unit, patient)
    await desk.log(AuditAction.VIEW_AUDIT, patient)
    codes: dict[int, str] = {}
    for entry in entries:
        if entry.patient_id and entry.patient_id not in codes:
            found = await desk.session.get(Patient, entry.patient_id)
            codes[entry.patient_id] = found.pseudonym if found else "?"
    await message.answer(views.audit_lines(desk.ctx, entries, codes))


async def staff_help(message: Message, desk: Desk) -> None:
    marker = desk.ctx.settings.note_marker
    await message.answer(
        _(
            "<b>Staff commands</b>\n"
            "/invite – invite a new patient\n"
            "/patients [mine | attention | noplan | long] – the unit's patients\n"
            "/away DATE · /away off – your absence\n"
            "/audit – the unit's audit log · /report [YYYY-MM] – the case log · /stats – "
            "statistics\n\n"
            "<b>In a patient's topic</b> (or with the code, e.g. /card P-ABC23)\n"
            "/card – the patient's card\n"
            "/activate N · /finish N – modules\n"
            "/forms · /chart · /plan [text] · /todo · /journal\n"
            "/contact DATE [TIME] [phone|message|visit] · /done\n"
            "/note KIND LENGTH [with WHO] [note] [Next: step] – a contact documented\n"
            "/assess – the risk and needs assessment · /send KEDS · /send OREBRO-SF\n"
            "/consent [ask | withdraw | other NAME | ACTORS] – consent to share\n"
            "/handover · /maintenance · /end · /declined REASON [comment]\n\n"
            "Anything else you write in a patient's topic goes to the patient. Start with "
            "{marker} to keep it as a note for staff only."
        ).format(marker=marker)
    )


class IsCoordinator(BaseFilter):
    async def __call__(
        self, event: TelegramObject, coordinator: Coordinator | None = None
    ) -> bool:
        return coordinator is not None


def router() -> Router:
    built = Router(name="staff-chat")
    built.message.register(staff_help, Command("help", "start"))
    built.message.register(away, Command("away"))
    built.message.register(audit_log, Command("audit"))
    built.callback_query.register(acknowledge, StaffAct.filter(F.op == StaffOp.ACK))
    built.edited_message.register(staff_edit)
    return built


def relay_router() -> Router:
    """Last: whatever a coordinator writes in a topic that is not a command."""
    built = Router(name="staff-relay")
    built.message.register(to_patient, Magic(~F.text.startswith("/")))
    return built


def guard_router() -> Router:
    """First: members who are not coordinators get a refusal, and the attempt is logged."""
    built = Router(name="staff-guard")
    built.message.filter(NotCoordinator())
    built.callback_query.filter(NotCoordinator())
    built.message.register(refuse_command, Magic(F.text.startswith("/")))
    built.message.register(refuse_in_topic)
    built.callback_query.register(refuse_button)
    built.edited_message.filter(NotCoordinator())
    built.edited_message.register(lambda _message: None)
    return built
