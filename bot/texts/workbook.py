"""The case log as an .xlsx workbook with seed 002's three sheets: accepted support, declined
support, and the overview for the monthly evaluation (texts/overview_sheet.py), then the
unit's charts. Typed cells, frozen header rows, filters, columns as wide as their content.
Pure: it is given the rows (and the charts' PNGs) and returns the file."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from aiogram.utils.i18n import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.caselog import CaseEntry, CaseStatus
from bot.texts import overview_sheet
from bot.texts.caselog import decline_reason_label, ended_label, group_label, sex_label

NAMED = ("occupational", "fk", "care", "employer", "af")  # a column each; the rest: "other"


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


def _case(e: CaseEntry, unit_name: str) -> list[Any]:
    """The columns both case sheets begin with."""
    return [unit_name, e.code or "–", group_label(e.target_group), sex_label(e.sex),
            e.age_band or "–", _yes(e.informed_storage)]  # fmt: skip


def _case_headers() -> list[str]:
    return [_("Unit"), _("Code"), _("Target group"), _("Sex"), _("Age"),
            _("Informed that data is stored")]  # fmt: skip


def _accepted(entries: Sequence[CaseEntry], unit_name: str) -> list[list[Any]]:
    return [
        [
            *_case(e, unit_name),
            _yes(bool(e.consent_to_share)),
            e.started_on,
            e.ended_on,
            ended_label(e.ended_by) if e.ended_by else "–",
            round(e.coaching_minutes / 60, 1),
            round(e.coordination_minutes / 60, 1),
            round((e.coaching_minutes + e.coordination_minutes) / 60, 1),
            *(_yes(actor in e.contacts_established) for actor in NAMED),
            _yes(any(actor not in NAMED for actor in e.contacts_established)),
            e.modules_finished,
        ]
        for e in entries
        if e.status == CaseStatus.ACCEPTED
    ]


def _declined(entries: Sequence[CaseEntry], unit_name: str) -> list[list[Any]]:
    return [
        [
            *_case(e, unit_name),
            decline_reason_label(e.decline_reason) or "–",
            e.comment,
        ]
        for e in entries
        if e.status == CaseStatus.DECLINED
    ]


def _charts(book: Workbook, charts: Sequence[bytes]) -> None:
    """The unit's charts, one under the other on a sheet of their own."""
    if not charts:
        return
    sheet = book.create_sheet(_("Charts")[:31])
    row = 1
    for png in charts:
        image = Image(io.BytesIO(png))
        sheet.add_image(image, f"A{row}")
        row += int(image.height / 20) + 2  # rows are 20 pixels high


@dataclass(frozen=True)
class Overview:
    """One overview sheet: its title and its columns."""

    title: str
    columns: Sequence[overview_sheet.Column]


def workbook(
    units: Sequence[tuple[str, Sequence[CaseEntry]]], overviews: Sequence[Overview],
    threshold: int, charts: Sequence[bytes] = (),
) -> bytes:  # fmt: skip
    """The accepted and the declined cases of every unit given, then the overview sheets."""
    book = Workbook()
    accepted_headers = [
        *_case_headers(), _("Consent to external contacts"), _("Start date"),
        _("End date"), _("How it ended"), _("Hours of coaching"), _("Hours of coordination"),
        _("Hours in all"), _("Contact: occupational health"), _("Contact: Försäkringskassan"),
        _("Contact: health care"), _("Contact: employer"), _("Contact: Arbetsförmedlingen"),
        _("Other contacts established"),
        _("Modules finished"),
    ]  # fmt: skip
    accepted = [row for name, entries in units for row in _accepted(entries, name)]
    _sheet(book, _("Accepted support"), accepted_headers, accepted, first=True)
    declined_headers = [*_case_headers(), _("Reason"), _("Comment")]
    declined = [row for name, entries in units for row in _declined(entries, name)]
    _sheet(book, _("Declined support"), declined_headers, declined)
    for overview in overviews:
        columns = overview.columns
        _sheet(book, overview.title, overview_sheet.header(columns),
               overview_sheet.rows(columns, threshold))  # fmt: skip
    _charts(book, charts)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
