"""The unit's caseload (seed 001, "Identifiera patienter i behov av koordinering"): one row
a patient, and the filters a coordinator reads it by – their own patients, those who need
attention, sick leave over 30 days without a plan, and the long cases to go through with
the doctor. Pure: the rows are read in services/caseload.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

NO_PLAN_AFTER_DAYS = 30  # "en plan bör finnas på samtliga sjukskrivningar över 1 mån"


class Criterion(StrEnum):
    """Why coordination may be needed, recorded at the invite (seed 001)."""

    LONG = "long"  # the sick leave is expected to be long
    RECURRENT = "recurrent"  # recurrent sick-leave periods
    ILLNESS = "illness"  # recurrent mental ill-health or long-term pain


class View(StrEnum):
    ALL = "all"
    MINE = "mine"
    ATTENTION = "attention"
    NO_PLAN = "noplan"
    LONG = "long"


VIEW_WORDS: dict[str, View] = {
    **dict.fromkeys(("all", "alla"), View.ALL),
    **dict.fromkeys(("mine", "mina"), View.MINE),
    **dict.fromkeys(("attention", "uppmärksamhet", "behov"), View.ATTENTION),
    **dict.fromkeys(("noplan", "utanplan", "plan"), View.NO_PLAN),
    **dict.fromkeys(("long", "långa", "lång"), View.LONG),
}


@dataclass(frozen=True)
class CaseRow:
    code: str
    coordinator_id: int | None
    modules: tuple[int, ...]  # active
    next_contact: datetime | None
    wellbeing: float | None
    flags: tuple[str, ...]  # what needs attention, as alert kinds and checks
    sick_leave_start: date | None
    has_plan: bool
    criteria: tuple[Criterion, ...] = ()
    topic_id: int | None = None

    def sick_days(self, today: date) -> int | None:
        return (today - self.sick_leave_start).days if self.sick_leave_start else None


def shows(row: CaseRow, view: View, me: int | None, today: date, long_days: int) -> bool:
    days = row.sick_days(today)
    if view == View.MINE:
        return me is not None and row.coordinator_id == me
    if view == View.ATTENTION:
        return bool(row.flags)
    if view == View.NO_PLAN:
        return days is not None and days > NO_PLAN_AFTER_DAYS and not row.has_plan
    if view == View.LONG:
        return days is not None and days >= long_days
    return True


def ordered(rows: list[CaseRow], today: date) -> list[CaseRow]:
    """Flags first, then the longest sick leave: what needs the coordinator on top."""
    return sorted(rows, key=lambda r: (not r.flags, -(r.sick_days(today) or -1), r.code))


def criteria_of(stored: str) -> tuple[Criterion, ...]:
    known = {c.value for c in Criterion}
    return tuple(Criterion(c) for c in stored.split(",") if c in known)
