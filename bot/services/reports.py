"""The unit's records as files: the case log workbook (seed 002's three sheets), for the
staff chat's /report and the command line alike."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit
from bot.domain.caselog import Window
from bot.services import caselog
from bot.texts import workbook as book


def month_window(month: date) -> Window:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Window(first, following)


async def caselog_workbook(
    session: AsyncSession, ctx: AppContext, unit: CareUnit | None, month: date,
    since_meeting: date,
) -> bytes:  # fmt: skip
    """The workbook of one unit (or of every unit, with None), for a month and since the
    last monthly meeting."""
    entries = await caselog.entries(session, ctx.vault, unit.key if unit else None)
    language = ctx.settings.staff_language
    meeting = format_date(since_meeting, "d MMM yyyy", locale=language)
    with ctx.staff_speaking():
        columns = book.Columns(
            month=month_window(month),
            since_meeting=Window(since_meeting, None),
            month_label=format_date(month, "LLLL yyyy", locale=language),
            meeting_label=book.since_label(meeting),
        )
        name = unit.name if unit else book.all_units_label()
        return book.workbook(entries, name, columns, ctx.settings.small_cell)
