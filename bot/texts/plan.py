"""The rehabilitation plan in words: the whole plan for the patient and for the coordinator,
the card's line, the journal's lines (KVÅ DV077 or AW026, seed 001; what seed 003 asks of a
journal note), and what the patient is told when the coordinator changes it."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.domain.plan import Activity, Change, ChangeKind, DateField, Plan
from bot.texts import patient as fmt


def _who_for_staff(who: str) -> str:
    return {
        "me": _("the patient"),
        "employer": _("the employer"),
        "coordinator": _("the coordinator"),
        "healthcare": _("health care"),
        "other": _("someone else"),
    }.get(who, who)


def date_label(field: DateField) -> str:
    return {
        DateField.STARTED: _("Start date"),
        DateField.PLANNED_END: _("Planned end"),
        DateField.EMPLOYER_MEETING: _("Proposed meeting with the employer"),
        DateField.FIRST_FOLLOW_UP: _("First follow-up"),
        DateField.BACK_AT_WORK: _("Back at work"),
    }[field]


def _activity(activity: Activity, language: str, *, for_staff: bool) -> str:
    who = _who_for_staff(activity.who) if for_staff else fmt.responsible_label(activity.who)
    end = fmt.long_date(activity.end, language) if activity.end else "?"
    mark = " ✍️" if activity.by_coordinator else ""
    return (
        _("{what} – {who}, by {end}").format(what=escape(activity.what), who=who, end=end) + mark
    )


def _dates(plan: Plan, language: str) -> list[str]:
    set_dates = [(f, getattr(plan.dates, f.value)) for f in DateField]
    return [f"{date_label(f)}: {fmt.long_date(d, language)}" for f, d in set_dates if d]


def whole(plan: Plan, language: str, *, for_staff: bool) -> str:
    """The plan as one message: goals, activities (✍️ the coordinator's), dates and notes."""
    if not plan.has_content and not plan.notes and not _dates(plan, language):
        return _("No plan has been written yet. It is made together in module 2.")
    parts = []
    if plan.main_goal:
        by = f" ({fmt.long_date(plan.main_goal_by, language)})" if plan.main_goal_by else ""
        parts.append("<b>" + _("Main goal") + f"</b>\n{escape(plan.main_goal)}{by}")
    if plan.sub_goals:
        goals = "\n".join(f"• {escape(goal)}" for goal in plan.sub_goals)
        parts.append("<b>" + _("Sub-goals") + f"</b>\n{goals}")
    if plan.activities:
        lines = [
            f"{n}. {_activity(a, language, for_staff=for_staff)}"
            for n, a in enumerate(plan.activities, start=1)
        ]
        parts.append("<b>" + _("Activities") + "</b>\n" + "\n".join(lines))
    if _dates(plan, language):
        parts.append("<b>" + _("Dates") + "</b>\n" + "\n".join(_dates(plan, language)))
    if plan.notes:
        notes = "\n".join(f"• {escape(text)}" for _at, text in plan.notes)
        parts.append("<b>" + _("Your coordinator's notes") + f"</b>\n{notes}")
    if any(a.by_coordinator for a in plan.activities):
        parts.append("<i>" + _("✍️ added by the coordinator") + "</i>")
    return "\n\n".join(parts)


def how_to() -> str:
    return _(
        "Add to the plan:\n"
        "<code>/plan + WHAT; WHO; DATE</code> – an activity (who: patient, employer, "
        "coordinator, care, other)\n"
        "<code>/plan delmål TEXT</code> – a sub-goal\n"
        "<code>/plan start|slut|arbetsgivarmöte|uppföljning DATE</code> – the plan's dates "
        "(the first follow-up brings a reminder)\n"
        "<code>/plan uppföljd</code> – the plan was followed up today\n"
        "<code>/plan TEXT</code> – a note in the plan"
    )


def changed_for_patient(made: Change, language: str) -> str:
    """What the patient is told of the coordinator's change."""
    if made.kind == ChangeKind.ACTIVITY:
        what = _("a new activity: {what}").format(
            what=_activity(Activity(made.text, made.who, made.day), language, for_staff=False)
        )
    elif made.kind == ChangeKind.SUB_GOAL:
        what = _("a sub-goal: {goal}").format(goal=escape(made.text))
    elif made.kind == ChangeKind.DATE and made.field is not None and made.day is not None:
        what = f"{date_label(made.field).lower()}: {fmt.long_date(made.day, language)}"
    elif made.kind == ChangeKind.FOLLOWED_UP:
        return "🎯 " + _(
            "Your coordinator has followed up your plan today. See it: /menu → 🎯 My plan"
        )
    else:
        what = _("a note: {text}").format(text=escape(made.text))
    return "🎯 " + _(
        "Your coordinator has added to your plan {what}. See the whole plan: /menu → 🎯 My plan"
    ).format(what=what)


def card_line(plan: Plan, language: str) -> str:
    established = plan.dates.established_at
    if established is None:
        return _("Plan: not established yet")
    parts = [
        _("established {day}").format(day=fmt.long_date(established.date(), language)),
        _("activities: {n}").format(n=len(plan.activities)),
    ]
    if plan.dates.first_follow_up:
        parts.append(
            _("follow-up {day}").format(day=fmt.long_date(plan.dates.first_follow_up, language))
        )
    return _("Plan: {facts}").format(facts=" · ".join(parts))


def journal_lines(plan: Plan, sick_since: date | None, today: date, language: str) -> list[str]:
    """The KVÅ code that applies, the length of the sick leave, the measures and who is
    responsible for each, and the planned end (seed 003)."""
    lines = []
    established, followed = plan.dates.established_at, plan.dates.followed_up_at
    if followed is not None:
        lines.append(
            _("Sick-leave and rehabilitation plan followed up {day} (KVÅ AW026).").format(
                day=fmt.long_date(followed.date(), language)
            )
        )
    elif established is not None:
        lines.append(
            _("Sick-leave and rehabilitation plan established {day} (KVÅ DV077).").format(
                day=fmt.long_date(established.date(), language)
            )
        )
    if sick_since is not None:
        lines.append(
            _("Length of sick leave: {days} days (since {day}).").format(
                days=(today - sick_since).days, day=fmt.long_date(sick_since, language)
            )
        )
    if plan.main_goal:
        lines.append(_("Main goal: {goal}").format(goal=plan.main_goal))
    for goal in plan.sub_goals:
        lines.append(_("Sub-goal: {goal}").format(goal=goal))
    for activity in plan.activities:
        end = fmt.long_date(activity.end, language) if activity.end else "?"
        lines.append(
            _("Measure: {what}; responsible: {who}; by {end}.").format(
                what=activity.what, who=_who_for_staff(activity.who), end=end
            )
        )
    for field in DateField:
        day = getattr(plan.dates, field.value)
        if day:
            lines.append(f"{date_label(field)}: {fmt.long_date(day, language)}.")
    for _at, text in plan.notes:
        lines.append(_("Plan note: {text}").format(text=text))
    return lines


def review_due(code: str) -> str:
    return "🎯 " + _(
        "Today is the first follow-up of {code}'s plan. /plan shows it; /plan uppföljd "
        "records the follow-up."
    ).format(code=escape(code))


def not_understood(text: str) -> str:
    return (
        "⚠️ "
        + _(
            "An activity needs what, who and when, separated by semicolons, and a date is "
            "written like 2027-01-15. I could not read: <i>{text}</i>"
        ).format(text=escape(text))
        + "\n\n"
        + how_to()
    )
