"""The morning digest for a staff chat: today's contacts, grouped by coordinator."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.db.models import ContactWay, Coordinator
from bot.domain.scoring import Trend
from bot.texts import patient as fmt
from bot.texts import staff as views


@dataclass(frozen=True)
class DigestLine:
    """One contact of the day, as read for the digest."""

    at: datetime
    code: str
    way: ContactWay
    wellbeing: float | None
    trend: Trend
    unread_forms: int


def digest(
    today: date,
    language: str,
    tz: ZoneInfo,
    by_owner: list[tuple[Coordinator | None, list[DigestLine]]],
    waiting: Sequence[tuple[str, int]] = (),
) -> str:
    lines = [
        "☀️ <b>" + _("Contacts today, {day}").format(day=fmt.long_date(today, language)) + "</b>"
    ]
    if not by_owner:
        lines.append(_("No contacts today."))
    for owner, contacts in by_owner:
        lines.append("")
        lines.append(views.mention(owner) if owner else _("No responsible coordinator"))
        lines.extend(_line(contact, tz) for contact in contacts)
    if waiting:
        lines += ["", "📨 <b>" + _("Forms waiting for feedback") + "</b>"]
        for code, count in waiting:
            unread = ngettext("{n} unread form", "{n} unread forms", count).format(n=count)
            lines.append(f"• {escape(code)} – {unread}")
    return "\n".join(lines)


def _line(contact: DigestLine, tz: ZoneInfo) -> str:
    wellbeing = "–"
    if contact.wellbeing is not None:
        wellbeing = f"{contact.wellbeing:g} {views.TREND_ARROWS[contact.trend]}".strip()
    unread = ngettext("{n} unread form", "{n} unread forms", contact.unread_forms)
    line = _("{time} {code} ({way}) – wellbeing {wellbeing}, {unread}")
    return "• " + line.format(
        time=contact.at.astimezone(tz).strftime("%H:%M"),
        code=escape(contact.code),
        way=views.contact_way(contact.way),
        wellbeing=wellbeing,
        unread=unread.format(n=contact.unread_forms),
    )
