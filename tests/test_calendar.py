"""Office hours and Swedish holidays decide when a patient can expect an answer."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.calendar import OfficeHours, is_working_day

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OFFICE = OfficeHours(STOCKHOLM)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=STOCKHOLM)


def test_public_holidays_and_the_big_eves_are_days_off() -> None:
    for day in (date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 6), date(2026, 6, 19)):
        assert not is_working_day(day)
    assert is_working_day(date(2026, 11, 25))


def test_a_message_in_office_hours_counts_today() -> None:
    assert OFFICE.is_open(at(2026, 11, 25, 10))
    assert OFFICE.answer_by(at(2026, 11, 25, 10), 2) == date(2026, 11, 26)


def test_a_friday_evening_message_waits_for_monday() -> None:
    assert not OFFICE.is_open(at(2026, 11, 27, 18))
    assert OFFICE.next_opening(at(2026, 11, 27, 18)) == at(2026, 11, 30, 8)
    assert OFFICE.answer_by(at(2026, 11, 27, 18), 2) == date(2026, 12, 1)


def test_christmas_is_skipped() -> None:
    assert OFFICE.answer_by(at(2026, 12, 23, 17), 2) == date(2026, 12, 29)
