"""Office hours and Swedish working days: when someone reads messages, and when to expect an
answer. Times given here are aware datetimes; the office's clock is its time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# Midsummer, Christmas and New Year's Eve are not public holidays by law, but clinics treat
# them as such (and so does the Annual Leave Act); the holidays package calls them de facto.
_DE_FACTO_DAYS_OFF = ("Midsummer Eve", "Christmas Eve", "New Year's Eve")


@lru_cache(maxsize=16)
def _days_off(year: int) -> frozenset[date]:
    public = holidays.country_holidays("SE", years=year)
    de_facto = holidays.country_holidays("SE", years=year, categories=("de_facto",))
    eves = {day for day, name in de_facto.items() if name in _DE_FACTO_DAYS_OFF}
    return frozenset(set(public) | eves)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


@dataclass(frozen=True)
class OfficeHours:
    tz: ZoneInfo
    opens: time = time(8, 0)
    closes: time = time(16, 0)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def is_open(self, moment: datetime) -> bool:
        here = self.local(moment)
        return is_working_day(here.date()) and self.opens <= here.time() < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """When the office is next open: `moment` itself if it is open now."""
        if self.is_open(moment):
            return moment
        here = self.local(moment)
        day = here.date()
        if here.time() >= self.opens:
            day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens, tzinfo=self.tz)

    def answer_by(self, moment: datetime, working_days: int) -> date:
        """The last day an answer can be expected: `working_days` working days on, counting
        the day the message arrives only if it arrives during office hours."""
        day = self.local(self.next_opening(moment)).date()
        for _ in range(working_days - 1):
            day += timedelta(days=1)
            while not is_working_day(day):
                day += timedelta(days=1)
        return day
