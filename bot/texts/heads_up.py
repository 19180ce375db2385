"""The coordinator's short lines in a patient's topic: a form sent, a module read."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.content.schema import Form
from bot.domain.scoring import shown


def form_sent(form: Form, score: dict[str, Any] | None, language: str) -> str:
    title = escape(form.title(language))
    if not score or score.get("score") is None or form.scoring is None:
        return _("📨 Sent: {form}. See /forms.").format(form=title)
    band = form.band(score.get("category"))
    result = shown(score["score"]) + (f" ({escape(band.label(language))})" if band else "")
    return _("📨 Sent: {form}, {result}. See /forms.").format(form=title, result=result)


def idle(days: int, nudged: datetime, language: str, tz: ZoneInfo) -> str:
    return "💤 " + _(
        "Has not opened the program for {days} days, and was reminded on {day}. A call or a "
        "message may help."
    ).format(days=days, day=format_date(nudged.astimezone(tz).date(), "d MMMM", locale=language))


def module_read(module: int, title: str) -> str:
    return _("📖 Has read module {number}, {title}, to its last page.").format(
        number=module, title=escape(title)
    )
