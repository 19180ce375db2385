"""The coordinator's invite dialog: which question comes next and what each answer may be.

The staff chat and the CLI both end in the same InviteDetails; this module holds the rules
for the steps between, and knows nothing of Telegram.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.answers import AnswerError, Problem, parse_date
from bot.domain.caseload import Criterion
from bot.domain.caselog import AGE_BANDS

DEFAULT_CONTACT_TIME = time(9, 0)
_PSEUDONYM = re.compile(r"^[A-Za-z0-9-]{2,16}$")
# Six digits in a row could be part of a personal identity number: never a pseudonym.
_IDENTITY_LIKE = re.compile(r"\d{6}")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


class Step(StrEnum):
    PSEUDONYM = "pseudonym"
    LANGUAGE = "language"
    SEX = "sex"
    AGE_BAND = "age_band"  # for the statistics by age (seed 004)
    SICK_LEAVE_START = "sick_leave_start"
    TARGET_GROUP = "target_group"
    CRITERIA = "criteria"  # why coordination may be needed (seed 001); several, or none
    CONTACT_WAY = "contact_way"
    FIRST_CONTACT = "first_contact"
    FIRST_MODULE = "first_module"  # opened the moment the patient joins (seed 000)


# Steps answered with buttons, and their choices.
CHOICES: dict[Step, tuple[str, ...]] = {
    Step.LANGUAGE: ("sv", "en"),
    Step.SEX: ("female", "male", "other"),
    Step.AGE_BAND: (*AGE_BANDS, "none"),
    Step.TARGET_GROUP: ("mental", "pain", "both"),
    Step.CONTACT_WAY: ("phone", "message", "visit"),
    Step.FIRST_MODULE: ("1", "2", "3", "4", "5"),
}
DEFAULT_FIRST_MODULE = 1
CRITERIA = tuple(c.value for c in Criterion)
PICKED = "criteria~"  # the criteria ticked so far, before "done"
DONE = "done"
GENERATE = "*"  # the pseudonym step's "make one up" button


class InviteProblem(StrEnum):
    BAD_PSEUDONYM = "bad_pseudonym"
    IDENTITY_LIKE = "identity_like"
    TAKEN = "taken"


class InviteInputError(ValueError):
    def __init__(self, problem: InviteProblem | Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def next_step(state: dict[str, str]) -> Step | None:
    return next((step for step in Step if step.value not in state), None)


def parse_contact(text: str, today: date, tz: ZoneInfo) -> datetime:
    """ "2026-12-02 10:30" or "2/12 10.30"; without a time, 09:00 local."""
    time_match = _TIME.search(text.split(maxsplit=1)[1]) if " " in text.strip() else None
    day_part = text.strip().split()[0]
    day = parse_date(day_part, today, "future")
    at = DEFAULT_CONTACT_TIME
    if time_match:
        hour, minute = int(time_match[1]), int(time_match[2])
        if hour > 23 or minute > 59:
            raise AnswerError(Problem.NOT_A_DATE)
        at = time(hour, minute)
    return datetime.combine(day, at, tzinfo=tz)


def _criteria(value: str) -> str:
    """ "long,illness" (or empty, for none): each a known criterion."""
    picked = [c.strip() for c in value.split(",") if c.strip() and c.strip() != "none"]
    if any(c not in CRITERIA for c in picked):
        raise InviteInputError(Problem.USE_BUTTONS)
    return ",".join(c for c in CRITERIA if c in picked)


def toggle(state: dict[str, str], criterion: str) -> dict[str, str]:
    """A criterion ticked or unticked in the dialog, before the step is answered."""
    if criterion not in CRITERIA:
        raise InviteInputError(Problem.USE_BUTTONS)
    picked = set(filter(None, state.get(PICKED, "").split(",")))
    picked ^= {criterion}
    return {**state, PICKED: ",".join(c for c in CRITERIA if c in picked)}


def answer(
    state: dict[str, str], step: Step, raw: str, today: date, tz: ZoneInfo
) -> dict[str, str]:
    """The state with this step answered, or an InviteInputError saying why not."""
    value = raw.strip()
    try:
        if step in CHOICES:
            if value not in CHOICES[step]:
                raise InviteInputError(Problem.USE_BUTTONS)
        elif step == Step.PSEUDONYM:
            if value != GENERATE:
                if not _PSEUDONYM.match(value):
                    raise InviteInputError(InviteProblem.BAD_PSEUDONYM)
                if _IDENTITY_LIKE.search(value):
                    raise InviteInputError(InviteProblem.IDENTITY_LIKE)
                value = value.upper()
        elif step == Step.CRITERIA:
            value = _criteria(value)
        elif step == Step.SICK_LEAVE_START:
            value = parse_date(value, today, "past").isoformat()
        elif step == Step.FIRST_CONTACT:
            value = parse_contact(value, today, tz).isoformat()
    except AnswerError as error:
        raise InviteInputError(error.problem) from error
    return {**state, step.value: value}
