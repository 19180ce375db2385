"""The rehabilitation plan (seed 002, "Metodstöd individuell plan"; seed 001, the sick-leave
and rehabilitation plan): a main goal and sub-goals, activities with who is responsible and
an end date, and its dates. It is gathered from every plan form the patient sent and every
addition the coordinator made, so nothing added in one module is lost in the next.

The coordinator adds to it in one line, in Swedish or English:
    /plan + Möte med chefen om arbetstider; arbetsgivare; 2027-01-15
    /plan delmål Arbeta 50 % i februari
    /plan uppföljning 2027-01-20       (start, slut, arbetsgivarmöte, uppföljning, åter)
    /plan åter 2027-02-01              (back at work: the date the patient returned)
    /plan uppföljd                     (the plan was followed up today: KVÅ AW026)
Anything else after /plan is a note in the plan. Nothing here knows Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.domain.answers import AnswerError, DateRule, parse_date

PLAN_FORMS = ("rehab_plan", "plan_activities")  # the patient's plan forms, in module order
WHO_WORDS: dict[str, str] = {  # the form's responsible keys (domain/forms.RESPONSIBLE)
    **dict.fromkeys(("patient", "patienten", "me", "jag", "medarbetaren"), "me"),
    **dict.fromkeys(("employer", "arbetsgivare", "arbetsgivaren", "chef", "chefen"), "employer"),
    **dict.fromkeys(("coordinator", "koordinator", "rehabkoordinator", "reko"), "coordinator"),
    **dict.fromkeys(("care", "healthcare", "vård", "vården", "läkare"), "healthcare"),
    **dict.fromkeys(("other", "annan", "någon annan"), "other"),
}


class DateField(StrEnum):
    STARTED = "started_on"
    PLANNED_END = "planned_end"
    EMPLOYER_MEETING = "employer_meeting"
    FIRST_FOLLOW_UP = "first_follow_up"
    BACK_AT_WORK = "back_at_work"  # the patient returned to work (the evaluation's outcome)


DATE_WORDS: dict[str, DateField] = {
    **dict.fromkeys(("start", "startdatum"), DateField.STARTED),
    **dict.fromkeys(("end", "slut", "slutdatum", "avslut"), DateField.PLANNED_END),
    **dict.fromkeys(("employer", "arbetsgivarmöte", "möte"), DateField.EMPLOYER_MEETING),
    **dict.fromkeys(("followup", "follow-up", "uppföljning"), DateField.FIRST_FOLLOW_UP),
    **dict.fromkeys(("back", "returned", "åter", "tillbaka", "återgång"), DateField.BACK_AT_WORK),
}
# A plan may have begun already; a return to work is recorded once it has happened.
_DATE_RULES: dict[DateField, DateRule] = {DateField.STARTED: "any", DateField.BACK_AT_WORK: "past"}
_SUB_GOAL = ("subgoal", "sub-goal", "delmål")
_FOLLOWED_UP = ("followed-up", "reviewed", "uppföljd", "följtupp")
_ACTIVITY = ("+", "activity", "aktivitet")


class ChangeKind(StrEnum):
    ACTIVITY = "activity"
    SUB_GOAL = "sub_goal"
    DATE = "date"
    FOLLOWED_UP = "followed_up"
    NOTE = "note"


@dataclass(frozen=True)
class Change:
    """One addition the coordinator made, as parsed from their line."""

    kind: ChangeKind
    text: str = ""
    who: str = ""
    day: date | None = None
    field: DateField | None = None


class PlanInputError(ValueError):
    """An activity without who or when, or a date that could not be read."""


def parse_change(text: str, today: date) -> Change:
    words = text.split(maxsplit=1)
    first = words[0].lower() if words else ""
    rest = words[1].strip() if len(words) > 1 else ""
    if first in _FOLLOWED_UP and not rest:
        return Change(ChangeKind.FOLLOWED_UP)
    if first in _SUB_GOAL and rest:
        return Change(ChangeKind.SUB_GOAL, rest)
    if first in DATE_WORDS and rest and rest.split()[0][:1].isdigit():
        field = DATE_WORDS[first]
        rule: DateRule = _DATE_RULES.get(field, "future")
        try:
            day = parse_date(rest.split()[0], today, rule)
        except AnswerError as error:
            raise PlanInputError(rest) from error
        return Change(ChangeKind.DATE, day=day, field=field)
    if first in _ACTIVITY or text.startswith("+"):
        return _activity(text.lstrip("+").strip() if text.startswith("+") else rest, today)
    return Change(ChangeKind.NOTE, text.strip())


def _activity(text: str, today: date) -> Change:
    """ "WHAT; WHO; DATE": all three, as the seed's template asks."""
    parts = [part.strip() for part in text.split(";")]
    if len(parts) != 3 or not parts[0] or parts[1].lower() not in WHO_WORDS:
        raise PlanInputError(text)
    try:
        day = parse_date(parts[2], today, "future")
    except AnswerError as error:
        raise PlanInputError(text) from error
    return Change(ChangeKind.ACTIVITY, parts[0], WHO_WORDS[parts[1].lower()], day)


@dataclass(frozen=True)
class Activity:
    what: str
    who: str  # a key of domain/forms.RESPONSIBLE
    end: date | None
    by_coordinator: bool = False


@dataclass(frozen=True)
class PlanDates:
    started_on: date | None = None
    planned_end: date | None = None
    employer_meeting: date | None = None
    first_follow_up: date | None = None
    back_at_work: date | None = None
    established_at: datetime | None = None
    followed_up_at: datetime | None = None


@dataclass(frozen=True)
class Plan:
    main_goal: str = ""
    main_goal_by: date | None = None
    sub_goals: tuple[str, ...] = ()
    activities: tuple[Activity, ...] = ()
    notes: tuple[tuple[datetime, str], ...] = ()
    dates: PlanDates = field(default_factory=PlanDates)

    @property
    def has_content(self) -> bool:
        return bool(self.main_goal or self.sub_goals or self.activities)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _activities(raw: Any, by_coordinator: bool = False) -> list[Activity]:
    return [
        Activity(str(a.get("what", "")), str(a.get("who", "")), _day(a.get("end")), by_coordinator)
        for a in (raw or [])
        if isinstance(a, dict)
    ]


def gather(
    answers: Sequence[tuple[str, dict[str, Any]]],
    changes: Sequence[tuple[datetime, Change]],
    dates: PlanDates,
) -> Plan:
    """The whole plan from the patient's plan forms (oldest first: (form id, answers)) and
    the coordinator's changes (oldest first). The newest rehabilitation plan form gives the
    goals; every activities form adds, and none replaces another."""
    main: dict[str, Any] = next((a for form, a in reversed(answers) if form == "rehab_plan"), {})
    activities = _activities(main.get("activities"))
    for form, given in answers:
        if form == "plan_activities":
            activities += _activities(given.get("activities"))
    sub_goals = [line.strip() for line in str(main.get("sub_goals") or "").splitlines()]
    notes: list[tuple[datetime, str]] = []
    for at, change in changes:
        if change.kind == ChangeKind.ACTIVITY:
            activities.append(Activity(change.text, change.who, change.day, True))
        elif change.kind == ChangeKind.SUB_GOAL:
            sub_goals.append(change.text)
        elif change.kind == ChangeKind.NOTE:
            notes.append((at, change.text))
    return Plan(
        main_goal=str(main.get("main_goal") or ""),
        main_goal_by=_day(main.get("main_goal_date")),
        sub_goals=tuple(goal for goal in sub_goals if goal),
        activities=tuple(activities),
        notes=tuple(notes),
        dates=dates,
    )
