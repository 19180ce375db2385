"""The case log in the staff chat: /declined in a patient's topic (the reason a patient
declined, as they told the coordinator, with a comment that is deleted with their content),
/report (the unit's case log as a workbook) and /stats (the evaluation figures and the
charts)."""

from __future__ import annotations

from html import escape

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, InputMediaPhoto, Message
from aiogram.utils.chat_action import ChatActionSender
from aiogram.utils.i18n import gettext as _

from bot.db.models import Patient, PatientStatus
from bot.dialogs.staff.addressing import for_patient
from bot.dialogs.staff.desk import Desk
from bot.domain.audit import AuditAction
from bot.domain.caselog import REASON_WORDS, report_span
from bot.services import caselog, reports
from bot.texts.caselog import decline_reason_label


@for_patient
async def declined_command(
    message: Message, command: CommandObject, desk: Desk, patient: Patient, rest: str
) -> None:
    word, _sep, comment = rest.strip().partition(" ")
    reason = REASON_WORDS.get(word.lower())
    if patient.status != PatientStatus.DECLINED:
        await message.reply(
            _("{code} has not declined the program.").format(code=patient.pseudonym)
        )
        return
    if reason is None:
        await message.reply(
            _(
                "Give the reason, and a comment if you like: <code>/declined behov</code>, "
                "<code>stöd</code>, <code>ork</code>, <code>chatt</code>, <code>annan</code> "
                "or <code>osagt</code>, e.g. <code>/declined annan Vill vänta till januari</code>."
            )
        )
        return
    today = desk.ctx.today().date()
    await caselog.decline_reason(
        desk.session, desk.ctx.vault, patient, reason, comment.strip()[:300], today
    )
    await desk.log(AuditAction.DECLINE_REASON, patient, reason.value)
    await message.reply(
        _("📒 In the case log: declined – {reason}.").format(reason=decline_reason_label(reason))
    )


async def report_command(message: Message, command: CommandObject, desk: Desk) -> None:
    """The unit's case log as a workbook: this unit's rows only, a month's column (this
    month, or /report 2026-11) and since the last monthly meeting (the 1st of this month,
    or /report 2026-11 2026-11-16)."""
    today = desk.ctx.today().date()
    try:
        month, since = report_span((command.args or "").split(), today)
    except ValueError:
        await message.reply(
            _(
                "Write the month as YYYY-MM, and the day of the last monthly meeting as "
                "YYYY-MM-DD if you like, e.g. <code>/report {month} {day}</code>."
            ).format(month=today.strftime("%Y-%m"), day=today.replace(day=1).isoformat())
        )
        return
    await desk.log(AuditAction.VIEW_REPORT, detail=month.strftime("%Y-%m"))
    thread = message.message_thread_id
    async with ChatActionSender.upload_document(message.chat.id, desk.bot, thread):
        data = await reports.caselog_workbook(  # commits (the audit entry) before it draws
            desk.session, desk.ctx, [desk.unit], month, since
        )
    caption = _(
        "📒 The case log of {unit}: accepted, declined and the monthly overview. Counts "
        "under {n} are shown as &lt;{n}."
    )
    await message.answer_document(
        BufferedInputFile(data, f"arendelogg-{month:%Y-%m}.xlsx"),
        caption=caption.format(unit=escape(desk.unit.name), n=desk.ctx.settings.small_cell),
    )


async def stats_command(message: Message, desk: Desk) -> None:
    """The unit's evaluation figures by sex, and its three charts as one album."""
    await desk.log(AuditAction.VIEW_REPORT, detail="stats")
    thread = message.message_thread_id
    async with ChatActionSender.upload_photo(message.chat.id, desk.bot, thread):
        stats = await reports.unit_stats(desk.session, desk.ctx, desk.unit)  # commits first
    await message.answer(stats.text)
    album = [
        InputMediaPhoto(media=BufferedInputFile(png, f"statistik-{n}.png"))
        for n, png in enumerate(stats.charts, start=1)
    ]
    await message.answer_media_group(album)  # type: ignore[arg-type]


def router() -> Router:
    built = Router(name="staff-caselog")
    built.message.register(declined_command, Command("declined"))
    built.message.register(report_command, Command("report"))
    built.message.register(stats_command, Command("stats"))
    return built
