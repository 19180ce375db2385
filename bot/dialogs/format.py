"""How answers, dates and scores read to a patient (and later to a coordinator)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date, format_datetime

from bot.config import Settings
from bot.content.schema import Form, Item, ItemKind
from bot.domain.answers import NOT_APPLICABLE


def urgent_line(settings: Settings) -> str:
    """Where to turn when it cannot wait: said the same way wherever it is said."""
    return _(
        "For anything urgent, call {clinic} on {phone}. In an emergency, always call 112."
    ).format(clinic=settings.clinic_name, phone=settings.clinic_phone)


def responsible_label(who: str) -> str:
    labels = {
        "me": _("Me"),
        "employer": _("My employer"),
        "coordinator": _("My rehabilitation coordinator"),
        "healthcare": _("Health care"),
        "other": _("Someone else"),
    }
    return labels.get(who, who)


def long_date(value: date | str, language: str) -> str:
    parsed = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(parsed, format="long", locale=language)


def when(moment: datetime, language: str, tz: Any) -> str:
    return format_datetime(moment.astimezone(tz), format="medium", locale=language, tzinfo=tz)


def option_label(item: Item, value: Any, language: str) -> str:
    if value == NOT_APPLICABLE and item.not_applicable:
        return item.not_applicable(language)
    if item.kind == ItemKind.CHOICE:
        option = next((o for o in item.options if o.id == value), None)
        return option.label(language) if option else str(value)
    label = item.labels.get(value) if isinstance(value, int) else None
    return f"{value} – {label(language)}" if label else str(value)


def activity_line(activity: dict[str, Any], language: str) -> str:
    return _("{what} – {who}, by {end}").format(
        what=escape(activity.get("what", "")),
        who=responsible_label(activity.get("who", "")),
        end=long_date(activity["end"], language) if activity.get("end") else "?",
    )


def answer_text(item: Item, value: Any, language: str) -> str:
    """An answer as escaped HTML."""
    if value is None or value == []:
        return _("(left empty)") if item.kind == ItemKind.MULTI else _("(skipped)")
    if item.kind == ItemKind.TEXT:
        return escape(str(value))
    if item.kind == ItemKind.DATE:
        return long_date(value, language)
    if item.kind == ItemKind.MULTI:
        chosen = [o.label(language) for o in item.options if o.id in value]
        return escape(", ".join(chosen))
    if item.kind == ItemKind.ACTIVITIES:
        return "\n".join(
            f"{n}. {activity_line(a, language)}" for n, a in enumerate(value, start=1)
        )
    return escape(option_label(item, value, language))


def answers_block(form: Form, answers: dict[str, Any], language: str) -> str:
    lines = []
    for number, item in enumerate(form.items, start=1):
        if item.id not in answers:
            continue
        prompt = escape(item.prompt(language))
        lines.append(f"{number}. <i>{prompt}</i>\n{answer_text(item, answers[item.id], language)}")
    if form.layout == "grid" and len(lines) == 4:
        # The decisional balance reads as two pairs: changing, and staying as things are.
        return "\n\n".join(lines[:2]) + "\n\n――――――\n\n" + "\n\n".join(lines[2:])
    return "\n\n".join(lines)


def score_block(form: Form, score: dict[str, Any] | None, language: str) -> str:
    if not score or form.scoring is None:
        return ""
    lines = [_("<b>Result:</b> {score}").format(score=score["score"])]
    band = next((b for b in form.scoring.bands if b.category == score.get("category")), None)
    if band:
        lines[0] += f" – {escape(band.label(language))}"
        if band.advice:
            lines.append(escape(band.advice(language)))
    for name, value in (score.get("subscales") or {}).items():
        shown = _("not applicable") if value is None else value
        lines.append(f"• {name}: {shown}")
    return "\n".join(lines)
