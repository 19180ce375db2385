"""How answers, dates and scores read to a patient (and later to a coordinator)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date, format_datetime

from bot.config import Settings
from bot.content.schema import Form, Item, ItemKind
from bot.context import AppContext
from bot.db.models import ContactWay, Patient
from bot.domain.answers import NOT_APPLICABLE
from bot.domain.calendar import OfficeHours
from bot.domain.scoring import shown


def urgent_line(settings: Settings) -> str:
    """Where to turn when it cannot wait: said the same way wherever it is said."""
    return _(
        "For anything urgent, call {clinic} on {phone}. In an emergency, always call 112."
    ).format(clinic=settings.clinic_name, phone=settings.clinic_phone)


def office_hours(ctx: AppContext) -> OfficeHours:
    s = ctx.settings
    return OfficeHours(s.tz, s.office_opens, s.office_closes)


def crisis_lines(settings: Settings) -> str:
    return "\n".join(f"• {escape(line)}" for line in settings.crisis_lines)


def closed_line(ctx: AppContext, language: str) -> str:
    """Out of office hours, said plainly: nobody reads now, and when someone will."""
    office = office_hours(ctx)
    now = ctx.clock()
    if office.is_open(now):
        return ""
    opens = office.next_opening(now)
    return _("Nobody reads messages here right now. The clinic's staff are back {when}.").format(
        when=when(opens, language, ctx.settings.tz)
    )


def expected_answer(ctx: AppContext, patient: Patient, back: date | None) -> str:
    """When an answer can be expected: office hours, holidays and the coordinator's absence
    (`back`: the day they return, if they are away)."""
    office = office_hours(ctx)
    now = ctx.clock()
    start = now
    if back is not None:
        start = max(now, datetime.combine(back, office.opens, tzinfo=ctx.settings.tz))
    day = office.answer_by(start, ctx.settings.response_time_days)
    lines = []
    if back is not None:
        lines.append(
            _("Your coordinator is away until {day}.").format(
                day=long_date(back, patient.language)
            )
        )
    lines.append(
        _("You can expect an answer by {day}.").format(day=long_date(day, patient.language))
    )
    closed = closed_line(ctx, patient.language)
    if closed:
        lines.append(closed)
    return " ".join(lines)


def sent_notice(ctx: AppContext, patient: Patient, back: date | None) -> str:
    """What a patient is told once their message is stored: sent, and when to expect an answer."""
    expect = expected_answer(ctx, patient, back)
    return "✉️ " + _("Sent to your coordinator.") + " " + expect


def acute_help(ctx: AppContext) -> str:
    """The answer to a message that signals acute risk, and to "It's urgent"."""
    settings = ctx.settings
    lines = [
        "🆘 "
        + _(
            "<b>If your life or someone else's is in danger, call 112 now.</b> You do not "
            "have to handle this alone."
        ),
        "",
        _("• Call {clinic} on {phone}, or 1177 for health-care advice day and night.").format(
            clinic=escape(settings.clinic_name), phone=escape(settings.clinic_phone)
        ),
        crisis_lines(settings),
    ]
    return "\n".join(lines)


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


def appointment(moment: datetime, language: str, tz: Any) -> str:
    """A contact time as people say it: "onsdag 2 december 2026, 10:00"."""
    return format_datetime(
        moment.astimezone(tz), "EEEE d MMMM y, HH:mm", locale=language, tzinfo=tz
    )


def contact_way_for_patient(way: ContactWay) -> str:
    """How the agreed contact happens, said to the patient."""
    return {
        ContactWay.PHONE: _("your coordinator will call you"),
        ContactWay.MESSAGE: _("write to your coordinator here"),
        ContactWay.VISIT: _("you meet your coordinator at the clinic"),
    }[way]


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
    lines = [_("<b>Result:</b> {score}").format(score=shown(score["score"]))]
    band = form.band(score.get("category"))
    if band:
        lines[0] += f" – {escape(band.label(language))}"
        if band.advice:
            lines.append(escape(band.advice(language)))
    for name, value in (score.get("subscales") or {}).items():
        value_text = _("not applicable") if value is None else shown(value)
        lines.append(f"• {name}: {value_text}")
    return "\n".join(lines)
