"""The caseload as the coordinators read it (/patients, and the weekly notice of sick leave
over 30 days without a plan). Called in the staff locale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import format_datetime

from bot.db.models import CareUnit
from bot.domain.caseload import NO_PLAN_AFTER_DAYS, CaseRow, Criterion, View
from bot.domain.scoring import shown
from bot.texts.staff import ALERT_ICONS, staff_link

FLAG_ICONS = {
    **{kind.value: icon for kind, icon in ALERT_ICONS.items()},
    "check": "🟡",
    "blocked": "⛔",
    "missed": "📵",
}
CRITERION_MARKS = {Criterion.LONG: "⏳", Criterion.RECURRENT: "🔁", Criterion.ILLNESS: "🩹"}


def view_label(view: View) -> str:
    return {
        View.ALL: _("All"),
        View.MINE: _("Mine"),
        View.ATTENTION: _("Needs attention"),
        View.NO_PLAN: _("Over 30 days, no plan"),
        View.LONG: _("Long cases"),
    }[view]


def _code(unit: CareUnit, row: CaseRow) -> str:
    link = staff_link(unit, row.topic_id)
    code = escape(row.code)
    return f'<a href="{link}">{code}</a>' if link else f"<b>{code}</b>"


def line(unit: CareUnit, row: CaseRow, today: date, language: str, tz: ZoneInfo) -> str:
    parts = [_code(unit, row)]
    parts.append(", ".join(f"M{n}" for n in row.modules) or "–")
    if row.next_contact is not None:
        when = format_datetime(
            row.next_contact.astimezone(tz), "d MMM HH:mm", tzinfo=tz, locale=language
        )
        parts.append(f"📅 {when}")
    parts.append(
        _("WHO-5 {score}").format(score=shown(row.wellbeing))
        if row.wellbeing is not None
        else _("WHO-5 –")
    )
    days = row.sick_days(today)
    if days is not None:
        parts.append(_("{days} d sick leave").format(days=days))
    parts.append(_("plan ✅") if row.has_plan else _("no plan"))
    marks = "".join(CRITERION_MARKS[c] for c in row.criteria)
    flags = "".join(FLAG_ICONS.get(f, "❗") for f in row.flags)
    return (
        "• " + " · ".join(parts) + (f" {marks}" if marks else "") + (f" {flags}" if flags else "")
    )


def caseload(
    unit: CareUnit, rows: Sequence[CaseRow], view: View, today: date, language: str,
    tz: ZoneInfo,
) -> str:  # fmt: skip
    head = "🗂 <b>" + _("Patients – {view}").format(view=view_label(view)) + f"</b> ({len(rows)})"
    if not rows:
        return head + "\n" + _("No patients in this view.")
    legend = _(
        "⏳ may become long · 🔁 recurrent sick leave · 🩹 recurrent ill-health or pain · "
        "🚨🟠📉🟡⛔📵 needs attention"
    )
    body = "\n".join(line(unit, row, today, language, tz) for row in rows)
    return f"{head}\n{body}\n\n<i>{legend}</i>"


def no_plan_notice(
    unit: CareUnit, rows: Sequence[CaseRow], today: date, language: str, tz: ZoneInfo
) -> str:
    head = "📋 " + _(
        "<b>Sick leave over {days} days without a plan</b> – a plan should be made together "
        "with the patient (seed 001):"
    ).format(days=NO_PLAN_AFTER_DAYS)
    lines = [line(unit, row, today, language, tz) for row in rows]
    return "\n".join([head, *lines, "", _("/patients noplan shows them again.")])
