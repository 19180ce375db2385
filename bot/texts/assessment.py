"""The risk and needs assessment as the coordinators read it: the five areas by name, the
levels of need, the card's line, the journal's lines, and how to write one. Called in the
staff locale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.domain.assessment import KEYWORDS, Area, Assessed, AssessmentProblem, Need


def area(value: Area) -> str:
    return {
        Area.EMPLOYER: _("employer and work environment"),
        Area.HEALTH: _("health, rehabilitation and care"),
        Area.SOCIAL: _("social life and lifestyle"),
        Area.KNOWLEDGE: _("knowledge and motivation"),
        Area.COORDINATION: _("coordination of actors"),
    }[value]


def need(value: Need) -> str:
    return {Need.NONE: _("no need"), Need.SOME: _("some need"), Need.GREAT: _("great need")}[value]


def _questions(value: Area) -> str:
    """What to ask about in each area (seed 002, "Områden och exempel på frågor")."""
    return {
        Area.EMPLOYER: _("work environment, the manager's support, colleagues, adaptations"),
        Area.HEALTH: _("diagnosis, untreated symptoms, treatment, follow-up at the right level"),
        Area.SOCIAL: _("network and support, finances, sleep, exercise, stress, alcohol"),
        Area.KNOWLEDGE: _("goals, knowledge of the illness and the sick leave, motivation"),
        Area.COORDINATION: _("contact with the employer, care, occupational health, FK"),
    }[value]


def card_line(latest: tuple[datetime, Mapping[Area, int]] | None, language: str) -> str:
    if latest is None:
        return _("Needs assessment: not made yet (/assess)")
    made, needs = latest
    day = format_date(made, format="medium", locale=language)
    marks = {Need.SOME: "🟡", Need.GREAT: "🔴"}
    in_need = sorted(((a, Need(n)) for a, n in needs.items() if n), key=lambda pair: -pair[1])
    if not in_need:
        return _("Needs assessment {day}: no area in need").format(day=day)
    shown = ", ".join(f"{marks[n]} {area(a)}" for a, n in in_need)
    return _("Needs assessment {day}: {areas}").format(day=day, areas=shown)


def journal_lines(made: Sequence[Assessed], language: str) -> list[str]:
    lines = []
    for assessed in made:
        day = format_date(assessed.made_at, format="short", locale=language)
        lines.append(_("Risk and needs assessment {day}:").format(day=day))
        for one in assessed.entry.areas:
            note = f" – {one.note}" if one.note else ""
            lines.append(f"  {area(one.area).capitalize()}: {need(one.need)}{note}")
        if assessed.entry.summary:
            lines.append("  " + _("Summary: {text}").format(text=assessed.entry.summary))
    return lines


def how_to(language: str, problem: AssessmentProblem | None = None, detail: str = "") -> str:
    """How to write an assessment, led by what was wrong with the last try."""
    lead = {
        AssessmentProblem.EMPTY: "",
        AssessmentProblem.UNKNOWN_AREA: _("⚠️ I do not know the area in this line:"),
        AssessmentProblem.NO_LEVEL: _("⚠️ This line has no level of need (0, 1 or 2):"),
        AssessmentProblem.TWICE: _("⚠️ An area is given twice:"),
        AssessmentProblem.MISSING: _("⚠️ Every area needs a level. Missing:"),
    }.get(problem, "") if problem else ""  # fmt: skip
    shown = detail
    if problem == AssessmentProblem.MISSING:
        shown = ", ".join(area(Area(a)) for a in detail.split(","))
    elif problem == AssessmentProblem.TWICE:
        shown = area(Area(detail))
    parts = [f"{lead} <i>{escape(shown)}</i>"] if lead else []
    parts.append(
        _(
            "<b>Risk and needs assessment</b>: one line an area, with the level of need "
            "(0 none, 1 some, 2 great) and a short note; a summary if you like. Copy this "
            "and fill it in:"
        )
    )
    words = KEYWORDS.get(language, KEYWORDS["en"])
    template = "\n".join(f"{words[a]} 0 " for a in Area) + "\n" + _("Summary:") + " "
    parts.append(f"<pre>/assess\n{escape(template)}</pre>")
    parts.append("\n".join(f"• <b>{words[a]}</b> – {area(a)}: {_questions(a)}" for a in Area))
    parts.append(
        _("KEDS or the Örebro form can go to the patient now: /send KEDS, /send OREBRO-SF.")
    )
    return "\n\n".join(parts)


def recorded(made: Assessed) -> str:
    in_need = made.entry.in_need
    if not in_need:
        return _("📋 The assessment is saved: no area in need.")
    shown = "; ".join(f"{area(a.area)} ({need(a.need)})" for a in in_need)
    return _("📋 The assessment is saved. In need: {areas}.").format(areas=escape(shown))
