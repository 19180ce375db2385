"""The case log as an .xlsx workbook with seed 002's three sheets: accepted support, declined
support, and the overview for the monthly evaluation (in total, by sex and by age band;
counts under the threshold as "<5"). Pure: it is given the rows and returns the file."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from aiogram.utils.i18n import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.caselog import (
    AGE_BANDS,
    SEXES,
    CaseEntry,
    CaseStatus,
    Figures,
    Window,
    figures,
    in_window,
    masked,
)
from bot.texts.caselog import decline_reason_label, ended_label

ESTABLISHED = ("occupational", "fk", "care", "employer", "af")


@dataclass(frozen=True)
class Columns:
    """The overview's three columns, as the seed's template has them."""

    month: Window
    since_meeting: Window
    month_label: str
    meeting_label: str


def since_label(day: str) -> str:
    return _("Since the meeting {day}").format(day=day)


def all_units_label() -> str:
    return _("All units")


def _sex(value: str | None) -> str:
    return {"female": _("Woman"), "male": _("Man"), "other": _("Other / not stated")}.get(
        value or "", "–"
    )


def _group(value: str | None) -> str:
    return {"mental": _("Mental ill-health"), "pain": _("Pain"), "both": _("Both")}.get(
        value or "", "–"
    )


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _sheet(book: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           *, first: bool = False) -> Worksheet:  # fmt: skip
    sheet: Worksheet = book.active if first else book.create_sheet()  # type: ignore[assignment]
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(headers, start=1):
        cells = (r[index - 1] for r in rows if len(r) >= index)  # a label row is short
        values = [str(header), *(str(c) for c in cells if c is not None)]
        width = min(max(len(v) for v in values) + 2, 50)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, float):
                cell.number_format = "0.0"
    return sheet


def _accepted(entries: Sequence[CaseEntry], unit_name: str) -> list[list[Any]]:
    return [
        [
            unit_name,
            e.code or "–",
            _group(e.target_group),
            _sex(e.sex),
            e.age_band or "–",
            _yes(e.informed_storage),
            _yes(bool(e.consent_to_share)),
            e.started_on,
            e.ended_on,
            ended_label(e.ended_by) if e.ended_by else "–",
            round(e.coaching_minutes / 60, 1),
            round(e.coordination_minutes / 60, 1),
            round((e.coaching_minutes + e.coordination_minutes) / 60, 1),
            *(_yes(actor in e.contacts_established) for actor in ESTABLISHED),
            e.modules_finished,
        ]
        for e in entries
        if e.status == CaseStatus.ACCEPTED
    ]


def _declined(entries: Sequence[CaseEntry], unit_name: str) -> list[list[Any]]:
    return [
        [
            unit_name,
            e.code or "–",
            _group(e.target_group),
            _sex(e.sex),
            e.age_band or "–",
            _yes(e.informed_storage),
            decline_reason_label(e.decline_reason) or "–",
            e.comment,
        ]
        for e in entries
        if e.status == CaseStatus.DECLINED
    ]


def _figure_rows(label: str, groups: Sequence[Figures], threshold: int) -> list[list[Any]]:
    """One block of the overview: each figure, in each column, with its share of offered."""

    def count(value: int, of: Figures) -> list[Any]:
        share = of.share(value)
        shown = masked(value, threshold)
        percent = round(share) if share is not None and isinstance(shown, int) else None
        return [shown, percent]

    def mean(value: float | None) -> float | None:
        return round(value, 1) if value is not None else None

    named: list[tuple[str, Callable[[Figures], int]]] = [
        (_("Offered support"), lambda f: f.offered),
        (_("Accepted"), lambda f: f.accepted),
        (_("Declined"), lambda f: f.declined),
        (_("Finished"), lambda f: f.finished),
        (_("Ongoing"), lambda f: f.ongoing),
    ]
    rows: list[list[Any]] = [[label]]
    for name, pick in named:
        rows.append([name, *(cell for f in groups for cell in count(pick(f), f))])
    rows.append(
        [_("Weeks per finished case (mean)"), *(v for f in groups for v in (mean(f.weeks), None))]
    )
    rows.append(
        [
            _("Hours of coaching per finished case"),
            *(v for f in groups for v in (mean(f.coaching_hours), None)),
        ]
    )
    rows.append(
        [
            _("Hours of coordination per finished case"),
            *(v for f in groups for v in (mean(f.coordination_hours), None)),
        ]
    )
    return rows


def _overview(entries: Sequence[CaseEntry], columns: Columns, threshold: int) -> list[list[Any]]:
    windows = (Window(), columns.month, columns.since_meeting)

    def block(label: str, chosen: Sequence[CaseEntry]) -> list[list[Any]]:
        return _figure_rows(label, [figures(in_window(chosen, w)) for w in windows], threshold)

    rows = block(_("All"), entries)
    for sex in SEXES:
        rows += [[], *block(_sex(sex), [e for e in entries if e.sex == sex])]
    for band in AGE_BANDS:
        rows += [
            [],
            *block(_("Age {band}").format(band=band), [e for e in entries if e.age_band == band]),
        ]
    return rows


def workbook(
    entries: Sequence[CaseEntry], unit_name: str, columns: Columns, threshold: int
) -> bytes:
    book = Workbook()
    accepted_headers = [
        _("Unit"), _("Code"), _("Target group"), _("Sex"), _("Age"),
        _("Informed that data is stored"), _("Consent to external contacts"), _("Start date"),
        _("End date"), _("How it ended"), _("Hours of coaching"), _("Hours of coordination"),
        _("Hours in all"), _("Contact: occupational health"), _("Contact: Försäkringskassan"),
        _("Contact: health care"), _("Contact: employer"), _("Contact: Arbetsförmedlingen"),
        _("Modules finished"),
    ]  # fmt: skip
    _sheet(
        book, _("Accepted support"), accepted_headers, _accepted(entries, unit_name), first=True
    )
    declined_headers = [
        _("Unit"), _("Code"), _("Target group"), _("Sex"), _("Age"),
        _("Informed that data is stored"), _("Reason"), _("Comment"),
    ]  # fmt: skip
    _sheet(book, _("Declined support"), declined_headers, _declined(entries, unit_name))
    head = [""]
    for label in (_("In all since the start"), columns.month_label, columns.meeting_label):
        head += [label, "%"]
    _sheet(book, _("Monthly overview"), head, _overview(entries, columns, threshold))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
