"""Reminder times on the wall clock, across the daylight-saving changes, and quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.timing import (
    contact_reminders,
    is_quiet,
    missed_contact_check,
    outside_quiet_hours,
)

TZ = ZoneInfo("Europe/Stockholm")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TZ)


def test_reminders_keep_the_wall_clock_across_the_change_to_summer_time() -> None:
    # Summer time starts 2027-03-28 at 02:00; the contact is the day after.
    due = contact_reminders(local(2027, 3, 29, 13, 0), local(2027, 3, 20, 9), TZ)
    assert due["contact_eve"] == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert due["contact_day"] == datetime(2027, 3, 29, 6, 0, tzinfo=UTC)  # 08:00 CEST
    assert due["contact_eve"].astimezone(TZ).hour == 10


def test_reminders_keep_the_wall_clock_across_the_change_to_winter_time() -> None:
    # Winter time starts 2026-10-25 at 03:00; the contact is the day after.
    due = contact_reminders(local(2026, 10, 26, 9, 30), local(2026, 10, 20, 9), TZ)
    assert due["contact_eve"] == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # 10:00 CET
    assert due["contact_day"] == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)  # 08:00 CET


def test_a_contact_set_late_gets_only_the_reminder_on_the_day() -> None:
    due = contact_reminders(local(2026, 11, 26, 14), local(2026, 11, 25, 22), TZ)
    assert list(due) == ["contact_day"]
    due = contact_reminders(local(2026, 11, 25, 15), local(2026, 11, 25, 11), TZ)
    assert due == {"contact_day": local(2026, 11, 25, 11).astimezone(UTC)}


def test_quiet_hours_move_a_message_to_eight_in_the_morning() -> None:
    assert is_quiet(local(2026, 11, 25, 21, 0), TZ) and is_quiet(local(2026, 11, 25, 7, 59), TZ)
    assert not is_quiet(local(2026, 11, 25, 20, 59), TZ)
    assert outside_quiet_hours(local(2026, 11, 25, 23), TZ) == local(2026, 11, 26, 8)
    # The night summer time starts is an hour short; 08:00 is still 08:00.
    assert outside_quiet_hours(local(2027, 3, 28, 1), TZ) == local(2027, 3, 28, 8)


def test_a_missed_contact_is_checked_the_next_working_morning() -> None:
    friday = local(2026, 11, 27, 10)
    assert missed_contact_check(friday, TZ) == local(2026, 11, 30, 8, 30)
