"""The unit's records as files and figures: the case log workbook (seed 002's three sheets and
the charts), the evaluation figures, and /stats, for the staff chat and the command line
alike. The charts and the workbook are drawn in a worker thread, after the reading is done:
a report holds no transaction open while it draws."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import AppContext
from bot.db.models import CareUnit
from bot.domain.caselog import CaseEntry
from bot.domain.evaluation import Evaluation, by_sex
from bot.domain.monthly import Window
from bot.services import case_figures
from bot.texts import evaluation as evaluation_text
from bot.texts import unit_charts
from bot.texts import workbook as book
from bot.texts.overview_sheet import Column, all_units_label, since_label, since_start_label
from bot.texts.overview_sheet import title as overview_title

WAI_FORM = "wai"


def month_window(month: date) -> Window:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Window(first, following)


async def _entries(
    session: AsyncSession, ctx: AppContext, units: Sequence[CareUnit]
) -> list[tuple[str, list[CaseEntry]]]:
    return [(u.name, await case_figures.entries(session, ctx.vault, u.key)) for u in units]


def _wai_bands(ctx: AppContext) -> list[tuple[str, str]]:
    scoring = ctx.catalog.forms[WAI_FORM].scoring
    language = ctx.settings.staff_language
    return [(b.category, b.label(language)) for b in (scoring.bands if scoring else ())]


def charts(ctx: AppContext, entries: Sequence[CaseEntry], threshold: int) -> list[bytes]:
    """The three charts as PNGs (in the staff language; call it in a worker thread)."""
    with ctx.staff_speaking():
        drawn = [
            unit_charts.cases_per_month(entries, threshold),
            unit_charts.wellbeing_start_and_end(entries, threshold),
            unit_charts.wai_bands_start_and_end(entries, _wai_bands(ctx), threshold),
        ]
        return [unit_charts.render(chart) for chart in drawn]


def _workbook(
    ctx: AppContext, units: list[tuple[str, list[CaseEntry]]], month: date, since: date
) -> bytes:
    language = ctx.settings.staff_language
    threshold = ctx.settings.small_cell
    everyone = [e for _name, entries in units for e in entries]
    with ctx.staff_speaking():
        month_label = format_date(month, "LLLL yyyy", locale=language)
        if len(units) == 1:
            meeting = since_label(format_date(since, "d MMM yyyy", locale=language))
            columns = [
                Column(since_start_label(), everyone, shares=True),
                Column(month_label, everyone, month_window(month)),
                Column(meeting, everyone, Window(since, None)),
            ]
            overviews = [book.Overview(overview_title(), columns)]
        else:  # the regional report: each unit side by side, since the start and the month
            side = [*units, (all_units_label(), everyone)]
            overviews = [
                book.Overview(overview_title(), [Column(n, e, shares=True) for n, e in side]),
                book.Overview(month_label, [Column(n, e, month_window(month)) for n, e in side]),
            ]
        pngs = charts(ctx, everyone, threshold)
        return book.workbook(units, overviews, threshold, pngs)


async def caselog_workbook(
    session: AsyncSession, ctx: AppContext, units: Sequence[CareUnit], month: date,
    since_meeting: date,
) -> bytes:  # fmt: skip
    """The workbook of one unit, or of several side by side (the regional report)."""
    read = await _entries(session, ctx, units)
    await session.commit()  # nothing is held while the workbook is drawn
    return await asyncio.to_thread(_workbook, ctx, read, month, since_meeting)


async def evaluation_csv(session: AsyncSession, ctx: AppContext, units: Sequence[CareUnit]) -> str:
    read = await _entries(session, ctx, units)
    groups = [(name, by_sex(entries)) for name, entries in read]
    with ctx.staff_speaking():
        if len(read) > 1:
            groups.append((all_units_label(), by_sex([e for _n, es in read for e in es])))
        return evaluation_text.csv_text(
            groups, ctx.settings.small_cell, ctx.settings.staff_language
        )


@dataclass(frozen=True)
class Stats:
    text: str
    charts: list[bytes]


async def unit_stats(session: AsyncSession, ctx: AppContext, unit: CareUnit) -> Stats:
    """/stats: the evaluation figures and the charts, for the staff chat (nothing hidden)."""
    entries = await case_figures.entries(session, ctx.vault, unit.key)
    await session.commit()
    groups: dict[str, Evaluation] = by_sex(entries)
    with ctx.staff_speaking():
        text = evaluation_text.stats_text(unit.name, groups, ctx.settings.staff_language)
    return Stats(text, await asyncio.to_thread(charts, ctx, entries, 1))
