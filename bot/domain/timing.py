"""When the bot speaks up on its own: reminders around a contact, nudges, digests.

Times are stored in UTC and reasoned about on the local wall clock (Europe/Stockholm), so
"10:00 the day before" is 10:00 on both sides of a daylight-saving change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import is_working_day
from bot.domain.job_kinds import JobKind

QUIET_FROM = time(21, 0)  # no reminders or nudges between 21:00 ...
QUIET_UNTIL = time(8, 0)  # ... and 08:00 local time
EVE_REMINDER = time(10, 0)
DAY_REMINDER = time(8, 0)
DIGEST = time(7, 30)
MISSED_CHECK = time(8, 30)
NUDGE = time(10, 0)


def at_local(day: date, moment: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a day (DST-correct)."""
    return datetime.combine(day, moment, tzinfo=tz).astimezone(UTC)


def outside_quiet_hours(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment`, or the end of the quiet hours it falls in."""
    local = moment.astimezone(tz)
    if local.time() >= QUIET_FROM:
        return at_local(local.date() + timedelta(days=1), QUIET_UNTIL, tz)
    if local.time() < QUIET_UNTIL:
        return at_local(local.date(), QUIET_UNTIL, tz)
    return moment


def is_quiet(moment: datetime, tz: ZoneInfo) -> bool:
    return outside_quiet_hours(moment, tz) != moment


def contact_reminders(contact: datetime, now: datetime, tz: ZoneInfo) -> dict[JobKind, datetime]:
    """The day before at 10:00 and on the day at 08:00 (never after the contact itself);
    reminders whose time has passed when the contact is set are left out, except the one on
    the day, which is sent at once if the contact is still ahead."""
    day = contact.astimezone(tz).date()
    wanted = {
        JobKind.CONTACT_EVE: at_local(day - timedelta(days=1), EVE_REMINDER, tz),
        JobKind.CONTACT_DAY: min(at_local(day, DAY_REMINDER, tz), contact),
    }
    due: dict[JobKind, datetime] = {}
    for kind, moment in wanted.items():
        if moment >= now:
            due[kind] = moment
        elif kind == JobKind.CONTACT_DAY and contact > now:
            due[kind] = outside_quiet_hours(now, tz)
    return due


def next_working_morning(after: date, moment: time, tz: ZoneInfo) -> datetime:
    day = after + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return at_local(day, moment, tz)


def missed_contact_check(contact: datetime, tz: ZoneInfo) -> datetime:
    """The next working morning after the contact day: is it recorded done?"""
    return next_working_morning(contact.astimezone(tz).date(), MISSED_CHECK, tz)


def digest_time(day: date, tz: ZoneInfo) -> datetime | None:
    return at_local(day, DIGEST, tz) if is_working_day(day) else None


def tomorrow(now: datetime, tz: ZoneInfo, moment: time = NUDGE) -> datetime:
    return at_local(now.astimezone(tz).date() + timedelta(days=1), moment, tz)


def maintenance_schedule(since: datetime, weeks: int, tz: ZoneInfo) -> dict[JobKind, datetime]:
    """A program in maintenance ends after `weeks`; the patient is warned two weeks and one
    day before (or half-way, when the whole span is shorter), at 10:00 local time."""
    end_day = since.astimezone(tz).date() + timedelta(weeks=weeks)
    start_day = since.astimezone(tz).date()
    two_weeks_before = end_day - timedelta(days=14)
    halfway = start_day + timedelta(days=(end_day - start_day).days // 2)
    first = two_weeks_before if two_weeks_before > start_day else halfway
    return {
        JobKind.MAINTENANCE_WARNING_1: at_local(first, EVE_REMINDER, tz),
        JobKind.MAINTENANCE_WARNING_2: at_local(end_day - timedelta(days=1), EVE_REMINDER, tz),
        JobKind.MAINTENANCE_END: at_local(end_day, EVE_REMINDER, tz),
    }
